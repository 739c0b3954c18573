import { Injectable } from '@nestjs/common';
import { PrismaService, Tx } from '@app/database';

/** The only file of the shipment service that touches Prisma. */
@Injectable()
export class ShipmentsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(tx: Tx, shipment: { id: string; orderId: string; trackingNumber: string }): Promise<void> {
    await tx.shipment.create({ data: shipment });
  }

  byOrder(orderId: string) {
    return this.prisma.shipment.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } });
  }
}
