import { main } from '@app/platform';
import { OrderModule } from './order.module';

main('order', OrderModule);
