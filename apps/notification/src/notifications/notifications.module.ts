import { Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller';
import { NotificationsConsumer } from './notifications.consumer';
import { NotificationsService } from './notifications.service';
import { NotificationsRepository } from './notifications.repository';

@Module({
  controllers: [NotificationsController, NotificationsConsumer],
  providers: [NotificationsService, NotificationsRepository],
})
export class NotificationsModule {}
