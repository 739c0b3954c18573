import { Controller, Get, Query, Sse } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { StreamQuery, TimelineQuery } from './dto/notifications.query';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  timeline(@Query({ schema: TimelineQuery }) query: TimelineQuery) {
    return this.notifications.timeline(query);
  }

  /** Server-sent events: `event: notification`, `data: {…}` per stored notification. */
  @Sse('stream')
  stream(@Query({ schema: StreamQuery }) query: StreamQuery) {
    return this.notifications.stream(query);
  }
}
