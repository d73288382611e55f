/**
 * A screen whose code loads on demand (its own chunk), with a `preload` the home screen calls once
 * it is idle, so the first tap on a tile finds the code already there and never waits.
 * React.lazy alone would suspend on every first render even when the chunk is in memory (it cannot
 * read a settled promise synchronously): a mount that starts after the preload settled renders the
 * component directly; one that starts before stays on the lazy path for its whole life (switching
 * would remount the screen and lose its state).
 */
import { lazy, Suspense, useEffect, useState, type ComponentType, type JSX } from 'react';
import { useTranslation } from 'react-i18next';

export type LazyScreen<P extends object> = {
  Screen: (props: P) => JSX.Element;
  /** Starts loading the chunk (once; again after a failed attempt). */
  preload: () => Promise<unknown>;
};

export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): LazyScreen<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const preload = (): Promise<ComponentType<P>> => {
    pending ??= load().then(
      (c) => {
        loaded = c;
        return c;
      },
      (error: unknown) => {
        // A failed load (the build changed under a running screen) may be tried again.
        pending = null;
        throw error;
      },
    );
    return pending;
  };
  const Lazy = lazy(async () => ({ default: await preload() }));
  function Screen(props: P) {
    const [Ready] = useState(() => loaded);
    if (Ready) return <Ready {...props} />;
    return (
      <Suspense fallback={<OpeningPanel />}>
        <Lazy {...props} />
      </Suspense>
    );
  }
  return { Screen, preload: () => preload().catch(() => undefined) };
}

/** Shown only if a chunk takes noticeably long (never a flash of it on a fast load). */
const OPENING_DELAY_MS = 250;

export function OpeningPanel() {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setShown(true), OPENING_DELAY_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div className="state-panel state-opening" role="status" aria-live="polite" data-testid="screen-opening">
      {shown && (
        <>
          <span className="spinner" aria-hidden="true" />
          <p>{t('common.loading')}</p>
        </>
      )}
    </div>
  );
}
