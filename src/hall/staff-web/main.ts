/**
 * The hall's staff desk (GET /staff, served as /staff/app.js): sign-in with a staff token, then the
 * cases with their 电子监察 lights and actions, the 好差评 follow-ups, and the fleet. Built by
 * `npm run build:staff` (vite.staff.config.ts) into dist/staff; the hall serves the built files under
 * a CSP that allows only its own script, style and API.
 *
 * The token lives in this tab's sessionStorage only: gone when the tab closes, forgotten on 退出,
 * never in localStorage or a cookie.
 */
import './app.css';
import { createStaffApi, problemText } from './api.js';
import { loadCaseList } from './case-list-view.js';
import { openCase, type CaseDetailDeps } from './case-detail-view.js';
import type { Desk } from './desk.js';
import { byId, later } from './dom.js';
import { DEFAULT_DESK_TIME_ZONE } from './format.js';
import { exportEvaluations, loadFollowups } from './followups-view.js';
import { loadFleet } from './fleet-view.js';
import { createHelpView } from './help-view.js';

const TOKEN_KEY = 'zizhu.hall.staffToken';
const TABS = ['cases', 'followups', 'fleet', 'help'] as const;
type Tab = (typeof TABS)[number];

let token = sessionStorage.getItem(TOKEN_KEY);

const desk: Desk = {
  api: createStaffApi({
    token: () => token,
    onUnauthenticated: () => logout('登录已失效，请重新登录 (sign in again)'),
    fetch: (input, init) => fetch(input, init),
  }),
  state: { timeZone: DEFAULT_DESK_TIME_ZONE, selectedCase: null, selectedFollowup: null, followups: [] },
  say(text, bad = false) {
    const line = byId('status', HTMLParagraphElement);
    line.textContent = text;
    line.className = bad ? 'status bad' : 'status';
  },
};

/** 呼叫帮助: created once the page's elements exist; on duty while signed in. */
let help: ReturnType<typeof createHelpView> | null = null;

const reloadCases = () => loadCaseList(desk, (id) => openCase(caseDeps, id));
const caseDeps: CaseDetailDeps = { desk, reloadCases };

/** Shows the desk or the sign-in form. */
function showDesk(signedIn: boolean): void {
  byId('login', HTMLElement).hidden = signedIn;
  byId('desk', HTMLDivElement).hidden = !signedIn;
  byId('who', HTMLDivElement).hidden = !signedIn;
}

async function login(candidate: string): Promise<void> {
  const me = await desk.api.me(candidate);
  const error = byId('login-error', HTMLParagraphElement);
  if (!me.ok) {
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    showDesk(false);
    error.textContent =
      me.error.kind === 'unauthenticated'
        ? '令牌无效 (invalid token)'
        : '无法连接大厅服务 (hall unreachable)';
    return;
  }
  token = candidate;
  sessionStorage.setItem(TOKEN_KEY, candidate);
  error.textContent = '';
  byId('token', HTMLInputElement).value = '';
  byId('who-name', HTMLSpanElement).textContent = `${me.value.name} · ${me.value.jurisdiction}`;
  showDesk(true);
  help?.start();
  await refresh();
}

function logout(message: string): void {
  help?.stop();
  token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  showDesk(false);
  byId('login-error', HTMLParagraphElement).textContent = message;
  byId('token', HTMLInputElement).focus();
}

function showTab(name: Tab): void {
  desk.say('');
  for (const t of TABS) {
    byId(`tab-${t}`, HTMLButtonElement).setAttribute('aria-selected', t === name ? 'true' : 'false');
    byId(`panel-${t}`, HTMLElement).hidden = t !== name;
  }
}

async function refresh(): Promise<void> {
  const results = await Promise.all([reloadCases(), loadFollowups(desk), loadFleet(desk)]);
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
      const candidate = byId('token', HTMLInputElement).value.trim();
      if (!candidate) {
        byId('login-error', HTMLParagraphElement).textContent = '请输入令牌 (enter the token)';
        return;
      }
      await login(candidate);
    }),
  );
  byId('logout', HTMLButtonElement).addEventListener('click', () => logout(''));
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
  for (const t of TABS) byId(`tab-${t}`, HTMLButtonElement).addEventListener('click', () => showTab(t));
  help = createHelpView({ desk, token: () => token, fetch: (input, init) => fetch(input, init) });
  if (token) void login(token);
  else byId('token', HTMLInputElement).focus();
});
