import { AppName, ConsoleEnv, loadConsoleEnv } from '@app/config';
import { OrderModule } from '../../../apps/order/src/order.module';
import { StockModule } from '../../../apps/stock/src/stock.module';
import { PaymentModule } from '../../../apps/payment/src/payment.module';
import { ShipmentModule } from '../../../apps/shipment/src/shipment.module';
import { NotificationModule } from '../../../apps/notification/src/notification.module';
import { CouponModule } from '../../../apps/coupon/src/coupon.module';
import { TestStack } from '../../../test/harness';

/** Every app's root module, for tests that start the whole stack in this process. */
export const MODULES = {
  order: OrderModule,
  stock: StockModule,
  payment: PaymentModule,
  shipment: ShipmentModule,
  notification: NotificationModule,
  coupon: CouponModule,
};

/** The console's env over the apps a test started (their URLs) and the stack's token key. */
export const consoleEnvOf = (stack: TestStack, urls: Record<AppName, string>): ConsoleEnv =>
  loadConsoleEnv({
    LOG_LEVEL: 'warn',
    ORDER_URL: urls.order,
    STOCK_URL: urls.stock,
    PAYMENT_URL: urls.payment,
    SHIPMENT_URL: urls.shipment,
    NOTIFICATION_URL: urls.notification,
    COUPON_URL: urls.coupon,
    AUTH_JWT_SECRET: stack.env.AUTH_JWT_SECRET,
  });
