/**
 * The kiosk shell: masthead (title, hall, clock), the current screen in one scroll area, and the
 * persistent bottom bar (返回首页 / 上一步, page up/down, 长辈模式, 高对比度 and language). Language,
 * elderly mode and high contrast live in memory only: a kiosk starts every session in Chinese, normal
 * mode (lib/display-mode.ts). Landmarks in visual order: banner (masthead), main, then the bar's
 * navigation and settings, so a screen reader meets them as a sighted resident does.
 * Five quick taps on the title of the home screen open the technician console's PIN pad; the
 * console replaces the screens until it is left (返回首页 or two idle minutes), which logs out.
 */
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBoundary } from './components/error-boundary.js';
import { Clock } from './components/clock.js';
import { Icon } from './components/icon.js';
import { HelpCall } from './components/help/help-call.js';
import { useKioskStatus } from './hooks/use-kiosk-status.js';
import { useLanguage } from './hooks/use-language.js';
import { useIdleTimeout } from './hooks/use-idle-timeout.js';
import { useScrollPaging } from './hooks/use-scroll-paging.js';
import { useTechSession } from './hooks/use-tech-session.js';
import {
  currentEntry,
  initialNav,
  navReducer,
  type NavAction,
  type NavState,
  type Route,
} from './lib/navigation.js';
import { registerTap } from './lib/tap-gesture.js';
import { HomeScreen } from './screens/home-screen.js';
import {
  applyScreen,
  bundleScreen,
  bundlesScreen,
  catalogScreen,
  evaluateScreen,
  guideScreen,
  prefetchResidentScreens,
  progressScreen,
  queueScreen,
  techConsoleScreen,
  techLoginScreen,
  windowScreen,
} from './screens/lazy-screens.js';
import { setDisplayTimeZone } from './lib/format.js';
import { DisplayModeContext, residentMs, type DisplayMode } from './lib/display-mode.js';
import { useKioskEvent } from './lib/kiosk-events.js';
import { loadEnglish } from './i18n/index.js';
import type { EndReason, SessionView } from '../shared/browser.js';
import { ConfirmHomeDialog } from './session/confirm-home.js';
import { FarewellScreen } from './session/farewell-screen.js';
import { afterEnd, farewellKind, holdsSomething } from './session/leaving.js';
import { SessionCountdown } from './session/session-countdown.js';
import {
  BackHandlerProvider,
  ResidentSessionProvider,
  useResidentSession,
} from './session/session-context.js';

/** Screens that belong to a resident session. */
const RESIDENT_FLOWS = new Set<Route['name']>(['apply', 'progress', 'queue', 'evaluate']);

/** The console logs out after two minutes without a touch. */
const TECH_IDLE_MS = 2 * 60_000;

const ApplyFlow = applyScreen.Screen;
const ProgressFlow = progressScreen.Screen;
const QueueFlow = queueScreen.Screen;
const EvaluateFlow = evaluateScreen.Screen;
const CatalogScreen = catalogScreen.Screen;
const WindowScreen = windowScreen.Screen;
const GuideScreen = guideScreen.Screen;
const BundlesScreen = bundlesScreen.Screen;
const BundleScreen = bundleScreen.Screen;
const TechLoginScreen = techLoginScreen.Screen;
const TechConsoleScreen = techConsoleScreen.Screen;

/**
 * Once the home screen has painted and the page is idle, fetch the English copy and the flows'
 * code, so the language toggle and the first tap on a tile answer at once. Once per page load.
 */
function usePrefetchWhenIdle(active: boolean): void {
  const done = useRef(false);
  useEffect(() => {
    if (!active || done.current) return;
    const start = () => {
      done.current = true;
      void loadEnglish()
        .catch(() => undefined)
        .then(prefetchResidentScreens);
    };
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(start, { timeout: 2000 });
      return () => cancelIdleCallback(id);
    }
    const timer = setTimeout(start, 500);
    return () => clearTimeout(timer);
  }, [active]);
}

