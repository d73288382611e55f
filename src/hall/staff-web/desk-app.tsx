/**
 * The staff desk as a React app (issue #10 item 8): the shell — sign-in, who is signed in, the
 * language switch (中文 / English), the tabs the account's roles allow (arrow keys move between
 * them), the status line, refresh and sign-out — and the views. Ported to React so far: the shell,
 * the case list (case-list.tsx), the case detail with its dialogs, attachment viewer, documents and
 * follow-ups (case-detail-view.tsx), the live desk (live-desk-view.tsx) and the panels (queue-panel,
 * followups-panel, stats-panel, fleet-panel, help-panel, audit-panel .tsx), each reached through a
 * handle. Every word comes from the desk's copy (desk-zh-cn.ts / desk-en.ts).
 *
 * The session is an HttpOnly cookie this script never sees; it keeps only the session's CSRF token
 * (in memory, asked again from /v1/staff/me after a reload). When the hall ends the session (idle
 * 30 min, 12 h, signed out elsewhere) the next call's 401 brings back the sign-in form with a word.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { ok } from '../../shared/result.js';
import type { StaffPermission } from '../../shared/staff-roles.js';
import type { StaffMe } from '../../shared/wire/staff.js';
import type { Answer } from './api.js';
import { AuditPanel } from './audit-panel.js';
import { problemMessage } from './case-detail-text.js';
import { CaseDetailView, type CaseDetailHandle } from './case-detail-view.js';
import { CaseList, type CaseListHandle } from './case-list.js';
import { createDeskBridge, messageText, rolesMay, type Say, type StatusMessage } from './desk.js';
import { useDeskText, type DeskKey } from './desk-i18n.js';
import { followCaseLinks, followFollowupLinks } from './desk-links.js';
import { FleetPanel, type ReloadHandle } from './fleet-panel.js';
import { FollowupsPanel, type FollowupsHandle } from './followups-panel.js';
import { HelpPanel, type HelpPanelHandle } from './help-panel.js';
import { LiveDesk, type LiveDeskHandle } from './live-desk-view.js';
import { createPanelApi } from './panel-api.js';
import { QueuePanel, type QueuePanelHandle } from './queue-panel.js';
import { StatsPanel, type StatsHandle } from './stats-panel.js';

export const TABS = ['cases', 'followups', 'stats', 'fleet', 'help', 'queue', 'audit'] as const;
export type Tab = (typeof TABS)[number];
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

/** What the status line says: a message of the copy, put into words in the language of the moment. */
type Status = { message: StatusMessage; bad: boolean } | null;

/** Following `#case/…` links: set up once the page's elements exist. */
type Views = {
  followCaseLink: () => void;
};
/** The panels ported to React (叫号, 好差评整改, 统计分析, 终端状态, 呼叫帮助, 审计日志), by their handles. */
type Panels = {
  followups: FollowupsHandle | null;
  stats: StatsHandle | null;
  fleet: ReloadHandle | null;
  help: HelpPanelHandle | null;
  queue: QueuePanelHandle | null;
  audit: ReloadHandle | null;
};

const focusById = (id: string): void => document.getElementById(id)?.focus();

