import { Injectable, Logger, MessageEvent, OnModuleDestroy } from '@nestjs/common';
import { filter, map, Observable, Subject } from 'rxjs';
import { describeEvent, AnyEnvelope } from './describe-event';
import { NotificationsRepository } from './notifications.repository';
import { NotificationList, NotificationView, StreamQuery, TimelineQuery } from './dto/notifications.query';

@Injectable()
export class NotificationsService implements OnModuleDestroy {
  private readonly log = new Logger('Notification');
  private readonly stored$ = new Subject<NotificationView>();

  constructor(private readonly notifications: NotificationsRepository) {}

  /** One stored row, one log line and one SSE message per event; redeliveries change nothing. */
  async notify(e: AnyEnvelope): Promise<void> {
    const d = describeEvent(e);
    const n: NotificationView = { eventId: e.eventId, topic: e.type, actor: e.actor ?? null, occurredAt: new Date(e.occurredAt).toISOString(), notifiedAt: new Date().toISOString(), ...d };
    if (!(await this.notifications.insert(n))) return;
    this.log.log(n.message);
    this.stored$.next(n);
  }

  timeline(q: TimelineQuery): Promise<NotificationList> {
    return this.notifications.timeline(q.orderId ? { orderId: q.orderId } : { claimId: q.claimId });
  }

  stream(q: StreamQuery): Observable<MessageEvent> {
    return this.stored$.pipe(
      filter((n) => (!q.orderId || n.orderId === q.orderId) && (!q.claimId || n.claimId === q.claimId)),
      map((n) => ({ id: n.eventId, type: 'notification', data: n })),
    );
  }

  /** Ends open SSE responses so that shutdown does not wait for clients. */
  onModuleDestroy(): void {
    this.stored$.complete();
  }
}
