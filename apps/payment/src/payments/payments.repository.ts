import { Injectable } from '@nestjs/common';
import { PaymentStatus, PrismaService, Tx } from '@app/database';

export interface NewPayment {
  id: string;
  orderId: string;
  amount: number;
  status: PaymentStatus;
  reason: string | null;
}

/** The only file of the payment service that touches Prisma. */
@Injectable()
export class PaymentsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(tx: Tx, payments: NewPayment[]): Promise<void> {
    if (payments.length > 0) await tx.payment.createMany({ data: payments });
  }

  byOrder(orderId: string) {
    return this.prisma.payment.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } });
  }
}