export function DeskApp({ fetch: fetchImpl }: { fetch: typeof fetch }): ReactNode {
  const { t, language, setLanguage } = useDeskText();
  const [me, setMe] = useState<StaffMe | null>(null);
  const [tab, setTab] = useState<Tab>('cases');
  const [loginError, setLoginError] = useState<StatusMessage | null>(null);
  const [status, setStatus] = useState<Status>(null);
  const casesRef = useRef<CaseListHandle | null>(null);
  const viewsRef = useRef<Views | null>(null);
  const detailRef = useRef<CaseDetailHandle | null>(null);
  const liveRef = useRef<LiveDeskHandle | null>(null);
  const panels = useRef<Panels>({
    followups: null,
    stats: null,
    fleet: null,
    help: null,
    queue: null,
    audit: null,
  });
  const [helpCount, setHelpCount] = useState(0);

  // One desk object for the page's life: the views hold on to it.
  const [bridge] = useState(() => createDeskBridge(fetchImpl));
  const { desk } = bridge;
  const [panelApi] = useState(() =>
    createPanelApi({ csrf: () => bridge.csrf(), fetch: (input, init) => fetchImpl(input, init) }),
  );
  const may = useCallback((permission: StaffPermission) => desk.may(permission), [desk]);

  const reloadCases = useCallback(async (): Promise<Answer<void>> => {
    const r = (await casesRef.current?.reload(false)) ?? ok(undefined);
    liveRef.current?.markRows();
    return r;
  }, []);
  const openOne = useCallback(async (id: string) => detailRef.current?.open(id), []);
  const sayMessage = useCallback<Say>((message, bad = false) => setStatus({ message, bad }), []);
  const csrfOf = useCallback(() => bridge.csrf(), [bridge]);
  const fetchLive = useCallback<typeof fetch>((input, init) => fetchImpl(input, init), [fetchImpl]);

  const showTab = useCallback((name: Tab) => {
    // Committed at once: the panels look at which one is shown.
    flushSync(() => {
      setStatus(null);
      setTab(name);
    });
    if (name === 'queue') void panels.current.queue?.load();
    if (name === 'stats') void panels.current.stats?.load();
  }, []);

  const refresh = useCallback(async (): Promise<void> => {
    const loads = [
      may('case.read') ? reloadCases() : null,
      may('supervision.read') ? (panels.current.followups?.reload() ?? null) : null,
      may('kiosks.manage') ? (panels.current.fleet?.reload() ?? null) : null,
      may('audit.read') ? (panels.current.audit?.reload() ?? null) : null,
    ].filter((p) => p !== null);
    const results = await Promise.all(loads);
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok) {
      // A 401 has already signed the desk out and said so.
      if (failed.error.kind !== 'unauthenticated')
        setStatus({ message: problemMessage(failed.error, 'status.refreshFailed'), bad: true });
      return;
    }
    if (desk.state.selectedCase !== null) await openOne(desk.state.selectedCase);
  }, [desk, may, openOne, reloadCases]);

  const enter = useCallback(
    async (who: StaffMe): Promise<void> => {
      bridge.signIn(who);
      flushSync(() => {
        setMe(who);
        setLoginError(null);
      });
      const password = document.getElementById('password');
      if (password instanceof HTMLInputElement) password.value = '';
      const first = TABS.find((x) => may(TAB_PERMISSION[x]));
      if (first) showTab(first);
      const views = viewsRef.current;
      if (may('help.answer')) panels.current.help?.start();
      if (may('case.read')) liveRef.current?.start();
      if (may('queue.call')) panels.current.queue?.start();
      await refresh();
      views?.followCaseLink();
    },
    [bridge, may, refresh, showTab],
  );

  /** Back to the sign-in form (the session ended, or 退出), saying why. */
  const signedOut = useCallback(
    (message: StatusMessage) => {
      panels.current.help?.stop();
      liveRef.current?.stop();
      detailRef.current?.close();
      panels.current.queue?.stop();
      bridge.signOut();
      flushSync(() => {
        setMe(null);
        setStatus(null);
        setLoginError(message);
      });
      focusById('login-name');
    },
    [bridge],
  );
  useEffect(() => {
    bridge.bind({
      say: sayMessage,
      ended: () => signedOut({ key: 'login.ended' }),
    });
  }, [bridge, sayMessage, signedOut]);

  // The links to cases and follow-ups, once the page is there; then a reload's live session, if any.
  useEffect(() => {
    const views: Views = {
      followCaseLink: followCaseLinks(async (id) => {
        showTab('cases');
        await openOne(id);
        document.getElementById('case-detail')?.scrollIntoView({ block: 'start' });
      }),
    };
    viewsRef.current = views;
    // A case's follow-up link: the 好差评整改 tab, the list read again (a review synced since), the task.
    followFollowupLinks(async (id) => {
      showTab('followups');
      const r = (await panels.current.followups?.reload()) ?? ok(undefined);
      if (!r.ok) return;
      flushSync(() => panels.current.followups?.open(id));
      document.getElementById('followup-detail')?.scrollIntoView({ block: 'start' });
    });
    // A reload: the cookie may still hold a live session.
    void desk.api.me().then((r) => {
      if (r.ok) return enter(r.value);
      focusById('login-name');
      return undefined;
    });
    // Created once for the page's life; the callbacks read refs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const login = async (name: string, password: string): Promise<void> => {
    const r = await desk.api.login(name, password);
    if (r.ok) return enter(r.value);
    const p = r.error;
    if (p.kind === 'refused' && p.status === 429) {
      const seconds = Number((p.error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds ?? 0);
      setLoginError({ key: 'login.locked', vars: { minutes: Math.max(1, Math.ceil(seconds / 60)) } });
    } else if (p.kind === 'refused' && p.status === 401) setLoginError({ key: 'login.wrong' });
    else setLoginError(problemMessage(p));
    const field = document.getElementById('password');
    if (field instanceof HTMLInputElement) {
      field.value = '';
      field.focus();
    }
  };

  const say = (m: StatusMessage | null): string => (m === null ? '' : messageText(m, t, language));
  const visible = TABS.filter((x) => rolesMay(me, TAB_PERMISSION[x]));
  const roleNames = (me?.roles ?? []).map((r) => t(`roles.${r}` as DeskKey)).join(t('app.listSeparator'));

  /** Arrow keys, Home and End move between the tabs (WAI-ARIA tabs pattern, automatic activation). */
  const onTabKey = (ev: KeyboardEvent<HTMLButtonElement>, current: Tab): void => {
    const i = visible.indexOf(current);
    const to =
      ev.key === 'ArrowRight'
        ? visible[(i + 1) % visible.length]
        : ev.key === 'ArrowLeft'
          ? visible[(i - 1 + visible.length) % visible.length]
          : ev.key === 'Home'
            ? visible[0]
            : ev.key === 'End'
              ? visible[visible.length - 1]
              : undefined;
    if (to === undefined) return;
    ev.preventDefault();
    showTab(to);
    focusById(`tab-${to}`);
  };

  const tabButton = (name: Tab): ReactNode => (
    <button
      key={name}
      type="button"
      role="tab"
      id={`tab-${name}`}
      aria-controls={`panel-${name}`}
      aria-selected={tab === name}
      tabIndex={tab === name ? 0 : -1}
      hidden={!visible.includes(name)}
      onClick={() => showTab(name)}
      onKeyDown={(ev) => onTabKey(ev, name)}
    >
      {t(`tabs.${name}`)}
      {name === 'help' ? <span id="tab-help-count">{helpCount > 0 ? ` (${helpCount})` : ''}</span> : null}
    </button>
  );
  const other = language === 'en' ? 'zh-CN' : 'en';

  return (
    <>
      <header className="bar">
        <h1>{t('app.title')}</h1>
        <div className="who">
          <button
            type="button"
            id="language"
            className="quiet"
            lang={other}
            title={t('app.languageLabel')}
            onClick={() => setLanguage(other)}
          >
            {t('app.language')}
          </button>
          <div id="who" className="who" hidden={me === null}>
            <span id="who-name" data-testid="who">
              {me ? `${me.name}${roleNames ? ` · ${roleNames}` : ''} · ${me.jurisdictions.join('、')}` : ''}
            </span>
            <button
              type="button"
              id="logout"
              className="quiet"
              onClick={() => {
                void desk.api.logout().then(() => signedOut({ key: 'login.signedOut' }));
              }}
            >
              {t('app.signOut')}
            </button>
          </div>
        </div>
      </header>
      <main>
        <LoginForm
          hidden={me !== null}
          error={say(loginError)}
          onMissing={() => setLoginError({ key: 'login.missing' })}
          onLogin={login}
        />
        <div id="desk" hidden={me === null}>
          <nav className="tabs" aria-label={t('app.deskLabel')}>
            <div role="tablist" className="tablist">
              {TABS.map(tabButton)}
            </div>
            <button
              type="button"
              id="refresh"
              className="quiet"
              onClick={() => {
                setStatus(null);
                void refresh();
              }}
            >
              {t('app.refresh')}
            </button>
          </nav>
          <p id="status" className={status?.bad ? 'status bad' : 'status'} role="status" aria-live="polite">
            {status ? say(status.message) : ''}
          </p>
          <LiveDesk
            ref={liveRef}
            desk={desk}
            csrf={csrfOf}
            fetch={fetchLive}
            reloadCases={reloadCases}
            openCase={openOne}
            say={sayMessage}
          />

          <section id="panel-cases" role="tabpanel" aria-labelledby="tab-cases" hidden={tab !== 'cases'}>
            <CaseList ref={casesRef} desk={desk} onOpen={openOne} />
            <CaseDetailView ref={detailRef} desk={desk} reloadCases={reloadCases} say={sayMessage} />
          </section>

          <section
            id="panel-followups"
            role="tabpanel"
            aria-labelledby="tab-followups"
            hidden={tab !== 'followups'}
          >
            <FollowupsPanel
              ref={(h) => {
                panels.current.followups = h;
              }}
              desk={desk}
              mayExport={rolesMay(me, 'stats.export')}
            />
          </section>

          <section id="panel-stats" role="tabpanel" aria-labelledby="tab-stats" hidden={tab !== 'stats'}>
            <StatsPanel
              ref={(h) => {
                panels.current.stats = h;
              }}
              desk={desk}
            />
          </section>

          <section id="panel-fleet" role="tabpanel" aria-labelledby="tab-fleet" hidden={tab !== 'fleet'}>
            <FleetPanel
              ref={(h) => {
                panels.current.fleet = h;
              }}
              desk={desk}
            />
          </section>

          <section id="panel-help" role="tabpanel" aria-labelledby="tab-help" hidden={tab !== 'help'}>
            <HelpPanel
              ref={(h) => {
                panels.current.help = h;
              }}
              desk={desk}
              api={panelApi}
              csrf={() => bridge.csrf()}
              fetch={(input, init) => fetchImpl(input, init)}
              onCount={setHelpCount}
            />
          </section>

          <section id="panel-queue" role="tabpanel" aria-labelledby="tab-queue" hidden={tab !== 'queue'}>
            <QueuePanel
              ref={(h) => {
                panels.current.queue = h;
              }}
              desk={desk}
              api={panelApi}
              shown={tab === 'queue'}
            />
          </section>

          <section id="panel-audit" role="tabpanel" aria-labelledby="tab-audit" hidden={tab !== 'audit'}>
            <AuditPanel
              ref={(h) => {
                panels.current.audit = h;
              }}
              desk={desk}
            />
          </section>
        </div>
      </main>
    </>
  );
}

function LoginForm(props: {
  hidden: boolean;
  error: string;
  onMissing: () => void;
  onLogin: (name: string, password: string) => Promise<void>;
}): ReactNode {
  const { t } = useDeskText();
  const nameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  return (
    <section id="login" className="card narrow" aria-labelledby="login-title" hidden={props.hidden}>
      <h2 id="login-title">{t('login.title')}</h2>
      <form
        id="login-form"
        noValidate
        onSubmit={(ev) => {
          ev.preventDefault();
          const name = nameRef.current?.value.trim() ?? '';
          const password = passwordRef.current?.value ?? '';
          if (!name || !password) props.onMissing();
          else void props.onLogin(name, password);
        }}
      >
        <label htmlFor="login-name">{t('login.name')}</label>
        <input
          ref={nameRef}
          id="login-name"
          name="username"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
        />
        <label htmlFor="password">{t('login.password')}</label>
        <input
          ref={passwordRef}
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <p className="hint">{t('login.hint')}</p>
        <button type="submit" id="login-submit">
          {t('login.submit')}
        </button>
        <p id="login-error" className="error" role="alert">
          {props.error}
        </p>
      </form>
    </section>
  );
}
