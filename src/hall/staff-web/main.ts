/**
 * The hall's staff desk (GET /staff, served as /staff/app.js): sign-in with an account's login name
 * and password, then the tabs its roles allow — cases with their 电子监察 lights and actions, the
 * 好差评 follow-ups, the fleet, help calls and the audit log. Built by `npm run build:staff`
 * (vite.staff.config.ts) into dist/staff; the hall serves the built files under a CSP that allows
 * only its own script, style and API.
 *
 * The session is an HttpOnly cookie this script never sees; it keeps only the session's CSRF token
 * (in memory, asked again from /v1/staff/me after a reload). When the hall ends the session (idle
 * 30 min, 12 h, signed out elsewhere) the next call's 401 brings back the sign-in form with a word.
 */
import './app.css';
import { staffMay, type StaffPermission } from '../../shared/staff-roles.js';
import type { StaffMe } from '../../shared/wire/staff.js';
import { createStaffApi, problemText } from './api.js';
import { loadAudit } from './audit-view.js';
import { loadCaseList } from './case-list-view.js';
import { openCase, type CaseDetailDeps } from './case-detail-view.js';
import type { Desk } from './desk.js';
import { byId, later } from './dom.js';
import { DEFAULT_DESK_TIME_ZONE } from './format.js';
import { exportEvaluations, loadFollowups, openFollowup } from './followups-view.js';
import { loadFleet } from './fleet-view.js';
import { createHelpView } from './help-view.js';
import { createLiveDeskView } from './live-desk-view.js';
import { createQueuePanelView } from './queue-panel-view.js';
import { createStatsView } from './stats-view.js';
import { followCaseLinks, followFollowupLinks } from './desk-links.js';

const TABS = ['cases', 'followups', 'stats', 'fleet', 'help', 'queue', 'audit'] as const;
type Tab = (typeof TABS)[number];
/** What each tab needs; a tab the roles may not use is not shown. */
const TAB_PERMISSION: Record<Tab, StaffPermission> = {
  cases: 'case.read',
  followups: 'supervision.read',
  stats: 'supervision.read',
  fleet: 'kiosks.manage',
  help: 'help.answer',
  queue: 'queue.call',
  audit: 'audit.read',
};

let me: StaffMe | null = null;

const desk: Desk = {
  api: createStaffApi({
    csrf: () => me?.csrfToken ?? null,
    onUnauthenticated: () =>
      signedOut('登录已超时或已退出，请重新登录 (your session has ended; sign in again)'),
    fetch: (input, init) => fetch(input, init),
  }),
  state: { timeZone: DEFAULT_DESK_TIME_ZONE, selectedCase: null, selectedFollowup: null, followups: [] },
  say(text, bad = false) {
    const line = byId('status', HTMLParagraphElement);
    line.textContent = text;
    line.className = bad ? 'status bad' : 'status';
  },
  may: (permission) => me !== null && staffMay({ ...(me.roles ? { roles: me.roles } : {}) }, permission),
};

/** 呼叫帮助: created once the page's elements exist; on duty while signed in (and allowed to answer). */
let help: ReturnType<typeof createHelpView> | null = null;
/** The live desk's event stream and the 叫号 panel: created with the page, running while signed in. */
let live: ReturnType<typeof createLiveDeskView> | null = null;
let queue: ReturnType<typeof createQueuePanelView> | null = null;
/** 统计分析 and the case links (#case/{id}): created once the page's elements exist. */
let stats: ReturnType<typeof createStatsView> | null = null;
let followCaseLink: () => void = () => undefined;

const reloadCases = () =>
  loadCaseList(desk, (id) => openCase(caseDeps, id)).then((r) => {
    live?.markRows();
    return r;
  });
const caseDeps: CaseDetailDeps = { desk, reloadCases };

const visibleTabs = (): Tab[] => TABS.filter((t) => desk.may(TAB_PERMISSION[t]));

/** Shows the desk or the sign-in form. */
function showDesk(signedIn: boolean): void {
  byId('login', HTMLElement).hidden = signedIn;
  byId('desk', HTMLDivElement).hidden = !signedIn;
  byId('who', HTMLDivElement).hidden = !signedIn;
}

const ROLE_NAMES: Record<string, string> = {
  clerk: '受理员 Clerk',
  approver: '审批员 Approver',
  supervisor: '督查 Supervisor',
  admin: '管理员 Admin',
};

async function enter(who: StaffMe): Promise<void> {
  me = who;
  byId('login-error', HTMLParagraphElement).textContent = '';
  byId('password', HTMLInputElement).value = '';
  const roles = (who.roles ?? []).map((r) => ROLE_NAMES[r] ?? r).join('、');
  byId('who-name', HTMLSpanElement).textContent =
    `${who.name}${roles ? ` · ${roles}` : ''} · ${who.jurisdictions.join('、')}`;
  for (const t of TABS) byId(`tab-${t}`, HTMLButtonElement).hidden = !desk.may(TAB_PERMISSION[t]);
  byId('export', HTMLButtonElement).hidden = !desk.may('stats.export');
  showDesk(true);
  const first = visibleTabs()[0];
  if (first) showTab(first);
  if (desk.may('help.answer')) help?.start();
  if (desk.may('case.read')) live?.start();
  if (desk.may('queue.call')) queue?.start();
  await refresh();
  followCaseLink();
}

