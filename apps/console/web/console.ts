// The console's page script (plain TypeScript, no library). Everything it shows comes from the
// services' public HTTP APIs and the notification service's server-sent events, reached through the
// console's /api/<service>/… forwarding: nothing here knows a database or a broker.

interface ApiErrorBody {
  code?: string;
  message?: string;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface ServiceStatus {
  name: string;
  status: 'up' | 'starting' | 'down' | 'unreachable';
  reason?: string;
}
interface Product {
  sku: string;
  available: number;
  reserved: number;
  price: number;
}
interface OrderBody {
  id: string;
  kind: string;
  count: number;
  status: string;
  reason: string | null;
  amount: number | null;
  createdAt: string;
  history?: { status: string; step: string; reason: string | null; at: string }[];
}
interface Notification {
  eventId: string;
  topic: string;
  orderId: string | null;
  status: string;
  message: string;
  /** The authenticated subject that started the flow (null on events from before actors were recorded). */
  actor: string | null;
  occurredAt: string;
  notifiedAt: string;
}

interface PartitionView {
  topic: string;
  partition: number;
  committedOffset: string | null;
  endOffset: string;
  lag: number;
  owner: string | null;
}
interface GroupView {
  groupId: string;
  state: string;
  members: { memberId: string; clientId: string; host: string; assignment: { topic: string; partitions: number[] }[] }[];
  partitions: PartitionView[];
  totalLag: number;
}
interface DeadLetterView {
  partition: number;
  offset: string;
  at: string;
  originalTopic: string | null;
  consumerGroup: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}
interface ReplayResult {
  scanned: number;
  replayed: number;
  skipped: number;
  replayedBefore: number;
}

interface PathStats {
  sent: number;
  answered: number;
  outcomes: Record<string, number>;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  perSecond: number;
}
interface RaceView {
  id: string;
  phase: string;
  couponId: number;
  path: string;
  users: number;
  usersCreated: number;
  cap: number;
  issued: number;
  elapsedMs: number;
  paths: Record<string, PathStats>;
  checks?: { name: string; ok: boolean; detail: string }[];
  pass?: boolean;
  error?: string;
}

/** One row of the recent orders: what the page knows of an order. */
interface OrderRow {
  id: string;
  kind: string;
  count: number;
  placedAt: number;
  status: string;
  reason: string | null;
  /** Stage -> when it happened (ms since the epoch), from the events. */
  stages: Map<string, number>;
}

const STAGES: { key: string; label: string }[] = [
  { key: 'PENDING', label: 'created' },
  { key: 'STOCK_RESERVED', label: 'stock reserved' },
  { key: 'PAID', label: 'paid' },
  { key: 'COMPLETED', label: 'shipped' },
  { key: 'REJECTED', label: 'rejected' },
  { key: 'CANCELLED', label: 'payment failed' },
  { key: 'STOCK_RELEASED', label: 'stock given back' },
];
const TERMINAL = new Set(['COMPLETED', 'REJECTED', 'CANCELLED']);
const MAX_ROWS = 30;

const $ = <T extends HTMLElement>(selector: string): T => {
  const el = document.querySelector<T>(selector);
  if (!el) throw new Error(`missing ${selector}`);
  return el;
};
const el = (tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const short = (id: string) => id.slice(-8);

// ---- sign-in ----------------------------------------------------------------------------------
// The page acts as an operator: its token rides on every call as `Authorization: Bearer`, and the
// services decide (README, Security). With dev tokens on (the default outside production) it signs
// in by itself through POST /auth/dev-tokens; otherwise paste a token (`npm run -s token -- --sub
// me --role operator`). Kept in this tab's sessionStorage only.
const TOKEN_KEY = 'console.token';
let token: string | null = sessionStorage.getItem(TOKEN_KEY);

function setToken(value: string | null, who: string): void {
  token = value;
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
  $('#who').textContent = who;
}

async function signIn(): Promise<boolean> {
  const res = await fetch('/api/coupon/auth/dev-tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ subjects: ['console'], roles: ['operator'] }),
  }).catch(() => undefined);
  if (!res?.ok) {
    setToken(null, 'not signed in: paste an operator token');
    $('#token-form').hidden = false;
    return false;
  }
  const { tokens } = (await res.json()) as { tokens: string[] };
  setToken(tokens[0], 'signed in as console (operator, dev token)');
  return true;
}

const authHeaders = (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

async function api<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
  const res = await fetch(`/api${path}`, {
    method,
    headers: { ...authHeaders(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // an expired (or foreign) token: sign in again once, then retry
  if (res.status === 401 && !retried && (await signIn())) return api<T>(method, path, body, true);
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const e = (data ?? {}) as ApiErrorBody;
    throw new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? res.statusText);
  }
  return data as T;
}

// ---- errors: shown, never swallowed -----------------------------------------------------------

function showError(error: unknown, what: string): void {
  const box = $('#error');
  box.hidden = false;
  if (error instanceof ApiError) {
    box.dataset.code = error.code;
    box.textContent = `${what}: ${error.status} ${error.code} — ${error.message}`;
  } else {
    delete box.dataset.code;
    box.textContent = `${what}: ${(error as Error)?.message ?? String(error)}`;
  }
}
function clearError(): void {
  $('#error').hidden = true;
}

// ---- services ---------------------------------------------------------------------------------

async function refreshServices(): Promise<void> {
  const list = $('#services');
  try {
    const services = await api<ServiceStatus[]>('GET', '/services');
    list.replaceChildren(
      ...services.map((s) => el('li', { 'data-service': s.name, 'data-status': s.status, title: s.reason ?? 'healthy' }, `${s.name} ${s.status}`)),
    );
  } catch (error) {
    list.replaceChildren(el('li', { 'data-status': 'unreachable' }, `console API: ${(error as Error).message}`));
  }
}

// ---- stock ------------------------------------------------------------------------------------

async function refreshStock(): Promise<void> {
  let products: Product[];
  try {
    products = await api<Product[]>('GET', '/stock/stock?limit=50');
  } catch {
    return; // the stock service shows as down in the services bar
  }
  $('#stock tbody').replaceChildren(
    ...products.map((p) =>
      el(
        'tr',
        { 'data-sku': p.sku },
        el('td', {}, p.sku),
        el('td', { class: 'num', 'data-field': 'available' }, String(p.available)),
        el('td', { class: 'num', 'data-field': 'reserved' }, String(p.reserved)),
        el('td', { class: 'num' }, String(p.price)),
      ),
    ),
  );
  const select = $<HTMLSelectElement>('#kind');
  const chosen = select.value;
  const skus = products.map((p) => p.sku);
  if ([...select.options].map((o) => o.value).join() !== skus.join()) {
    select.replaceChildren(...skus.map((sku) => el('option', { value: sku }, sku)));
    if (skus.includes(chosen)) select.value = chosen;
  }
}

// ---- orders -----------------------------------------------------------------------------------

const orders = new Map<string, OrderRow>();
let selected: string | undefined;

function rowOf(o: OrderBody): OrderRow {
  const known = orders.get(o.id);
  const row: OrderRow = known ?? {
    id: o.id,
    kind: o.kind,
    count: o.count,
    placedAt: Date.parse(o.createdAt),
    status: o.status,
    reason: o.reason,
    stages: new Map([['PENDING', Date.parse(o.createdAt)]]),
  };
  row.status = o.status;
  row.reason = o.reason;
  orders.set(o.id, row);
  return row;
}

function renderOrders(): void {
  const rows = [...orders.values()].sort((a, b) => b.placedAt - a.placedAt).slice(0, MAX_ROWS);
  for (const id of [...orders.keys()]) if (!rows.some((r) => r.id === id)) orders.delete(id);
  $('#orders tbody').replaceChildren(
    ...rows.map((o) => {
      const stages = STAGES.filter((s) => o.stages.has(s.key)).map((s) =>
        el('span', { class: 'chip', 'data-stage': s.key }, `${s.label} +${Math.max(0, o.stages.get(s.key)! - o.placedAt)} ms`),
      );
      const status = `${o.status}${o.reason ? ` (${o.reason})` : ''}`;
      const tr = el(
        'tr',
        { 'data-order-id': o.id, 'data-status': o.status, class: o.id === selected ? 'selected' : '' },
        el('td', {}, el('code', { title: o.id }, short(o.id))),
        el('td', {}, `${o.count} × ${o.kind}`),
        el('td', {}, el('div', { class: 'stages' }, ...stages)),
        el('td', { class: `status-${o.status}` }, status),
      );
      tr.addEventListener('click', () => void showTimeline(o.id));
      return tr;
    }),
  );
}

/** The order as the order service has it now (the authority on its status). */
async function reload(id: string): Promise<OrderRow> {
  const row = rowOf(await api<OrderBody>('GET', `/order/orders/${id}`));
  renderOrders();
  return row;
}

/** Polls a PENDING order until it is final (a missed event must not leave a row stale). */
const settling = new Set<string>();
async function settle(id: string): Promise<void> {
  if (settling.has(id)) return;
  settling.add(id);
  try {
    for (let i = 0; i < 60; i++) {
      const row = await reload(id);
      if (row.status !== 'PENDING') break;
      await sleep(i < 10 ? 200 : 1000);
    }
  } catch (error) {
    showError(error, `order ${short(id)}`);
  } finally {
    settling.delete(id);
  }
}

function onNotification(n: Notification): void {
  if (!n.orderId) return;
  const row = orders.get(n.orderId);
  if (!row) {
    void reload(n.orderId).then(() => onNotification(n), () => undefined);
    return;
  }
  if (!row.stages.has(n.status)) row.stages.set(n.status, Date.parse(n.occurredAt));
  renderOrders();
  if (TERMINAL.has(n.status)) void settle(n.orderId);
  if (selected === n.orderId) void showTimeline(n.orderId);
}

async function place(kind: string, count: number, demo?: string): Promise<void> {
  clearError();
  const buttons = document.querySelectorAll<HTMLButtonElement>('#saga button');
  buttons.forEach((b) => (b.disabled = true));
  try {
    const { id } = await api<{ id: string }>('POST', '/order/orders', { kind, count });
    const last = $('#last-order');
    last.dataset.orderId = id;
    last.dataset.demo = demo ?? '';
    last.textContent = `placed order ${id} (${count} × ${kind})`;
    await reload(id);
    void settle(id);
  } catch (error) {
    showError(error, `placing ${count} × ${kind}`);
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
}

const DEMOS: Record<string, () => Promise<void>> = {
  completed: () => place('apple', 1, 'completed'),
  // the tv costs more than the payment limit: payment fails, the stock is given back
  cancelled: () => place('tv', 1, 'cancelled'),
  unknown: () => place('no-such-product', 1, 'unknown'),
  'out-of-stock': async () => {
    try {
      await api('PUT', '/stock/stock/demo-empty', { available: 0, price: 100 });
    } catch (error) {
      showError(error, 'emptying demo-empty');
      return;
    }
    await place('demo-empty', 1, 'out-of-stock');
  },
};

// ---- timeline ---------------------------------------------------------------------------------

const SERVICE_OF_TOPIC = (topic: string) => topic.split('.')[0];

async function showTimeline(id: string): Promise<void> {
  selected = id;
  renderOrders();
  const box = $('#timeline');
  try {
    const [order, events] = await Promise.all([
      api<OrderBody>('GET', `/order/orders/${id}`),
      api<Notification[]>('GET', `/notification/notifications?orderId=${id}`),
    ]);
    const placed = Date.parse(order.createdAt);
    // what each service emitted (the notification service's record of every event), what the
    // order service applied (its timeline) and when the notification service recorded each event,
    // in time order
    // who: the subject each event names as the one who started the flow (applied steps name none)
    const entries = [
      ...events.map((e) => ({ at: Date.parse(e.occurredAt), service: SERVICE_OF_TOPIC(e.topic), what: `${e.topic}: ${e.message.replace(/^order \S+: /, '')}`, by: e.actor })),
      ...(order.history ?? []).map((h) => ({ at: Date.parse(h.at), service: 'order', what: `applied ${h.step} → ${h.status}${h.reason ? ` (${h.reason})` : ''}`, by: null })),
      ...events.map((e) => ({ at: Date.parse(e.notifiedAt), service: 'notification', what: `recorded ${e.topic}`, by: null })),
    ].sort((a, b) => a.at - b.at);
    const actors = [...new Set(events.map((e) => e.actor).filter((a): a is string => a !== null))];
    let previous = placed;
    const rows = entries.map((e) => {
      const tr = el(
        'tr',
        { 'data-service': e.service },
        el('td', {}, e.service),
        el('td', {}, e.what),
        el('td', { 'data-field': 'by' }, e.by ?? ''),
        el('td', { class: 'num' }, `+${e.at - placed} ms`),
        el('td', { class: 'num' }, `${e.at - previous} ms`),
      );
      previous = e.at;
      return tr;
    });
    box.replaceChildren(
      el(
        'p',
        {},
        el('code', {}, order.id),
        ` ${order.count} × ${order.kind}: `,
        el('strong', { class: `status-${order.status}` }, order.status),
        order.reason ? ` (${order.reason})` : '',
        actors.length ? ' — started by ' : '',
        ...(actors.length ? [el('span', { id: 'timeline-actor' }, actors.join(', '))] : []),
      ),
      el(
        'table',
        { id: 'timeline-table' },
        el('thead', {}, el('tr', {}, el('th', {}, 'service'), el('th', {}, 'event'), el('th', {}, 'by'), el('th', { class: 'num' }, 'since placed'), el('th', { class: 'num' }, 'hop'))),
        el('tbody', {}, ...rows),
      ),
    );
  } catch (error) {
    showError(error, `timeline of ${short(id)}`);
  }
}

// ---- coupon race ------------------------------------------------------------------------------

const numberOf = (selector: string) => Number($<HTMLInputElement>(selector).value);

async function createCoupon(): Promise<void> {
  clearError();
  const vendorText = $<HTMLInputElement>('#coupon-vendor').value.trim();
  try {
    const vendorId = vendorText ? Number(vendorText) : (await api<{ id: number }>('POST', '/coupon/vendors/random')).id;
    const coupon = await api<{ id: number; total: number; value: number; vendorId: number }>('POST', '/coupon/coupons', {
      type: 'RACE',
      total: numberOf('#coupon-cap'),
      value: numberOf('#coupon-value'),
      vendorId,
    });
    const out = $('#coupon-created');
    out.dataset.couponId = String(coupon.id);
    out.textContent = `coupon ${coupon.id}: cap ${coupon.total}, value ${coupon.value}, vendor ${coupon.vendorId}`;
    $<HTMLInputElement>('#race-coupon').value = String(coupon.id);
  } catch (error) {
    showError(error, 'creating the coupon');
  }
}

async function startRace(): Promise<void> {
  clearError();
  try {
    await api('POST', '/races', { couponId: numberOf('#race-coupon'), users: numberOf('#race-users'), path: $<HTMLSelectElement>('#race-path').value });
  } catch (error) {
    showError(error, 'starting the race');
  }
}

function renderRace(r: RaceView): void {
  const phase = $('#race-phase');
  phase.dataset.phase = r.phase;
  phase.dataset.raceId = r.id;
  phase.textContent = r.phase === 'creating users' ? `creating users ${r.usersCreated} / ${r.users}` : `${r.phase}${r.elapsedMs ? `, ${(r.elapsedMs / 1000).toFixed(1)} s` : ''}`;
  $('#race-bar').style.width = r.cap ? `${Math.min(100, (100 * r.issued) / r.cap)}%` : '0';
  const issued = $('#race-issued');
  issued.dataset.issued = String(r.issued);
  issued.textContent = `coupon ${r.couponId}: issued ${r.issued} of cap ${r.cap}; ${r.users} users, path ${r.path}`;
  $('#race-paths tbody').replaceChildren(
    ...Object.entries(r.paths).map(([path, p]) =>
      el(
        'tr',
        { 'data-path': path, 'data-answered': String(p.answered) },
        el('td', {}, path),
        el('td', { class: 'num' }, String(p.sent)),
        el('td', { class: 'num' }, String(p.answered)),
        el('td', {}, el('div', { class: 'stages' }, ...Object.entries(p.outcomes).map(([k, n]) => el('span', { class: 'chip', 'data-outcome': k, 'data-count': String(n) }, `${k} ${n}`)))),
        el('td', { class: 'num' }, String(p.perSecond)),
        el('td', { class: 'num' }, `${p.latencyMs.p50} / ${p.latencyMs.p95} / ${p.latencyMs.p99}`),
      ),
    ),
  );
  const verdict = $('#race-verdict');
  if (r.phase === 'failed') {
    verdict.dataset.verdict = 'FAIL';
    verdict.textContent = `FAIL: ${r.error ?? 'the race failed'}`;
  } else if (r.checks) {
    verdict.dataset.verdict = r.pass ? 'PASS' : 'FAIL';
    verdict.textContent = r.pass ? 'PASS' : 'FAIL';
  } else {
    delete verdict.dataset.verdict;
    verdict.textContent = '';
  }
  $('#race-checks').replaceChildren(...(r.checks ?? []).map((c) => el('li', { 'data-ok': String(c.ok), 'data-check': c.name }, `${c.name}: ${c.detail}`)));
}

function followRaces(): void {
  const source = new EventSource('/api/races/stream');
  source.addEventListener('race', (event) => renderRace(JSON.parse((event as MessageEvent<string>).data) as RaceView));
}

// ---- kafka ------------------------------------------------------------------------------------

let topicPrefix = '';
const plain = (topic: string) => (topicPrefix && topic.startsWith(topicPrefix) ? topic.slice(topicPrefix.length) : topic);

const byTopic = (partitions: PartitionView[]): [string, PartitionView[]][] => {
  const map = new Map<string, PartitionView[]>();
  for (const p of partitions) map.set(plain(p.topic), [...(map.get(plain(p.topic)) ?? []), p]);
  return [...map].sort(([a], [b]) => a.localeCompare(b));
};

/** One topic of a group: a chip per partition (committed / end, coloured by its lag, owner on hover). */
const topicRow = (topic: string, parts: PartitionView[]): HTMLElement => {
  const lag = parts.reduce((n, p) => n + p.lag, 0);
  return el(
    'tr',
    { 'data-topic': topic },
    el('td', {}, topic),
    el(
      'td',
      {},
      el(
        'div',
        { class: 'stages' },
        ...parts.map((p) =>
          el(
            'span',
            {
              class: `chip ${p.lag === 0 ? 'lag-0' : 'lag-some'}`,
              'data-partition': String(p.partition),
              'data-committed': p.committedOffset ?? '',
              'data-lag': String(p.lag),
              title: `owner: ${p.owner ?? 'none'}, lag ${p.lag}`,
            },
            `${p.partition}: ${p.committedOffset ?? '—'} / ${p.endOffset}`,
          ),
        ),
      ),
    ),
    el('td', { class: `num ${lag === 0 ? 'lag-0' : 'lag-some'}` }, String(lag)),
  );
};

async function refreshGroups(): Promise<void> {
  const box = $('#groups');
  let view: { topicPrefix: string; groups: GroupView[] };
  try {
    view = await api('GET', '/coupon/ops/consumer-groups');
  } catch (error) {
    box.replaceChildren(el('p', { class: 'status-REJECTED', 'data-error': error instanceof ApiError ? error.code : 'UNREACHABLE' }, `consumer groups unavailable: ${(error as Error).message}`));
    return;
  }
  topicPrefix = view.topicPrefix;
  box.replaceChildren(
    ...view.groups
      .sort((a, b) => a.groupId.localeCompare(b.groupId))
      .map((g) =>
        el(
          'div',
          { class: 'group', 'data-group': g.groupId, 'data-state': g.state },
          el('h4', {}, `${g.groupId} `, el('small', {}, `${g.state}, lag `), el('span', { class: g.totalLag === 0 ? 'lag-0' : 'lag-some', 'data-field': 'lag' }, String(g.totalLag))),
          el(
            'div',
            { class: 'members' },
            g.members.length === 0
              ? 'no members'
              : g.members.map((m) => `${m.clientId} (${m.host}): ${m.assignment.map((a) => `${plain(a.topic)}[${a.partitions.join(',')}]`).join(' ')}`).join(' · '),
          ),
          el(
            'table',
            {},
            el('thead', {}, el('tr', {}, el('th', {}, 'topic'), el('th', {}, 'partition: committed / end offset'), el('th', { class: 'num' }, 'lag'))),
            el('tbody', {}, ...byTopic(g.partitions).map(([topic, parts]) => topicRow(topic, parts))),
          ),
        ),
      ),
  );
  if (view.groups.length === 0) box.replaceChildren(el('p', { class: 'muted' }, 'No consumer group on this stack yet.'));
}

async function refreshDeadLetters(): Promise<void> {
  const count = $('#dlq-count');
  let view: { topic: string; count: number; latest: DeadLetterView[] };
  try {
    view = await api('GET', '/coupon/ops/dead-letters?limit=20');
  } catch (error) {
    count.dataset.count = '';
    count.textContent = `unavailable: ${error instanceof ApiError ? error.code : (error as Error).message}`;
    return;
  }
  count.dataset.count = String(view.count);
  count.textContent = `${view.count} in ${plain(view.topic)}`;
  $('#dead-letters tbody').replaceChildren(
    ...view.latest.map((d) =>
      el(
        'tr',
        { 'data-offset': `${d.partition}:${d.offset}`, 'data-original-topic': plain(d.originalTopic ?? '') },
        el('td', {}, new Date(d.at).toLocaleTimeString()),
        el('td', {}, plain(d.originalTopic ?? '?')),
        el('td', {}, d.consumerGroup ?? '?'),
        el('td', { 'data-field': 'error' }, el('code', {}, d.errorCode ?? '?'), ` ${d.errorMessage ?? ''}`),
      ),
    ),
  );
}

async function replayAll(): Promise<void> {
  const button = $<HTMLButtonElement>('#replay');
  const out = $('#replay-result');
  button.disabled = true;
  clearError();
  try {
    const r = await api<ReplayResult>('POST', '/coupon/ops/dead-letters/replay', {});
    out.dataset.replayed = String(r.replayed);
    out.textContent = `replayed ${r.replayed} of ${r.scanned} read (${r.replayedBefore} replayed before, ${r.skipped} left by filters)`;
    await refreshDeadLetters();
  } catch (error) {
    showError(error, 'replaying the dead letters');
  } finally {
    button.disabled = false;
  }
}

// ---- tabs -------------------------------------------------------------------------------------

/** The tab on screen: only its data is refreshed. */
let shownTab = 'saga';
function show(tab: string): void {
  shownTab = tab;
  document.querySelectorAll<HTMLButtonElement>('#tabs button').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.tab === tab)));
  document.querySelectorAll<HTMLElement>('section[data-view]').forEach((section) => (section.hidden = section.id !== tab));
  if (tab === 'kafka') void Promise.all([refreshGroups(), refreshDeadLetters()]);
}

// ---- start ------------------------------------------------------------------------------------

/**
 * The notification stream, read with fetch rather than EventSource: EventSource cannot send the
 * Authorization header, and a token in the URL would end up in logs. Reconnects after a second.
 */
function listen(): void {
  const indicator = $('#stream');
  const down = () => {
    indicator.dataset.state = 'reconnecting';
    indicator.textContent = 'events: reconnecting (the notification service is not streaming)';
    setTimeout(listen, 1000);
  };
  void fetch('/api/notification/notifications/stream', { headers: { accept: 'text/event-stream', ...authHeaders() } })
    .then(async (res) => {
      if (!res.ok || !res.body) {
        if (res.status === 401) await signIn();
        return down();
      }
      indicator.dataset.state = 'live';
      indicator.textContent = 'events: live';
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return down();
        buffer += value;
        const frames = buffer.split('\n\n');
        buffer = frames.pop() ?? '';
        for (const frame of frames) {
          const data = frame.split('\n').find((l) => l.startsWith('data:'));
          if (/^event: notification$/m.test(frame) && data) onNotification(JSON.parse(data.slice(5)) as Notification);
        }
      }
    })
    .catch(down);
}