export function App() {
  const [nav, dispatch] = useReducer(navReducer, initialNav);
  // The last resident flow shown: the farewell after 排队取号 mentions the ticket, not a card.
  const lastFlowRef = useRef<Route['name'] | null>(null);
  const onEnded = useCallback((reason: EndReason, ended: SessionView | null) => {
    // Every ending shows the reminder, except 返回首页 from a session that held nothing.
    const kind = farewellKind(lastFlowRef.current, ended);
    lastFlowRef.current = null;
    dispatch(
      afterEnd(reason, ended) === 'home'
        ? { type: 'home' }
        : { type: 'reset', route: { name: 'farewell', reason, kind } },
    );
  }, []);
  return (
    <ResidentSessionProvider onEnded={onEnded}>
      <KioskShell nav={nav} dispatch={dispatch} lastFlowRef={lastFlowRef} />
    </ResidentSessionProvider>
  );
}

function KioskShell({
  nav,
  dispatch,
  lastFlowRef,
}: {
  nav: NavState;
  dispatch: React.Dispatch<NavAction>;
  lastFlowRef: React.MutableRefObject<Route['name'] | null>;
}) {
  const { t, i18n } = useTranslation();
  const resident = useResidentSession();
  const { end: endSession, session } = resident;
  const backHandlers = useRef<(() => boolean)[]>([]);
  const lang = useLanguage();
  const kiosk = useKioskStatus();
  // Times on screen follow the hall's zone, as the receipts do (set before this render's children).
  setDisplayTimeZone(kiosk.status?.timeZone);
  const [elderly, setElderly] = useState(false);
  const [contrast, setContrast] = useState(false);
  const displayMode = useMemo<DisplayMode>(() => ({ elderly, contrast }), [elderly, contrast]);
  const mainRef = useRef<HTMLElement>(null);
  const paging = useScrollPaging(mainRef);
  const entry = currentEntry(nav);
  const route = entry.route;
  const tech = useTechSession();
  const inTech = tech.state.phase !== 'closed';
  const isHome = route.name === 'home' && !inTech;
  const taps = useRef<number[]>([]);
  usePrefetchWhenIdle(isHome);
  useEffect(() => {
    if (RESIDENT_FLOWS.has(route.name)) lastFlowRef.current = route.name;
  }, [route.name, lastFlowRef]);
  const [confirmHome, setConfirmHome] = useState(false);
  const hallName =
    (lang === 'en' ? kiosk.status?.hallNameEn : kiosk.status?.hallName) ?? t('app.hallFallback');

  // Elderly mode scales the root font size, so every rem-based size and target grows with it;
  // high contrast swaps the palette. Both are classes on <html> so every screen's styles follow.
  useLayoutEffect(() => {
    document.documentElement.classList.toggle('elderly', elderly);
  }, [elderly]);
  useLayoutEffect(() => {
    document.documentElement.classList.toggle('contrast', contrast);
  }, [contrast]);

  // Land where the resident left a screen (0 for a new one).
  useLayoutEffect(() => {
    const main = mainRef.current;
    if (!main) return;
    main.scrollTop = entry.scrollTop;
  }, [entry]);

  const { ensure: ensureSession } = resident;
  const open = useCallback(
    (next: Route) => {
      // A resident session starts with the first touch on a service (or a card, below).
      if (RESIDENT_FLOWS.has(next.name)) void ensureSession('touch').catch(() => undefined);
      dispatch({ type: 'push', route: next, scrollTop: mainRef.current?.scrollTop ?? 0 });
    },
    [dispatch, ensureSession],
  );
  // A card placed while the home screen shows starts a session and 我要办事, which picks it up.
  useKioskEvent((e) => {
    if (e.type === 'card' && e.state === 'present' && isHome) {
      void ensureSession('card').catch(() => undefined);
      dispatch({ type: 'push', route: { name: 'apply', target: null }, scrollTop: 0 });
    }
  });
  const sessionTiming = kiosk.status?.session ?? { idleSeconds: 90, countdownSeconds: 30 };
  // The countdown runs whenever a resident session is open, or any screen but home/farewell is shown.
  const countdownActive =
    !inTech && (session !== null || (route.name !== 'home' && route.name !== 'farewell'));
  const onIdleTimeout = useCallback(() => {
    if (session) void endSession('timeout');
    else dispatch({ type: 'home' });
  }, [dispatch, endSession, session]);
  // Ends the resident's session (wiping it) and goes home, through the farewell when it held anything.
  const leaveNow = useCallback(() => {
    setConfirmHome(false);
    if (session) void endSession('home');
    else dispatch({ type: 'home' });
  }, [dispatch, endSession, session]);
  // 返回首页 mid-flow asks first: a card read or pages scanned would be thrown away by one tap.
  const goHome = useCallback(() => {
    if (holdsSomething(session) && RESIDENT_FLOWS.has(route.name)) setConfirmHome(true);
    else leaveNow();
  }, [leaveNow, route.name, session]);
  const finish = useCallback(() => void endSession('finished'), [endSession]);
  // 上一步: the flow's own step first (innermost handler), then the previous screen.
  const goBack = useCallback(() => {
    const handlers = backHandlers.current;
    for (let i = handlers.length - 1; i >= 0; i--) if (handlers[i]?.()) return;
    dispatch({ type: 'back' });
  }, [dispatch]);
  const setQuery = useCallback(
    (query: string) => dispatch({ type: 'replace', route: { name: 'catalog', query } }),
    [dispatch],
  );
  const openItem = useCallback((code: string) => open({ name: 'item', code }), [open]);

  const { close: closeTech } = tech;
  const leaveTech = useCallback(() => {
    closeTech();
    dispatch({ type: 'home' });
  }, [closeTech, dispatch]);
  useIdleTimeout(inTech, TECH_IDLE_MS, leaveTech);
  // The console and the PIN pad start at their top, and so does home after them.
  useLayoutEffect(() => {
    if (mainRef.current) mainRef.current.scrollTop = 0;
  }, [tech.state.phase]);

  // The hidden gesture: only on the home screen, so a resident mid-flow never lands in it.
  const onBrandTap = () => {
    if (!isHome) return;
    const r = registerTap(taps.current, Date.now());
    taps.current = r.taps;
    if (r.fired) tech.openPin();
  };

  // 再听一遍: on every resident screen while voice is on, the last prompt again. In the navigation
  // group (a row of its own in portrait), so the settings row keeps room for 呼叫帮助.
  const hearAgain = resident.voice.enabled ? (
    <button
      type="button"
      className="btn btn-bar btn-repeat"
      data-testid="voice-repeat"
      aria-label={t('sessionFlow.voice.repeatLabel')}
      onClick={resident.voice.repeat}
    >
      <Icon name="voice" />
      {t('sessionFlow.voice.repeat')}
    </button>
  ) : null;

  return (
    <DisplayModeContext.Provider value={displayMode}>
      <div
        className={elderly ? 'kiosk elderly' : 'kiosk'}
        data-screen={
          tech.state.phase === 'pin'
            ? 'tech-pin'
            : tech.state.phase === 'console'
              ? 'tech-console'
              : route.name
        }
      >
        <header className="masthead">
          {/* Not a button: the technician's way in is deliberately invisible to residents. */}
          <div className="brand" data-testid="brand" onClick={onBrandTap}>
            <span className="brand-mark" aria-hidden="true">
              <Icon name="building" />
            </span>
            <div className="brand-text">
              <h1 className="brand-title">{t('app.title')}</h1>
              <p className="brand-hall" data-testid="hall-name">
                {hallName}
              </p>
            </div>
          </div>
          <Clock offsetMs={kiosk.offsetMs} />
        </header>

        {/* Focusable so a keyboard (technician, switch access) can scroll a long guide too. */}
        <main ref={mainRef} className="content" data-testid="content" tabIndex={0}>
          {tech.state.phase === 'closed' ? (
            <ErrorBoundary key={screenKey(route)} fallback={<CrashPanel onHome={goHome} />}>
              <BackHandlerProvider handlers={backHandlers}>
                <RouteView
                  route={route}
                  kiosk={kiosk}
                  open={open}
                  openItem={openItem}
                  setQuery={setQuery}
                  goHome={goHome}
                  finish={finish}
                />
              </BackHandlerProvider>
            </ErrorBoundary>
          ) : (
            <ErrorBoundary key={`tech-${tech.state.phase}`} fallback={<CrashPanel onHome={leaveTech} />}>
              {tech.state.phase === 'pin' ? (
                <TechLoginScreen feedback={tech.state.feedback} onSignedIn={tech.signIn} />
              ) : (
                <TechConsoleScreen kiosk={kiosk} onExpired={tech.expire} />
              )}
            </ErrorBoundary>
          )}
        </main>

        <footer className={paging.canUp || paging.canDown ? 'bar has-pager' : 'bar'}>
          {isHome ? (
            <p className="bar-help">
              <Icon name="help" />
              <span>{t('home.help')}</span>
              {hearAgain}
            </p>
          ) : inTech ? (
            // In the console "home" also means "log out"; there is no step to go back to.
            <nav className="bar-group bar-nav" aria-label={t('nav.label')}>
              <button
                type="button"
                className="btn btn-bar btn-home"
                data-testid="tech-leave"
                onClick={leaveTech}
              >
                <Icon name="home" />
                {t('nav.home')}
              </button>
            </nav>
          ) : (
            <nav className="bar-group bar-nav" aria-label={t('nav.label')}>
              <button type="button" className="btn btn-bar btn-home" onClick={goHome}>
                <Icon name="home" />
                {t('nav.home')}
              </button>
              <button type="button" className="btn btn-bar" onClick={goBack}>
                <Icon name="back" />
                {t('nav.back')}
              </button>
              {hearAgain}
            </nav>
          )}
          {/* Before the pager: beside the navigation in both orientations, so read in the order seen. */}
          {!inTech && <HelpCall step={route.name} sessionId={session?.id ?? null} />}
          {(paging.canUp || paging.canDown) && (
            <div className="bar-group bar-pager">
              <button
                type="button"
                className="btn btn-bar btn-pager"
                onClick={paging.pageUp}
                disabled={!paging.canUp}
              >
                <Icon name="up" />
                {t('nav.pageUp')}
              </button>
              <button
                type="button"
                className="btn btn-bar btn-pager"
                onClick={paging.pageDown}
                disabled={!paging.canDown}
              >
                <Icon name="down" />
                {t('nav.pageDown')}
              </button>
            </div>
          )}
          <div className="bar-group bar-settings" role="group" aria-label={t('toggle.settingsLabel')}>
            <button
              type="button"
              className="btn btn-bar btn-toggle"
              aria-pressed={resident.voice.enabled}
              data-testid="toggle-voice"
              onClick={() => resident.voice.setEnabled(!resident.voice.enabled)}
            >
              <Icon name={resident.voice.enabled ? 'ready' : 'voice'} />
              {t('sessionFlow.voice.toggle')}
            </button>
            <button
              type="button"
              className="btn btn-bar btn-toggle"
              aria-pressed={elderly}
              data-testid="toggle-elderly"
              onClick={() => {
                // 长辈模式 turns voice on (the resident may switch it off again).
                if (!elderly) resident.voice.setEnabled(true);
                setElderly((e) => !e);
              }}
            >
              {/* A tick when on: the state is shown by shape and text, not by colour alone. */}
              <Icon name={elderly ? 'ready' : 'elderly'} />
              {t('toggle.elderly')}
            </button>
            <button
              type="button"
              className="btn btn-bar btn-toggle"
              aria-pressed={contrast}
              data-testid="toggle-contrast"
              onClick={() => setContrast((c) => !c)}
            >
              <Icon name={contrast ? 'ready' : 'contrast'} />
              {t('toggle.contrast')}
            </button>
            <button
              type="button"
              className="btn btn-bar btn-toggle"
              aria-pressed={lang === 'en'}
              data-testid="toggle-language"
              onClick={() => void i18n.changeLanguage(lang === 'en' ? 'zh-CN' : 'en')}
            >
              <Icon name="language" />
              <span lang={lang === 'en' ? 'zh-CN' : 'en'}>{t('toggle.language')}</span>
            </button>
          </div>
        </footer>
        <SessionCountdown
          active={countdownActive}
          idleMs={residentMs(sessionTiming.idleSeconds * 1000, displayMode)}
          countdownMs={residentMs(sessionTiming.countdownSeconds * 1000, displayMode)}
          onTimeout={onIdleTimeout}
          onEnd={leaveNow}
        />
        {confirmHome && !inTech && (
          <ConfirmHomeDialog onStay={() => setConfirmHome(false)} onLeave={leaveNow} />
        )}
      </div>
    </DisplayModeContext.Provider>
  );
}

