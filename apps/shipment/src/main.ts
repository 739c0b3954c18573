import { main } from '@app/platform';
import { ShipmentModule } from './shipment.module';

main('shipment', ShipmentModule);
