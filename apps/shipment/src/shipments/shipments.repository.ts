import { Injectable } from '@nestjs/common';
import { PrismaService, Tx } from '@app/database';

/** The only file of the shipment service that touches Prisma. */
@Injectable()
export class ShipmentsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(tx: Tx, shipments: { id: string; orderId: string; trackingNumber: string }[]): Promise<void> {
    if (shipments.length > 0) await tx.shipment.createMany({ data: shipments });
  }

  byOrder(orderId: string) {
    return this.prisma.shipment.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } });
  }
}
