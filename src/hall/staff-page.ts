/**
 * The staff desk page (GET /staff): one static HTML document, its style sheet (/staff/app.css) and
 * its script (/staff/app.js, staff-page-script.ts) — no build step, nothing inline, so the page runs
 * under a CSP that allows only the hall's own script, style and API. The script keeps the staff
 * token in sessionStorage only and draws everything from the staff API with textContent (never
 * HTML from data).
 */

export const STAFF_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const STAFF_PAGE_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>政务服务大厅工作台 · Hall staff desk</title>
<link rel="stylesheet" href="/staff/app.css">
<script src="/staff/app.js" defer></script>
</head>
<body>
<header class="bar">
  <h1>政务服务大厅工作台 <small lang="en">Hall staff desk</small></h1>
  <div id="who" class="who" hidden>
    <span id="who-name" data-testid="who"></span>
    <button type="button" id="logout" class="quiet">退出 <small lang="en">Sign out</small></button>
  </div>
</header>
<main>
  <section id="login" class="card narrow" aria-labelledby="login-title">
    <h2 id="login-title">登录 <small lang="en">Sign in</small></h2>
    <form id="login-form" novalidate>
      <label for="token">工作人员令牌 <small lang="en">Staff token</small></label>
      <input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required>
      <p class="hint">令牌由管理员用 <code>npm run cli -- hall staff-token</code> 生成，仅保存在本标签页。 <small lang="en">Issued by the operator; kept in this tab only.</small></p>
      <button type="submit" id="login-submit">登录 <small lang="en">Sign in</small></button>
      <p id="login-error" class="error" role="alert"></p>
    </form>
  </section>

  <div id="desk" hidden>
    <nav class="tabs" aria-label="工作台 Desk">
      <div role="tablist" class="tablist">
        <button type="button" role="tab" id="tab-cases" aria-controls="panel-cases" aria-selected="true">办件与监察 <small lang="en">Cases</small></button>
        <button type="button" role="tab" id="tab-followups" aria-controls="panel-followups" aria-selected="false">好差评整改 <small lang="en">Follow-ups</small></button>
        <button type="button" role="tab" id="tab-fleet" aria-controls="panel-fleet" aria-selected="false">终端状态 <small lang="en">Kiosks</small></button>
      </div>
      <button type="button" id="refresh" class="quiet">刷新 <small lang="en">Refresh</small></button>
    </nav>
    <p id="status" class="status" role="status" aria-live="polite"></p>

    <section id="panel-cases" role="tabpanel" aria-labelledby="tab-cases">
      <div id="supervision-summary" class="summary" aria-label="电子监察 Supervision"></div>
      <table id="cases" class="grid">
        <caption>本辖区办件 <small lang="en">Cases of your jurisdiction</small></caption>
        <thead><tr>
          <th scope="col">办件编号 <small lang="en">Case</small></th>
          <th scope="col">事项编码 <small lang="en">Item</small></th>
          <th scope="col">状态 <small lang="en">Status</small></th>
          <th scope="col">收件时间 <small lang="en">Received</small></th>
          <th scope="col">承诺办结 <small lang="en">Deadline</small></th>
          <th scope="col">电子监察 <small lang="en">Supervision</small></th>
          <th scope="col"><span class="sr-only">操作 Actions</span></th>
        </tr></thead>
        <tbody></tbody>
      </table>
      <section id="case-detail" class="card" hidden aria-labelledby="case-title"></section>
    </section>

    <section id="panel-followups" role="tabpanel" aria-labelledby="tab-followups" hidden>
      <div class="toolbar">
        <button type="button" id="export" class="quiet">导出评价数据 <small lang="en">Export evaluations (JSON)</small></button>
      </div>
      <table id="followups" class="grid">
        <caption>差评整改 <small lang="en">Bad-review follow-ups</small></caption>
        <thead><tr>
          <th scope="col">编号 <small lang="en">No.</small></th>
          <th scope="col">评价 <small lang="en">Rating</small></th>
          <th scope="col">评价对象 <small lang="en">About</small></th>
          <th scope="col">原因 <small lang="en">Reason</small></th>
          <th scope="col">收到 <small lang="en">Received</small></th>
          <th scope="col">整改期限 <small lang="en">Due</small></th>
          <th scope="col">状态 <small lang="en">State</small></th>
          <th scope="col"><span class="sr-only">操作 Actions</span></th>
        </tr></thead>
        <tbody></tbody>
      </table>
      <section id="followup-detail" class="card" hidden aria-labelledby="followup-title"></section>
    </section>

    <section id="panel-fleet" role="tabpanel" aria-labelledby="tab-fleet" hidden>
      <table id="fleet" class="grid">
        <caption>自助终端 <small lang="en">Self-service kiosks</small></caption>
        <thead><tr>
          <th scope="col">终端 <small lang="en">Kiosk</small></th>
          <th scope="col">属地 <small lang="en">Jurisdiction</small></th>
          <th scope="col">连接 <small lang="en">Connection</small></th>
          <th scope="col">最后联系 <small lang="en">Last contact</small></th>
          <th scope="col">已接收序号 <small lang="en">Acked seq</small></th>
          <th scope="col">待上传 <small lang="en">Backlog</small></th>
          <th scope="col">设备 <small lang="en">Devices</small></th>
          <th scope="col">版本 <small lang="en">Version</small></th>
        </tr></thead>
        <tbody></tbody>
      </table>
    </section>
  </div>
