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
  /** When the event happened (its envelope). */
  occurredAt: Date;
  /** When this service recorded it: the last hop of every event, as the console's timeline shows. */
  notifiedAt: Date;
}

const view = {
  eventId: true, topic: true, orderId: true, claimId: true, couponId: true, status: true, message: true, occurredAt: true, createdAt: true,
} as const;

/** The only file of the notification service that touches Prisma. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Stores a notification once per event id; false when it was already stored (a redelivery). */
  async insert(n: NotificationView): Promise<boolean> {
    const { notifiedAt, ...row } = n;
    const { count } = await this.prisma.notification.createMany({ data: [{ ...row, createdAt: notifiedAt }], skipDuplicates: true });
    return count === 1;
  }

  async timeline(where: { orderId?: string; claimId?: string }): Promise<NotificationView[]> {
    const rows = await this.prisma.notification.findMany({ where, select: view, orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] });
    return rows.map(({ createdAt, ...n }) => ({ ...n, notifiedAt: createdAt }));
  }
}