/** One key per screen; a new search query keeps the catalog screen (and its input focus). */
function screenKey(route: Route): string {
  return route.name === 'catalog' ? 'catalog' : JSON.stringify(route);
}

type RouteViewProps = {
  route: Route;
  kiosk: ReturnType<typeof useKioskStatus>;
  open: (route: Route) => void;
  openItem: (code: string) => void;
  setQuery: (query: string) => void;
  goHome: () => void;
  /** The resident is done: end (wipe) the session and show the reminder. */
  finish: () => void;
};

function RouteView({ route, ...d }: RouteViewProps): ReactNode {
  switch (route.name) {
    case 'home':
      return <HomeScreen kiosk={d.kiosk} onOpen={d.open} />;
    case 'catalog':
      return <CatalogScreen query={route.query} onOpen={d.open} onQuery={d.setQuery} />;
    case 'window':
      return <WindowScreen code={route.code} onOpenItem={d.openItem} />;
    case 'item':
      return (
        <GuideScreen
          code={route.code}
          onApply={() => d.open({ name: 'apply', target: { kind: 'item', code: route.code } })}
        />
      );
    case 'bundles':
      return <BundlesScreen onOpenBundle={(code) => d.open({ name: 'bundle', code })} />;
    case 'bundle':
      return (
        <BundleScreen
          code={route.code}
          onOpenItem={d.openItem}
          onApply={() => d.open({ name: 'apply', target: { kind: 'bundle', code: route.code } })}
        />
      );
    case 'apply':
      return <ApplyFlow initialTarget={route.target} onFinish={d.finish} />;
    case 'progress':
      return <ProgressFlow onFinish={d.finish} />;
    case 'queue':
      return <QueueFlow onFinish={d.finish} />;
    case 'evaluate':
      return <EvaluateFlow onFinish={d.finish} />;
    case 'farewell':
      return <FarewellScreen reason={route.reason} kind={route.kind} onHome={d.goHome} />;
    default: {
      const never: never = route;
      return never;
    }
  }
}

function CrashPanel({ onHome }: { onHome: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="state-panel state-error" role="alert">
      <Icon name="warning" className="state-icon" />
      <h2 className="state-title">{t('common.crashTitle')}</h2>
      <p>{t('common.crashBody')}</p>
      <button type="button" className="btn btn-primary btn-bar" onClick={onHome}>
        <Icon name="home" />
        {t('nav.home')}
      </button>
    </div>
  );
}
