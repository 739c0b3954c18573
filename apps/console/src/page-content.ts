// The console's HTML and CSS, served as they are (the script is apps/console/web/console.ts).
// Plain markup: every live part is filled by the script from the services' APIs. The form does not
// validate in the browser: the order service does, and its 400 and code are shown.

export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>commerce-events console</title>
<link rel="stylesheet" href="/console.css">
</head>
<body>
<header>
  <h1>commerce-events <span>console</span></h1>
  <ul id="services" aria-label="services"></ul>
  <span id="stream" data-state="connecting">events: connecting</span>
  <span id="who">signing in…</span>
  <form id="token-form" hidden><input id="token" type="password" placeholder="operator token" aria-label="operator token" autocomplete="off"><button type="submit">Use token</button></form>
</header>
<nav id="tabs" aria-label="views">
  <button type="button" data-tab="saga" aria-selected="true">Order saga</button>
  <button type="button" data-tab="race" aria-selected="false">Coupon race</button>
  <button type="button" data-tab="kafka" aria-selected="false">Kafka</button>
</nav>
<main>
<p id="error" role="alert" hidden></p>
<section id="saga" data-view aria-labelledby="saga-title">
  <h2 id="saga-title">Order saga <small>order → stock → payment → shipment, watched by notification</small></h2>
  <div class="controls">
    <form id="order-form" novalidate>
      <label>Product <select name="kind" id="kind" required></select></label>
      <label>Count <input name="count" id="count" type="number" min="1" max="1000" value="1" required></label>
      <button type="submit">Place order</button>
    </form>
    <div class="demos" aria-label="demos">
      <button type="button" data-demo="completed" title="1 x apple">Demo: completed</button>
      <button type="button" data-demo="cancelled" title="1 x tv: over the payment limit, the stock is given back">Demo: cancelled by the payment limit</button>
      <button type="button" data-demo="unknown" title="a product that does not exist">Demo: rejected, unknown product</button>
      <button type="button" data-demo="out-of-stock" title="a product with no units (demo-empty, set to 0 first)">Demo: rejected, out of stock</button>
    </div>
  </div>
  <p id="last-order" class="muted"></p>
  <div class="columns">
    <div>
      <h3>Recent orders <small>live from the notification stream; click one for its timeline</small></h3>
      <table id="orders">
        <thead><tr><th>order</th><th>product</th><th>stages (time since placed)</th><th>status</th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
    <div>
      <h3>Timeline</h3>
      <div id="timeline"><p class="muted">Click an order.</p></div>
      <h3>Stock</h3>
      <table id="stock">
        <thead><tr><th>product</th><th>available</th><th>reserved</th><th>price</th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
  </div>
</section>
<section id="race" data-view aria-labelledby="race-title" hidden>
  <h2 id="race-title">Coupon race <small>first come, first served: N new users claim one coupon at once; the cap must hold</small></h2>
  <div class="columns">
    <div>
      <h3>1. A coupon</h3>
      <form id="coupon-form" novalidate>
        <label>Cap <input id="coupon-cap" type="number" value="20"></label>
        <label>Value <input id="coupon-value" type="number" value="1000"></label>
        <label>Vendor id <input id="coupon-vendor" type="text" placeholder="new vendor" size="10"></label>
        <button type="submit">Create coupon</button>
      </form>
      <p id="coupon-created" class="muted"></p>
      <h3>2. The race</h3>
      <form id="race-form" novalidate>
        <label>Coupon <input id="race-coupon" type="number"></label>
        <label>Users <input id="race-users" type="number" value="300" title="at most 20,000"></label>
        <label>Path <select id="race-path">
          <option value="mixed">both (alternating)</option>
          <option value="sync">sync (POST …/claims)</option>
          <option value="queued">queued (POST …/claims/async, Kafka)</option>
        </select></label>
        <button type="submit">Start the race</button>
      </form>
      <p class="muted">The console's server creates the users and fires the claims (the code of
        <code>npm run experiment:coupon</code>), never this tab; then it waits until every queued claim is
        decided and checks the totals against the coupon's audit.</p>
    </div>
    <div>
      <h3>Live <span id="race-phase" class="chip">no race yet</span></h3>
      <div class="bar"><span id="race-bar"></span></div>
      <p id="race-issued" class="muted"></p>
      <table id="race-paths">
        <thead><tr><th>path</th><th class="num">sent</th><th class="num">answered</th><th>outcomes</th><th class="num">claims/s</th><th class="num">answer ms p50/p95/p99</th></tr></thead>
        <tbody></tbody>
      </table>
      <h3>Totals check <span id="race-verdict"></span></h3>
      <ul id="race-checks"></ul>
    </div>
  </div>
