import { main } from '@app/platform';
import { StockModule } from './stock.module';

main('stock', StockModule);
