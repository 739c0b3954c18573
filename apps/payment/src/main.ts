import { main } from '@app/platform';
import { PaymentModule } from './payment.module';

main('payment', PaymentModule);