</section>
<section id="kafka" data-view aria-labelledby="kafka-title" hidden>
  <h2 id="kafka-title">Kafka <small>consumer groups and the dead-letter topic, from the coupon service's ops API; refreshed every 2 s</small></h2>
  <div class="columns">
    <div>
      <h3>Consumer groups</h3>
      <div id="groups"><p class="muted">Loading…</p></div>
    </div>
    <div>
      <h3>Dead letters <span id="dlq-count" class="chip" data-count="">…</span></h3>
      <p class="muted">Messages a consumer could not apply (undecodable, failing their contract, or a permanent error), with the reason in their headers.
        Replay puts them back on their topics, each once, with the code of <code>npm run dlq:replay</code>.</p>
      <p><button type="button" id="replay">Replay all dead letters</button> <span id="replay-result" class="muted"></span></p>
      <table id="dead-letters">
        <thead><tr><th>dead-lettered</th><th>from</th><th>group</th><th>error</th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
  </div>
</section>
</main>
<script src="/console.js" defer></script>
</body>
</html>
`;

export const CONSOLE_CSS = `
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #6e7781; --line: #d0d7de; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: #1f2328; }
header { display: flex; align-items: center; gap: 16px; flex-wrap: wrap; padding: 10px 20px; border-bottom: 1px solid var(--line); background: var(--bg); }
h1 { font-size: 18px; margin: 0; } h1 span { color: var(--muted); font-weight: 400; }
h2 { font-size: 16px; margin: 16px 0 8px; } h3 { font-size: 14px; margin: 14px 0 6px; }
small, .muted { color: var(--muted); font-weight: 400; }
main { padding: 0 20px 20px; }
#services { display: flex; gap: 6px; list-style: none; margin: 0; padding: 0; flex-wrap: wrap; }
#services li, .chip { padding: 1px 8px; border-radius: 10px; border: 1px solid var(--line); background: #fff; white-space: nowrap; }
#services li[data-status="up"] { border-color: var(--ok); color: var(--ok); }
#services li[data-status="starting"] { border-color: var(--warn); color: var(--warn); }
#services li[data-status="down"], #services li[data-status="unreachable"] { border-color: var(--bad); color: var(--bad); }
#stream[data-state="live"] { color: var(--ok); } #stream[data-state="reconnecting"] { color: var(--bad); }
.controls { display: flex; gap: 16px; flex-wrap: wrap; align-items: center; }
form { display: flex; gap: 8px; align-items: center; }
[hidden] { display: none !important; }
input[type=number] { width: 70px; }
.demos { display: flex; gap: 6px; flex-wrap: wrap; }
button { cursor: pointer; } button:disabled { cursor: wait; }
#error { color: var(--bad); border: 1px solid var(--bad); padding: 6px 10px; border-radius: 6px; }
.columns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 24px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); }
#orders tbody tr { cursor: pointer; } #orders tbody tr:hover, #orders tbody tr.selected { background: var(--bg); }
.stages { display: flex; gap: 4px; flex-wrap: wrap; }
.chip[data-stage="COMPLETED"], .status-COMPLETED { color: var(--ok); border-color: var(--ok); }
.chip[data-stage="REJECTED"], .chip[data-stage="CANCELLED"], .status-REJECTED, .status-CANCELLED { color: var(--bad); border-color: var(--bad); }
.status-PENDING { color: var(--warn); }
code { font-size: 12px; }
#tabs { display: flex; gap: 4px; padding: 8px 20px 0; border-bottom: 1px solid var(--line); }
#tabs button { border: 1px solid var(--line); border-bottom: none; background: var(--bg); padding: 6px 14px; border-radius: 6px 6px 0 0; }
#tabs button[aria-selected="true"] { background: #fff; font-weight: 600; margin-bottom: -1px; }
#error { margin-top: 12px; }
.group { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; margin-bottom: 10px; }
.group h4 { margin: 0 0 4px; font-size: 13px; } .group .members { color: var(--muted); font-size: 12px; margin-bottom: 4px; }
#race .columns { grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); }
.bar { height: 10px; background: var(--bg); border: 1px solid var(--line); border-radius: 5px; overflow: hidden; }
.bar span { display: block; height: 100%; width: 0; background: var(--ok); transition: width .2s; }
#race-checks { list-style: none; padding: 0; margin: 0; } #race-checks li[data-ok="true"]::before { content: "PASS "; color: var(--ok); font-weight: 600; }
#race-checks li[data-ok="false"]::before { content: "FAIL "; color: var(--bad); font-weight: 600; }
#race-verdict[data-verdict="PASS"] { color: var(--ok); } #race-verdict[data-verdict="FAIL"] { color: var(--bad); }
.lag-0 { color: var(--ok); } .lag-some { color: var(--warn); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
`;
