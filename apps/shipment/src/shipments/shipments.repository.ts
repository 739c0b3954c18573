import { Injectable } from '@nestjs/common';
import { insertMany, PrismaService, Tx } from '@app/database';

/** The only file of the shipment service that touches Prisma. */
@Injectable()
export class ShipmentsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(tx: Tx, shipments: { id: string; orderId: string; trackingNumber: string }[]): Promise<void> {
    const at = new Date();
    await insertMany(
      tx,
      'shipment_shipment',
      shipments.map((s) => ({ id: s.id, order_id: s.orderId, tracking_number: s.trackingNumber, created_at: at })),
    );
  }

  byOrder(orderId: string) {
    return this.prisma.shipment.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } });
  }
}
