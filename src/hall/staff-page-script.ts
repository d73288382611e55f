/**
 * The staff desk's script, served as /staff/app.js (see staff-page.ts). Plain DOM JavaScript kept as
 * a string so the hall needs no build step; a unit test compiles it. Written without template
 * literals so it can live inside one. Everything shown is set with textContent.
 */
export const STAFF_PAGE_JS = String.raw`'use strict';
(function () {
  var TOKEN_KEY = 'zizhu.hall.staffToken';
  var token = sessionStorage.getItem(TOKEN_KEY);
  var tz = 'Asia/Shanghai';
  var selectedCase = null;
  var selectedFollowup = null;

  var STATUS = {
    received: ['已收件', 'Received'],
    accepted: ['已受理', 'Accepted'],
    refused: ['不予受理', 'Refused'],
    'correction-requested': ['补齐补正中', 'Correction requested'],
    'supplement-received': ['已补正待审', 'Supplement received'],
    completed: ['已办结', 'Completed']
  };
  var LEVEL = {
    overdue: ['超时通报', 'Overdue', '!!'],
    warning: ['提前预警', 'Due soon', '!'],
    reminder: ['收件提醒', 'Just received', '✉'],
    normal: ['正常', 'On track', '✓'],
    paused: ['补正暂停计时', 'Clock paused', '‖'],
    closed: ['已结束', 'Closed', '■'],
    unknown: ['无承诺时限', 'No deadline', '?']
  };
  var CASE_ACTIONS = {
    accept: ['受理', 'Accept'],
    refuse: ['不予受理', 'Refuse'],
    'request-correction': ['补齐补正', 'Request correction'],
    complete: ['办结', 'Complete']
  };
  var FU_ACTIONS = {
    start: ['开始整改', 'Start'],
    'request-extension': ['申请延期', 'Request extension'],
    'grant-extension': ['批准延期', 'Grant extension'],
    'deny-extension': ['驳回延期', 'Deny extension'],
    complete: ['整改完成', 'Rectified'],
    'mark-invalid': ['无效差评', 'Invalid review'],
    'cannot-fix': ['无法整改', 'Cannot fix']
  };
  var FU_LEVEL = { overdue: 'overdue', pending: 'reminder', 'in-progress': 'normal', 'extension-requested': 'warning', done: 'closed', invalid: 'closed', 'cannot-fix': 'closed' };
  var CONNECTION = { online: ['在线', 'Online', 'normal', '✓'], offline: ['离线', 'Offline', 'overdue', '!!'], never: ['从未连接', 'Never connected', 'unknown', '?'] };
  var HEALTH = { ok: ['正常', 'OK', 'normal', '✓'], degraded: ['告警', 'Warning', 'warning', '!'], fault: ['故障', 'Fault', 'overdue', '!!'], unknown: ['未上报', 'Not reported', 'unknown', '?'] };
  var DEVICE = { idcard: '身份证阅读器', printer: '凭条打印机', ticketPrinter: '取号打印机', scanner: '扫描仪', codeReader: '扫码器' };
  var DEVICE_STATE = { warning: '告警', fault: '故障', disconnected: '未连接', error: '错误' };
  var DEVICE_DETAIL = { 'paper-near-end': '纸将尽', 'paper-out': '缺纸', 'cover-open': '机盖打开', offline: '离线', jam: '卡纸', error: '错误' };
  /** Labels for the application fields the kiosk sends (applications.ts); others show their key. */
  var FIELD = {
    receiptNo: ['收件凭证号', 'Receipt no.'], submittedAt: ['提交时间', 'Submitted'], caseType: ['办件类型', 'Case type'],
    promisedDate: ['承诺办结日期', 'Promised by'], integrityAcknowledgedAt: ['廉洁告知确认', 'Integrity notice'],
    'delivery.method': ['送达方式', 'Delivery'], 'delivery.recipient': ['收件人', 'Recipient'], 'delivery.phone': ['联系电话', 'Phone'],
    'delivery.address': ['邮寄地址', 'Address'], 'delivery.postcode': ['邮政编码', 'Postcode'], licences: ['已调用电子证照', 'Shared licences'],
    'bundle.code': ['一件事', 'Bundle']
  };
  var VALUE = { promised: '承诺件', immediate: '即办件', ems: 'EMS 免费寄递', pickup: '窗口自取' };

  function $(id) { return document.getElementById(id); }

  /** h('td', {className: 'x'}, 'text', node, ...) — children are text or nodes, never HTML. */
  function h(tag, props) {
    var el = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        var v = props[k];
        if (v === undefined || v === null) return;
        if (k === 'className') el.className = v;
        else if (k === 'text') el.textContent = v;
        else if (k.indexOf('on') === 0) el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, v === true ? '' : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  /** Appends text, a node, or (nested) arrays of them; skips null, undefined and false. */
  function append(el, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) c.forEach(function (x) { append(el, x); });
    else el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  /** Chinese label with the English in smaller text. */
  function bi(pair) { return [pair[0] + ' ', h('small', { lang: 'en' }, pair[1])]; }
  function badge(level, pair, icon) {
    return h('span', { className: 'badge lv-' + level, 'data-icon': icon || '', 'data-level': level }, bi(pair));
  }
  function levelBadge(level) { var l = LEVEL[level] || [level, level, '?']; return badge(level, l, l[2]); }
  function statusText(s) { var p = STATUS[s] || [s, s]; return h('span', { className: 'st', 'data-status': s }, bi(p)); }
  function time(iso) {
    if (!iso) return '—';
    var d = new Date(iso);
    if (isNaN(d.getTime())) return iso;
    return new Intl.DateTimeFormat('zh-CN', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }
  function size(n) { return n === null ? '—' : n < 1024 ? n + ' B' : n < 1048576 ? Math.round(n / 1024) + ' KiB' : (n / 1048576).toFixed(1) + ' MiB'; }
  /** What a staff action carried (materials, reason, result, tracking number, note), in words. */
  function detailText(d) {
    if (!d || typeof d !== 'object') return '';
    var out = [];
    if (d.materials) out.push('材料：' + d.materials.join('、'));
    if (d.reason) out.push('理由：' + d.reason);
    if (d.result) out.push('结果：' + d.result);
    if (d.trackingNumber) out.push('EMS：' + d.trackingNumber);
    if (d.days) out.push(d.days + ' 个工作日');
    if (d.note) out.push('说明：' + d.note);
    return out.length ? '；' + out.join('；') : '';
  }
  function say(text, bad) { var s = $('status'); s.textContent = text; s.className = bad ? 'status bad' : 'status'; }

  async function api(method, path, body) {
    var headers = { authorization: 'Bearer ' + token };
    if (body !== undefined) headers['content-type'] = 'application/json';
    var res = await fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) });
    var data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (res.status === 401) { logout('登录已失效，请重新登录 (sign in again)'); throw new Error('unauthenticated'); }
    return { status: res.status, body: data };
  }
  function problem(r) {
    var b = r.body || {};
    if (r.status === 409) return '当前状态不允许此操作 (not allowed from ' + (b.from || '?') + ')';
    if (r.status === 404) return '未找到或不属于本辖区 (not found)';
    return (b.message || b.error || ('HTTP ' + r.status));
  }

  // ---- login ----------------------------------------------------------------------------------
  async function login(candidate) {
    token = candidate;
    var r;
    try {
      var res = await fetch('/v1/staff/me', { headers: { authorization: 'Bearer ' + candidate } });
      r = { status: res.status, body: await res.json() };
    } catch (e) {
      r = { status: 0, body: null };
    }
    if (r.status !== 200) {
      token = null;
      sessionStorage.removeItem(TOKEN_KEY);
      $('login').hidden = false;
      $('desk').hidden = true;
      $('who').hidden = true;
      $('login-error').textContent = r.status === 401 ? '令牌无效 (invalid token)' : '无法连接大厅服务 (hall unreachable)';
      return false;
    }
    sessionStorage.setItem(TOKEN_KEY, candidate);
    $('login-error').textContent = '';
    $('token').value = '';
    $('who-name').textContent = r.body.name + ' · ' + r.body.jurisdiction;
    $('login').hidden = true;
    $('desk').hidden = false;
    $('who').hidden = false;
    await refresh();
    return true;
  }
  function logout(message) {
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    $('desk').hidden = true;
    $('who').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    $('token').focus();
  }

  // ---- tabs -----------------------------------------------------------------------------------
  function showTab(name) {
    say('');
    ['cases', 'followups', 'fleet'].forEach(function (t) {
      $('tab-' + t).setAttribute('aria-selected', t === name ? 'true' : 'false');
      $('panel-' + t).hidden = t !== name;
    });
  }

  // ---- cases + supervision --------------------------------------------------------------------
  async function loadCases() {
    var both = await Promise.all([api('GET', '/v1/staff/cases'), api('GET', '/v1/staff/supervision')]);
    var cases = both[0].body.cases || [];
    var sup = both[1].body;
    tz = sup.timeZone || tz;
    var byId = {};
    (sup.cases || []).forEach(function (c) { byId[c.id] = c; });
    var summary = $('supervision-summary');
    clear(summary);
    ['overdue', 'warning', 'reminder', 'paused'].forEach(function (l) {
      summary.appendChild(h('div', { className: 'tile', 'data-testid': 'summary-' + l }, h('b', { text: String(sup.summary[l] || 0) }), levelBadge(l)));
    });
    var tbody = $('cases').tBodies[0];
    clear(tbody);
    if (cases.length === 0) tbody.appendChild(h('tr', null, h('td', { colspan: 7, className: 'empty' }, bi(['暂无办件', 'No cases']))));
    cases.forEach(function (c) {
      var s = byId[c.id] || {};
      var deadline = s.deadline || (s.level === 'paused' ? '暂停中 (paused)' : '—');
      tbody.appendChild(h('tr', { 'data-case': c.id, className: selectedCase === c.id ? 'selected' : '' },
        h('td', { className: 'mono' }, c.id),
        h('td', { className: 'mono' }, c.itemCode),
        h('td', null, statusText(c.status)),
        h('td', null, time(c.receivedAt)),
        h('td', null, deadline, s.pausedWorkingDays ? h('small', null, ' (+' + s.pausedWorkingDays + ' 个工作日补正)') : null),
        h('td', null, s.level ? levelBadge(s.level) : '—'),
        h('td', null, h('button', { type: 'button', className: 'quiet', 'data-open': c.id, onclick: function () { openCase(c.id); } }, bi(['查看', 'Open'])))));
    });
  }

  function field(form, label, input) { return [h('label', { for: input.id }, bi(label)), input]; }
  var uid = 0;
  function nextId(p) { uid += 1; return p + '-' + uid; }

  function actionForm(c, action) {
    var parts = [];
    var read;
    if (action === 'accept') {
      var note = h('input', { type: 'text', id: nextId('note'), name: 'note', maxlength: 500 });
      parts.push(field(null, ['受理意见（可选）', 'Note (optional)'], note));
      read = function () { return note.value.trim() ? { action: 'accept', note: note.value.trim() } : { action: 'accept' }; };
    } else if (action === 'refuse') {
      var reason = h('textarea', { id: nextId('reason'), name: 'reason', required: true, maxlength: 500 });
      parts.push(field(null, ['不予受理理由', 'Reason'], reason));
      read = function () { return reason.value.trim() ? { action: 'refuse', reason: reason.value.trim() } : null; };
    } else if (action === 'request-correction') {
      var checks = h('div', { className: 'checks', role: 'group', 'aria-label': '需补正的材料 Materials' });
      (c.materials || []).forEach(function (m) {
        var id = nextId('mat');
        checks.appendChild(h('label', { for: id }, h('input', { type: 'checkbox', id: id, value: m, name: 'material' }), h('span', { className: 'mono' }, m)));
      });
      if ((c.materials || []).length === 0) checks.appendChild(h('p', { className: 'hint' }, bi(['本件无扫描材料', 'No scanned materials on file'])));
      var other = h('textarea', { id: nextId('other'), name: 'other', placeholder: '每行一项 / one per line' });
      var cnote = h('input', { type: 'text', id: nextId('cnote'), name: 'note', maxlength: 500 });
      parts.push(h('p', { className: 'hint' }, bi(['勾选需补正的材料', 'Tick the materials to supply'])), checks);
      parts.push(field(null, ['其他材料', 'Other materials'], other));
      parts.push(field(null, ['补正说明（可选）', 'Note (optional)'], cnote));
      read = function () {
        var materials = [];
        checks.querySelectorAll('input:checked').forEach(function (i) { materials.push(i.value); });
        other.value.split(/[\n,，;；]/).forEach(function (t) { if (t.trim()) materials.push(t.trim()); });
        if (materials.length === 0) return null;
        var body = { action: 'request-correction', materials: materials };
        if (cnote.value.trim()) body.note = cnote.value.trim();
        return body;
      };
    } else if (action === 'complete') {
      var result = h('input', { type: 'text', id: nextId('result'), name: 'result', required: true, maxlength: 500, placeholder: '如：准予许可' });
      var ems = h('input', { type: 'text', id: nextId('ems'), name: 'trackingNumber', maxlength: 64, placeholder: 'EMS…' });
      parts.push(field(null, ['办结结果', 'Result'], result));
      parts.push(field(null, ['EMS 邮件号（寄递时填写）', 'EMS tracking number'], ems));
      read = function () {
        if (!result.value.trim()) return null;
        var body = { action: 'complete', result: result.value.trim() };
        if (ems.value.trim()) body.trackingNumber = ems.value.trim();
        return body;
      };
    }
    var err = h('p', { className: 'error', role: 'alert' });
    var button = h('button', { type: 'submit', className: action === 'refuse' ? 'danger' : '', 'data-action': action }, bi(CASE_ACTIONS[action]));
    var form = h('form', { 'data-form': action, novalidate: true }, h('fieldset', null, h('legend', null, bi(CASE_ACTIONS[action])), parts, button, err));
    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      var body = read();
      if (!body) { err.textContent = '请填写必填内容 (required information missing)'; return; }
      button.disabled = true;
      try {
        var r = await api('POST', '/v1/staff/cases/' + encodeURIComponent(c.id) + '/actions', body);
        if (r.status !== 200) { err.textContent = problem(r); return; }
        say('已办理：' + CASE_ACTIONS[action][0] + ' → ' + (STATUS[r.body.status] || [r.body.status])[0] + ' (' + c.id + ')');
        await loadCases();
        await openCase(c.id);
      } finally { button.disabled = false; }
    });
    return form;
  }

  async function openCase(id) {
    var r = await api('GET', '/v1/staff/cases/' + encodeURIComponent(id));
    var box = $('case-detail');
    if (r.status !== 200) { say(problem(r), true); return; }
    selectedCase = id;
    document.querySelectorAll('#cases tr[data-case]').forEach(function (tr) { tr.className = tr.getAttribute('data-case') === id ? 'selected' : ''; });
    var c = r.body;
    var s = c.supervision || {};
    clear(box);
    box.hidden = false;
    var facts = h('dl', { className: 'facts' });
    function fact(label, value) { facts.appendChild(h('dt', null, bi(label))); facts.appendChild(h('dd', null, value)); }
    fact(['事项编码', 'Item'], h('span', { className: 'mono' }, c.itemCode));
    fact(['状态', 'Status'], statusText(c.status));
    if (c.applicant) {
      fact(['申请人', 'Applicant'], h('span', { 'data-testid': 'applicant-name' }, c.applicant.name || '—'));
      fact(['证件号码', 'ID number'], h('span', { className: 'mono', 'data-testid': 'applicant-id' }, c.applicant.idNumber || '—'));
    }
    if (c.helper) fact(['代办人', 'Helper'], (c.helper.name || '—') + ' ' + (c.helper.idNumber || ''));
    fact(['收件时间', 'Received'], time(c.receivedAt));
    fact(['承诺办结', 'Deadline'], [s.deadline || (s.level === 'paused' ? '补正期间暂停计时 (paused since ' + s.pausedSince + ')' : '—'), ' ', s.level ? levelBadge(s.level) : null]);
    if (s.pausedWorkingDays) fact(['补正顺延', 'Paused'], s.pausedWorkingDays + ' 个工作日 (working days)');
    fact(['终端', 'Kiosk'], h('span', { className: 'mono' }, c.kioskId));

    var fields = h('table', { className: 'grid', 'data-testid': 'case-fields' }, h('thead', null, h('tr', null, h('th', { scope: 'col' }, bi(['字段', 'Field'])), h('th', { scope: 'col' }, bi(['内容', 'Value'])))));
    var fb = h('tbody');
    (c.fields || []).forEach(function (f) {
      var label = FIELD[f.path];
      var value = /At$/.test(f.path) ? time(f.value) : (VALUE[f.value] || f.value);
      fb.appendChild(h('tr', null, h('td', null, label ? bi(label) : h('span', { className: 'mono' }, f.path)), h('td', null, value)));
    });
    fields.appendChild(fb);

    var att = h('table', { className: 'grid', 'data-testid': 'case-attachments' }, h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, bi(['材料编码', 'Material'])), h('th', { scope: 'col' }, bi(['页', 'Page'])),
      h('th', { scope: 'col' }, bi(['类型', 'Type'])), h('th', { scope: 'col' }, bi(['大小', 'Size'])),
      h('th', { scope: 'col' }, bi(['来源', 'From'])), h('th', { scope: 'col' }, 'SHA-256'))));
    var ab = h('tbody');
    (c.attachments || []).forEach(function (a) {
      ab.appendChild(h('tr', null, h('td', { className: 'mono' }, a.materialCode), h('td', null, a.position === null ? '—' : String(a.position + 1)),
        h('td', null, a.mime || '—'), h('td', null, size(a.size)),
        h('td', null, a.source === 'supplement' ? '补正' : '申请'), h('td', { className: 'mono' }, a.sha256.slice(0, 16) + '…')));
    });
    if ((c.attachments || []).length === 0) ab.appendChild(h('tr', null, h('td', { colspan: 6, className: 'empty' }, bi(['无', 'None']))));
    att.appendChild(ab);

    var history = h('ol', { className: 'history' });
    (c.events || []).forEach(function (e) {
      history.appendChild(h('li', null, time(e.at) + ' ' + e.staff + '：' + ((CASE_ACTIONS[e.action] || [e.action])[0]) + '（' + ((STATUS[e.from] || [e.from])[0]) + ' → ' + ((STATUS[e.to] || [e.to])[0]) + '）' + detailText(e.detail)));
    });
    (c.supplements || []).forEach(function (sp) { history.appendChild(h('li', null, time(sp.receivedAt) + ' 收到补正材料：' + sp.materials.join('、'))); });

    var actions = h('div', { className: 'actions' });
    (c.allowedActions || []).forEach(function (a) { actions.appendChild(actionForm(c, a)); });
    if ((c.allowedActions || []).length === 0) actions.appendChild(h('p', { className: 'hint' }, bi(['本件已结束，无可办理操作', 'Closed: no actions'])));

    box.appendChild(h('h2', { id: 'case-title' }, bi(['办件详情', 'Case']), ' ', h('span', { className: 'mono' }, c.id)));
    box.appendChild(facts);
    box.appendChild(h('h3', null, bi(['申请内容', 'Application'])));
    box.appendChild(fields);
    box.appendChild(h('h3', null, bi(['材料', 'Attachments'])));
    box.appendChild(att);
    box.appendChild(h('h3', null, bi(['办理记录', 'History'])));
    box.appendChild((c.events || []).length + (c.supplements || []).length > 0 ? history : h('p', { className: 'hint' }, bi(['暂无', 'None yet'])));
    box.appendChild(h('h3', null, bi(['办理', 'Actions'])));
    box.appendChild(actions);
  }

  // ---- follow-ups -----------------------------------------------------------------------------
  var followups = [];
  async function loadFollowups() {
    var r = await api('GET', '/v1/staff/followups');
    followups = (r.body && r.body.followups) || [];
    var tbody = $('followups').tBodies[0];
    clear(tbody);
    if (followups.length === 0) tbody.appendChild(h('tr', null, h('td', { colspan: 8, className: 'empty' }, bi(['暂无差评整改任务', 'No follow-ups']))));
    followups.forEach(function (f) {
      tbody.appendChild(h('tr', { 'data-followup': String(f.id), className: selectedFollowup === f.id ? 'selected' : '' },
        h('td', null, String(f.id)),
        h('td', null, f.levelName),
        h('td', null, aboutText(f)),
        h('td', null, f.reason ? f.reason.text : '—'),
        h('td', null, time(f.createdAt)),
        h('td', null, f.dueDate),
        h('td', null, stateBadges(f)),
        h('td', null, h('button', { type: 'button', className: 'quiet', onclick: function () { openFollowup(f.id); } }, bi(['处理', 'Handle'])))));
    });
    if (selectedFollowup !== null) openFollowup(selectedFollowup);
  }
  function aboutText(f) {
    if (f.target.kind === 'application') return '办件 · 事项 ' + (f.target.itemCode || '?');
    return '排队取号 · 窗口 ' + (f.target.window || '?');
  }
  function stateBadges(f) {
    var out = [badge(FU_LEVEL[f.state] || 'unknown', [f.stateName.zh, f.stateName.en], '')];
    if (f.overdue) out.push(' ', badge('overdue', ['超期', 'Overdue'], '!!'));
    return h('span', { 'data-state': f.state }, out);
  }
  function fuForm(f, action) {
    var parts = [];
    var read;
    var text = function (name, label, required, long) {
      var el = h(long ? 'textarea' : 'input', { type: long ? undefined : 'text', id: nextId(name), name: name, required: required || undefined, maxlength: 1000 });
      parts.push(field(null, label, el));
      return el;
    };
    var num = function (label, value) {
      var el = h('input', { type: 'number', id: nextId('days'), min: 1, max: 60, value: value });
      parts.push(field(null, label, el));
      return el;
    };
    if (action === 'start') { var n = text('note', ['说明（可选）', 'Note (optional)']); read = function () { return n.value.trim() ? { action: action, note: n.value.trim() } : { action: action }; }; }
    else if (action === 'request-extension') {
      var d = num(['延期工作日', 'Extra working days'], 3); var rr = text('reason', ['延期理由', 'Reason'], true, true);
      read = function () { return rr.value.trim() ? { action: action, days: Number(d.value), reason: rr.value.trim() } : null; };
    } else if (action === 'grant-extension') {
      var g = num(['批准工作日', 'Days granted'], f.requestedDays || 3);
      read = function () { return { action: action, days: Number(g.value) }; };
    } else if (action === 'complete') { var cn = text('note', ['整改情况', 'What was done'], true, true); read = function () { return cn.value.trim() ? { action: action, note: cn.value.trim() } : null; }; }
    else { var rs = text('reason', ['理由', 'Reason'], true, true); read = function () { return rs.value.trim() ? { action: action, reason: rs.value.trim() } : null; }; }
    var err = h('p', { className: 'error', role: 'alert' });
    var button = h('button', { type: 'submit', 'data-action': action }, bi(FU_ACTIONS[action]));
    var form = h('form', { 'data-form': action, novalidate: true }, h('fieldset', null, h('legend', null, bi(FU_ACTIONS[action])), parts, button, err));
    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      var body = read();
      if (!body) { err.textContent = '请填写必填内容 (required information missing)'; return; }
      button.disabled = true;
      try {
        var r = await api('POST', '/v1/staff/followups/' + f.id + '/actions', body);
        if (r.status !== 200) { err.textContent = problem(r); return; }
        say('已办理：' + FU_ACTIONS[action][0] + '（整改任务 ' + f.id + '）');
        await loadFollowups();
      } finally { button.disabled = false; }
    });
    return form;
  }
  function openFollowup(id) {
    var f = followups.filter(function (x) { return x.id === id; })[0];
    var box = $('followup-detail');
    if (!f) { box.hidden = true; return; }
    selectedFollowup = id;
    clear(box);
    box.hidden = false;
    var facts = h('dl', { className: 'facts' });
    function fact(label, value) { facts.appendChild(h('dt', null, bi(label))); facts.appendChild(h('dd', null, value)); }
    fact(['评价等级', 'Rating'], f.levelName);
    fact(['评价对象', 'About'], aboutText(f));
    fact(['差评原因', 'Reason'], f.reason ? f.reason.text : '—');
    fact(['评价内容', 'Items'], f.contentItems.length ? f.contentItems.map(function (i) { return i.text; }).join('、') : '—');
    if (f.comment) fact(['留言', 'Comment'], f.comment);
    fact(['整改期限', 'Due'], f.dueDate + (f.extensionDays ? '（已延期 ' + f.extensionDays + ' 个工作日）' : ''));
    fact(['状态', 'State'], stateBadges(f));
    var history = h('ol', { className: 'history' });
    f.events.forEach(function (e) { history.appendChild(h('li', null, time(e.at) + ' ' + e.staff + '：' + (FU_ACTIONS[e.action] || [e.action])[0] + detailText(e.detail))); });
    var actions = h('div', { className: 'actions' });
    f.allowedActions.forEach(function (a) { actions.appendChild(fuForm(f, a)); });
    box.appendChild(h('h2', { id: 'followup-title' }, bi(['整改任务', 'Follow-up']), ' ' + f.id));
    box.appendChild(facts);
    if (f.events.length) { box.appendChild(h('h3', null, bi(['处理记录', 'History']))); box.appendChild(history); }
    if (f.allowedActions.length) { box.appendChild(h('h3', null, bi(['办理', 'Actions']))); box.appendChild(actions); }
  }
  async function exportEvaluations() {
    var r = await api('GET', '/v1/staff/evaluations/export');
    if (r.status !== 200) { say(problem(r), true); return; }
    var blob = new Blob([JSON.stringify(r.body, null, 2)], { type: 'application/json' });
    var a = h('a', { href: URL.createObjectURL(blob), download: 'evaluations-' + r.body.jurisdiction + '-' + r.body.generatedAt.slice(0, 10) + '.json' });
    document.body.appendChild(a);
    a.click();
    a.remove();
    say('已导出 ' + r.body.evaluations.length + ' 条评价 (exported)');
  }

  // ---- fleet ----------------------------------------------------------------------------------
  async function loadFleet() {
    var r = await api('GET', '/v1/staff/fleet');
    var tbody = $('fleet').tBodies[0];
    clear(tbody);
    var kiosks = (r.body && r.body.kiosks) || [];
    if (kiosks.length === 0) tbody.appendChild(h('tr', null, h('td', { colspan: 8, className: 'empty' }, bi(['暂无终端', 'No kiosks']))));
    kiosks.forEach(function (k) {
      var c = CONNECTION[k.connection] || CONNECTION.never;
      var hl = HEALTH[k.health] || HEALTH.unknown;
      var list = h('ul', { className: 'devices' });
      k.devices.forEach(function (d) {
        var detail = d.detail ? '（' + (DEVICE_DETAIL[d.detail] || d.detail) + '）' : '';
        list.appendChild(h('li', null, (DEVICE[d.kind] || d.kind) + '：' + (DEVICE_STATE[d.state] || d.state) + detail));
      });
      tbody.appendChild(h('tr', { 'data-kiosk': k.id },
        h('td', { className: 'mono' }, k.id),
        h('td', null, k.jurisdiction),
        h('td', null, badge(c[2], [c[0], c[1]], c[3])),
        h('td', null, time(k.lastContactAt)),
        h('td', null, String(k.lastAppliedSeq)),
        h('td', null, k.backlog === null ? '—' : String(k.backlog)),
        h('td', null, badge(hl[2], [hl[0], hl[1]], hl[3]), k.devices.length ? list : null),
        h('td', null, k.appVersion || '—')));
    });
  }

  async function refresh() {
    try {
      await Promise.all([loadCases(), loadFollowups(), loadFleet()]);
      if (selectedCase !== null) await openCase(selectedCase);
    } catch (e) {
      if (e && e.message !== 'unauthenticated') say('刷新失败 (refresh failed): ' + e.message, true);
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('login-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var t = $('token').value.trim();
      if (!t) { $('login-error').textContent = '请输入令牌 (enter the token)'; return; }
      login(t);
    });
    $('logout').addEventListener('click', function () { logout(''); });
    $('refresh').addEventListener('click', function () { say(''); refresh(); });
    $('export').addEventListener('click', function () { exportEvaluations(); });
    ['cases', 'followups', 'fleet'].forEach(function (t) { $('tab-' + t).addEventListener('click', function () { showTab(t); }); });
    if (token) login(token); else $('token').focus();
  });
})();
`;
