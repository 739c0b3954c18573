import { main } from '@app/platform';
import { NotificationModule } from './notification.module';

main('notification', NotificationModule);
