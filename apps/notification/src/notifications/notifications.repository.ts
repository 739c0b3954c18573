import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/database';
import { Topic } from '@app/events';
import { NotificationList, NotificationView } from './dto/notifications.query';

// what a notification is stored and answered as (the service's spec takes it from here)
export type { NotificationView } from './dto/notifications.query';

const view = {
  eventId: true, topic: true, orderId: true, claimId: true, couponId: true, status: true, message: true, actor: true, occurredAt: true, createdAt: true,
} as const;

/** The only file of the notification service that touches Prisma. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Stores a notification once per event id; false when it was already stored (a redelivery). */
  async insert(n: NotificationView): Promise<boolean> {
    const { notifiedAt, occurredAt, ...row } = n;
    const { count } = await this.prisma.notification.createMany({
      data: [{ ...row, occurredAt: new Date(occurredAt), createdAt: new Date(notifiedAt) }],
      skipDuplicates: true,
    });
    return count === 1;
  }

  async timeline(where: { orderId?: string; claimId?: string }): Promise<NotificationList> {
    const rows = await this.prisma.notification.findMany({ where, select: view, orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] });
    return rows.map(({ createdAt, occurredAt, topic, ...n }) => ({
      ...n,
      // stored from an envelope's (validated) type only
      topic: topic as Topic,
      occurredAt: occurredAt.toISOString(),
      notifiedAt: createdAt.toISOString(),
    }));
  }
}