async function login(name: string, password: string): Promise<void> {
  const error = byId('login-error', HTMLParagraphElement);
  const r = await desk.api.login(name, password);
  if (r.ok) return enter(r.value);
  const p = r.error;
  if (p.kind === 'refused' && p.status === 429) {
    const seconds = Number((p.error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds ?? 0);
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    error.textContent = `登录失败次数过多，请 ${minutes} 分钟后再试 (too many failed sign-ins; try again in ${minutes} min)`;
  } else if (p.kind === 'refused' && p.status === 401)
    error.textContent = '登录名或密码错误 (wrong login name or password)';
  else error.textContent = problemText(p);
  byId('password', HTMLInputElement).value = '';
  byId('password', HTMLInputElement).focus();
}

/** Back to the sign-in form (the session ended, or 退出), saying why. */
function signedOut(message: string): void {
  help?.stop();
  live?.stop();
  queue?.stop();
  me = null;
  desk.state.selectedCase = null;
  desk.state.selectedFollowup = null;
  showDesk(false);
  byId('login-error', HTMLParagraphElement).textContent = message;
  byId('login-name', HTMLInputElement).focus();
}

async function logout(): Promise<void> {
  await desk.api.logout();
  signedOut('已退出 (signed out)');
}

function showTab(name: Tab): void {
  desk.say('');
  for (const t of TABS) {
    byId(`tab-${t}`, HTMLButtonElement).setAttribute('aria-selected', t === name ? 'true' : 'false');
    byId(`panel-${t}`, HTMLElement).hidden = t !== name;
  }
  if (name === 'queue') void queue?.load();
  if (name === 'stats') void stats?.load();
}

async function refresh(): Promise<void> {
  const loads = [
    desk.may('case.read') ? reloadCases() : null,
    desk.may('supervision.read') ? loadFollowups(desk) : null,
    desk.may('kiosks.manage') ? loadFleet(desk) : null,
    desk.may('audit.read') ? loadAudit(desk) : null,
  ].filter((p) => p !== null);
  const results = await Promise.all(loads);
  const failed = results.find((r) => !r.ok);
  if (failed && !failed.ok) {
    // A 401 has already signed the desk out and said so.
    if (failed.error.kind !== 'unauthenticated')
      desk.say(`刷新失败 (refresh failed): ${problemText(failed.error)}`, true);
    return;
  }
  if (desk.state.selectedCase !== null) await openCase(caseDeps, desk.state.selectedCase);
}

document.addEventListener('DOMContentLoaded', () => {
  byId('login-form', HTMLFormElement).addEventListener(
    'submit',
    later(async (ev: SubmitEvent) => {
      ev.preventDefault();
      const name = byId('login-name', HTMLInputElement).value.trim();
      const password = byId('password', HTMLInputElement).value;
      if (!name || !password) {
        byId('login-error', HTMLParagraphElement).textContent =
          '请输入登录名和密码 (enter your login name and password)';
        return;
      }
      await login(name, password);
    }),
  );
  byId('logout', HTMLButtonElement).addEventListener('click', later(logout));
  byId('refresh', HTMLButtonElement).addEventListener(
    'click',
    later(async () => {
      desk.say('');
      await refresh();
    }),
  );
  byId('export', HTMLButtonElement).addEventListener(
    'click',
    later(() => exportEvaluations(desk)),
  );
  byId('audit-more', HTMLButtonElement).addEventListener(
    'click',
    later(() => loadAudit(desk, true)),
  );
  for (const t of TABS) byId(`tab-${t}`, HTMLButtonElement).addEventListener('click', () => showTab(t));
  const csrf = () => me?.csrfToken ?? null;
  help = createHelpView({ desk, csrf, fetch: (input, init) => fetch(input, init) });
  live = createLiveDeskView({
    desk,
    csrf,
    fetch: (input, init) => fetch(input, init),
    reloadCases,
    openCase: (id) => openCase(caseDeps, id),
  });
  queue = createQueuePanelView({ desk, csrf, fetch: (input, init) => fetch(input, init) });
  stats = createStatsView(desk);
  followCaseLink = followCaseLinks(async (id) => {
    showTab('cases');
    await openCase(caseDeps, id);
    byId('case-detail', HTMLElement).scrollIntoView({ block: 'start' });
  });
  // A case's follow-up link: the 好差评整改 tab, the list read again (a review synced since), the task.
  followFollowupLinks(async (id) => {
    showTab('followups');
    const r = await loadFollowups(desk);
    if (!r.ok) return;
    openFollowup(desk, id);
    byId('followup-detail', HTMLElement).scrollIntoView({ block: 'start' });
  });
  // A reload: the cookie may still hold a live session.
  void desk.api.me().then((r) => {
    if (r.ok) return enter(r.value);
    byId('login-name', HTMLInputElement).focus();
    return undefined;
  });
});