</main>
</body>
</html>
`;

export const STAFF_PAGE_CSS = `
:root {
  --blue: #0b3a82; --blue-2: #1553b5; --red: #b3122e; --ink: #1b2230; --muted: #4a5568;
  --line: #d5dbe5; --bg: #eef2f8; --card: #ffffff;
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
  color: var(--ink); background: var(--bg); font-size: 16px; line-height: 1.45;
}
[hidden] { display: none !important; }
* { box-sizing: border-box; }
body { margin: 0; }
small { font-size: 0.78em; color: inherit; opacity: 0.85; font-weight: normal; }
code { font-family: "Noto Sans Mono CJK SC", monospace; background: #f1f3f7; padding: 0 0.25em; border-radius: 3px; }
.bar { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: 0.8rem 1.5rem;
  background: var(--blue); color: #fff; border-bottom: 4px solid var(--red); }
.bar h1 { font-size: 1.35rem; margin: 0; letter-spacing: 0.04em; }
.who { display: flex; gap: 0.8rem; align-items: center; }
.who .quiet { color: #fff; border-color: #fff; background: transparent; }
main { padding: 1.2rem 1.5rem 3rem; max-width: 1400px; margin: 0 auto; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1.1rem 1.3rem; margin: 1rem 0;
  box-shadow: 0 1px 3px rgba(11, 58, 130, 0.08); }
.card.narrow { max-width: 520px; margin: 3rem auto; }
.card h2, .card h3 { color: var(--blue); margin: 0 0 0.7rem; }
.card h3 { font-size: 1.05rem; margin-top: 1.1rem; border-left: 4px solid var(--red); padding-left: 0.5rem; }
label { display: block; font-weight: 600; margin: 0.6rem 0 0.25rem; }
input[type=text], input[type=password], input[type=number], textarea {
  width: 100%; font: inherit; padding: 0.5rem 0.6rem; border: 1px solid #8a96a8; border-radius: 5px; background: #fff; color: var(--ink); }
textarea { min-height: 3.2rem; }
input:focus, textarea:focus, button:focus-visible { outline: 3px solid #f2b600; outline-offset: 1px; }
button { font: inherit; cursor: pointer; border-radius: 5px; padding: 0.45rem 1rem; min-height: 44px;
  border: 1px solid var(--blue); background: var(--blue); color: #fff; font-weight: 600; }
button:hover { background: var(--blue-2); }
button.quiet { background: #fff; color: var(--blue); }
button.quiet:hover { background: #e8eef9; }
button.danger { background: var(--red); border-color: var(--red); }
button[disabled] { opacity: 0.55; cursor: not-allowed; }
.hint { color: var(--muted); font-size: 0.9rem; }
.error { color: var(--red); font-weight: 600; min-height: 1.2em; }
.status { min-height: 1.4em; margin: 0.6rem 0; font-weight: 600; color: var(--blue); }
.status.bad { color: var(--red); }
.tabs { display: flex; gap: 0.4rem; flex-wrap: wrap; align-items: flex-end; border-bottom: 2px solid var(--blue); padding-bottom: 0; margin-top: 0.4rem; }
.tablist { display: flex; gap: 0.4rem; flex-wrap: wrap; }
.tabs [role=tab] { background: #dde5f2; color: var(--blue); border: 1px solid #b8c6de; border-bottom: none; border-radius: 6px 6px 0 0; }
.tabs [role=tab][aria-selected=true] { background: var(--blue); color: #fff; border-color: var(--blue); }
.tabs #refresh { margin-left: auto; margin-bottom: 0.3rem; }
.toolbar { display: flex; justify-content: flex-end; margin: 0.6rem 0; }
.summary { display: flex; flex-wrap: wrap; gap: 0.6rem; margin: 0.6rem 0 0.2rem; }
.summary .tile { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 0.9rem; min-width: 8.5rem; }
.summary .tile b { display: block; font-size: 1.6rem; line-height: 1.1; }
table.grid { width: 100%; border-collapse: collapse; background: var(--card); margin: 0.8rem 0; border: 1px solid var(--line); }
table.grid caption { text-align: left; font-weight: 700; color: var(--blue); padding: 0.4rem 0; font-size: 1.05rem; }
table.grid th, table.grid td { padding: 0.5rem 0.65rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.grid th { background: #f3f6fb; font-size: 0.92rem; white-space: nowrap; }
table.grid tr.selected td { background: #fff8e1; }
table.grid td.empty { color: var(--muted); text-align: center; padding: 1.2rem; }
.mono { font-family: "Noto Sans Mono CJK SC", monospace; font-size: 0.9rem; word-break: break-all; }
.badge { display: inline-block; border: 2px solid; border-radius: 999px; padding: 0.05rem 0.65rem; font-weight: 700; white-space: nowrap; font-size: 0.92rem; }
.badge::before { content: attr(data-icon); margin-right: 0.3rem; }
.lv-overdue { background: #fde7ea; color: #8e0b22; border-color: #b3122e; }
.lv-warning { background: #fff3d6; color: #7a4a00; border-color: #c98400; }
.lv-reminder { background: #e3edff; color: #0b3a82; border-color: #1553b5; }
.lv-normal { background: #e4f5e9; color: #155724; border-color: #2f8f46; }
.lv-paused { background: #efe9f8; color: #4b2a7b; border-color: #7a55b5; border-style: dashed; }
.lv-closed, .lv-unknown { background: #eef0f3; color: #394150; border-color: #7b8494; }
.st { font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; }
.actions { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 0.9rem; margin-top: 0.6rem; align-items: start; }
.actions form { border: 1px solid var(--line); border-radius: 6px; padding: 0.7rem 0.9rem; background: #fafbfd; }
.actions fieldset { border: none; padding: 0; margin: 0; }
.actions legend { font-weight: 700; color: var(--blue); padding: 0; margin-bottom: 0.3rem; }
.checks label { display: flex; align-items: center; gap: 0.5rem; font-weight: normal; margin: 0.2rem 0; min-height: 32px; }
.checks input { width: 1.2rem; height: 1.2rem; }
.actions button { margin-top: 0.6rem; }
ol.history { margin: 0; padding-left: 1.3rem; }
ol.history li { margin: 0.2rem 0; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.devices { margin: 0; padding-left: 1rem; }
`;