async function start(): Promise<void> {
  $('#token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    setToken($<HTMLInputElement>('#token').value.trim() || null, 'signed in with a pasted token');
    $('#token-form').hidden = true;
  });
  if (token) setToken(token, 'signed in as console (operator)');
  else await signIn();
  $('#order-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const kind = $<HTMLSelectElement>('#kind').value;
    const count = Number($<HTMLInputElement>('#count').value);
    void place(kind, count);
  });
  document.querySelectorAll<HTMLButtonElement>('#tabs button').forEach((b) => b.addEventListener('click', () => show(b.dataset.tab ?? 'saga')));
  $('#replay').addEventListener('click', () => void replayAll());
  $('#coupon-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void createCoupon();
  });
  $('#race-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void startRace();
  });
  followRaces();
  document.querySelectorAll<HTMLButtonElement>('button[data-demo]').forEach((b) =>
    b.addEventListener('click', () => void DEMOS[b.dataset.demo ?? '']?.()),
  );
  listen();
  await Promise.all([refreshServices(), refreshStock()]);
  try {
    const page = await api<{ items: OrderBody[] }>('GET', '/order/orders?limit=20');
    page.items.forEach(rowOf);
    renderOrders();
  } catch (error) {
    showError(error, 'loading recent orders');
  }
  setInterval(() => void refreshServices(), 2000);
  setInterval(() => void refreshStock(), 1000);
  setInterval(() => {
    if (shownTab === 'kafka') void Promise.all([refreshGroups(), refreshDeadLetters()]);
  }, 2000);
}

void start();
