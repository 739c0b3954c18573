import { Controller, Get, Query, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiEventStream, Roles } from '@app/platform';
import { NotificationList, NotificationView, StreamQuery, TimelineQuery } from './dto/notifications.query';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@Roles('operator')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOkResponse({ standardSchema: NotificationList, description: 'The timeline of the order or the claim, oldest first.' })
  @ApiErrors(400, 503)
  timeline(@Query({ schema: TimelineQuery }) query: TimelineQuery): Promise<NotificationList> {
    return this.notifications.timeline(query);
  }

  /** Server-sent events: `event: notification`, `data: {…}` per stored notification. */
  @Sse('stream')
  @ApiEventStream({ event: 'notification', data: NotificationView, description: 'Each notification as it is stored (id: the event id), until the client goes.' })
  @ApiErrors(400)
  stream(@Query({ schema: StreamQuery }) query: StreamQuery) {
    return this.notifications.stream(query);
  }
}
