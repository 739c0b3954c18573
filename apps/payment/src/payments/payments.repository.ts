import { Injectable } from '@nestjs/common';
import { insertMany, PaymentStatus, PrismaService, Tx } from '@app/database';

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
    const at = new Date();
    await insertMany(
      tx,
      'payment_payment',
      payments.map((p) => ({ id: p.id, order_id: p.orderId, amount: p.amount, status: p.status, reason: p.reason, created_at: at })),
    );
  }

  byOrder(orderId: string) {
    return this.prisma.payment.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } });
  }
}
