import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/database';

export interface NotificationView {
  eventId: string;
  topic: string;
  orderId: string | null;
  claimId: string | null;
  couponId: number | null;
  status: string;
  message: string;
  occurredAt: Date;
}

const view = {
  eventId: true, topic: true, orderId: true, claimId: true, couponId: true, status: true, message: true, occurredAt: true,
} as const;

/** The only file of the notification service that touches Prisma. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Stores a notification once per event id; false when it was already stored (a redelivery). */
  async insert(n: NotificationView): Promise<boolean> {
    const { count } = await this.prisma.notification.createMany({ data: [n], skipDuplicates: true });
    return count === 1;
  }

  timeline(where: { orderId?: string; claimId?: string }): Promise<NotificationView[]> {
    return this.prisma.notification.findMany({ where, select: view, orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] });
  }
}
