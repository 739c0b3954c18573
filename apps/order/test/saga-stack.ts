import { OrderModule } from '../src/order.module';
import { StockModule } from '../../stock/src/stock.module';
import { PaymentModule } from '../../payment/src/payment.module';
import { ShipmentModule } from '../../shipment/src/shipment.module';
import { NotificationModule } from '../../notification/src/notification.module';
import { createTestStack, eventually, TestStack } from '../../../test/harness';

export const SAGA_MODULES = {
  order: OrderModule,
  stock: StockModule,
  payment: PaymentModule,
  shipment: ShipmentModule,
  notification: NotificationModule,
} as const;
export type SagaApp = keyof typeof SAGA_MODULES;

export interface SagaStack {
  stack: TestStack;
  urls: Record<SagaApp, string>;
  /** Restarts one app in-process (a fresh instance in the same consumer group). */
  restart(app: SagaApp): Promise<void>;
  stop(app: SagaApp): Promise<void>;
  start(app: SagaApp): Promise<void>;
  /** POST /orders as `userId` (the token's subject is the order's user; the body names none). */
  order(body: unknown, userId?: string): Promise<Response>;
  /** Places an order as `userId` (default SAGA_USER); its id. */
  placeOrder(kind: string, count: number, userId?: string): Promise<string>;
  /** PUT /stock/:sku, as the operator. */
  setStock(sku: string, available: number, price: number): Promise<void>;
  /** GET a path of an app as the operator (who reads every order, payment, shipment and notification). */
  get<T>(app: SagaApp, path: string): Promise<T>;
  /**
   * Waits until the order left PENDING and its timeline holds `steps` rows (outcomes arrive on
   * different topics, so a progress step may be recorded just after the final one); GET /orders/:id
   * as the operator.
   */
  terminal(id: string, steps?: number): Promise<OrderBody>;
  close(): Promise<void>;
}

export interface OrderBody {
  id: string;
  userId: string | null;
  status: string;
  reason: string | null;
  amount: number | null;
  history: { status: string; step: string; reason: string | null }[];
}

/** Whose orders the saga tests place unless they name a user. */
export const SAGA_USER = 'saga-user';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const json = (body: unknown, token: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...bearer(token) },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** The five saga apps, in-process, on one isolated stack (database, topics, groups). */
export async function startSaga(label: string, env: NodeJS.ProcessEnv = {}): Promise<SagaStack> {
  const stack = await createTestStack(label, env);
  const apps = {} as Record<SagaApp, { url: string; close(): Promise<void> }>;
  const start = async (name: SagaApp) => {
    apps[name] = await stack.start(name, SAGA_MODULES[name]);
  };
  // consumers first, so that every group has joined before the first order is placed
  await Promise.all((['stock', 'payment', 'shipment', 'notification', 'order'] as const).map(start));
  const urls = () => Object.fromEntries(Object.entries(apps).map(([k, v]) => [k, v.url])) as Record<SagaApp, string>;
  const saga: SagaStack = {
    stack,
    get urls() {
      return urls();
    },
    async stop(app) {
      await apps[app].close();
    },
    start,
    async restart(app) {
      await apps[app].close();
      await start(app);
    },
    order: (body, userId = SAGA_USER) => fetch(`${apps.order.url}/orders`, json(body, stack.token(userId))),
    async placeOrder(kind, count, userId = SAGA_USER) {
      const res = await saga.order({ kind, count }, userId);
      if (res.status !== 201) throw new Error(`POST /orders answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    },
    async setStock(sku, available, price) {
      const res = await fetch(`${apps.stock.url}/stock/${sku}`, { ...json({ available, price }, stack.operatorToken), method: 'PUT' });
      if (res.status !== 200) throw new Error(`PUT /stock answered ${res.status}: ${await res.text()}`);
    },
    async get<T>(app: SagaApp, path: string): Promise<T> {
      const res = await fetch(`${apps[app].url}${path}`, { headers: bearer(stack.operatorToken) });
      if (res.status !== 200) throw new Error(`GET ${app} ${path} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as T;
    },
    terminal: (id, steps = 0) =>
      eventually(`order ${id} to finish`, async () => {
        const order = await saga.get<OrderBody>('order', `/orders/${id}`);
        return order.status === 'PENDING' || order.history.length < steps ? undefined : order;
      }),
    close: () => stack.close(),
  };
  return saga;
}
