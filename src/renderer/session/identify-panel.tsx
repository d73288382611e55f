/**
 * "请将身份证放在读卡区": waits for a card for one role (applicant, or the helper in 帮办代办 mode) and
 * reports the masked identity. Reading errors say what to do (place it again and keep it still;
 * an expired card; the reader is out of order → the staffed window), never a dead end.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionRole, SessionView } from '../../shared/browser.js';
import { identify, type IdentifyError } from '../api/index.js';
import { Icon } from '../components/icon.js';
import { useKioskEvent } from '../lib/kiosk-events.js';
import { useResidentSession, useVoicePrompt } from './session-context.js';

/** Waiting for the card, or why no identity was read (the router's IdentifyError, or a failed call). */
type Phase = { kind: 'waiting' } | { kind: 'error'; error: IdentifyError['kind'] };

/** How long one wait lasts before the screen offers to try again. */
export const IDENTIFY_WAIT_MS = 60_000;

export function IdentifyPanel({
  role,
  onIdentified,
}: {
  role: SessionRole;
  onIdentified: (view: SessionView) => void;
}) {
  const { t } = useTranslation();
  const { ensure, update } = useResidentSession();
  const [phase, setPhase] = useState<Phase>({ kind: 'waiting' });
  const [attempt, setAttempt] = useState(0);
  // A failed read while waiting: the wait goes on; the hint says to place the card again.
  const [readHint, setReadHint] = useState(false);
  // Set while the screen asks for a card that lay on the reader to be lifted and placed again.
  const liftRef = useRef(false);
  useKioskEvent((e) => {
    if (e.type !== 'card') return;
    setReadHint(e.state === 'error');
    // The card that lay there before the session was lifted (or already placed again): read anew.
    if (e.state !== 'error' && liftRef.current) {
      liftRef.current = false;
      setPhase({ kind: 'waiting' });
      setAttempt((a) => a + 1);
    }
  });

  const done = useRef(onIdentified);
  useEffect(() => {
    done.current = onIdentified;
  }, [onIdentified]);
  useVoicePrompt(
    phase.kind === 'waiting'
      ? t(role === 'helper' ? 'sessionFlow.identify.helperPrompt' : 'sessionFlow.identify.prompt')
      : phase.error === 'session-expired'
        ? t('sessionFlow.expired')
        : t(`sessionFlow.identify.errors.${phase.error}`),
  );

  useEffect(() => {
    let live = true;
    void (async () => {
      const s = await ensure('touch').catch(() => null);
      const r = s ? await identify(s.id, role, IDENTIFY_WAIT_MS) : null;
      if (!live) return;
      if (r === null) setPhase({ kind: 'error', error: 'failed' });
      else if (r.ok) {
        update(r.value.session);
        done.current(r.value.session);
      } else {
        liftRef.current = r.error.kind === 'lift-card';
        setPhase({ kind: 'error', error: r.error.kind });
      }
    })();
    return () => {
      live = false;
    };
  }, [attempt, ensure, role, update]);

  const retry = useCallback(() => {
    setPhase({ kind: 'waiting' });
    setAttempt((a) => a + 1);
  }, []);

  return (
    <section className="card identify" aria-live="polite" data-testid={`identify-${role}`}>
      <span className="identify-icon" aria-hidden="true">
        <Icon name="idcard" />
      </span>
      <h2 className="screen-title">
        {t(role === 'helper' ? 'sessionFlow.identify.helperTitle' : 'sessionFlow.identify.title')}
      </h2>
      {phase.kind === 'error' && phase.error === 'lift-card' ? (
        // Not an error of the resident's: a card lay on the reader before this visit. No button —
        // lifting the card is the action, and the wait starts again by itself.
        <div className="notice notice-warn" role="alert" data-testid="identify-lift-card">
          <Icon name="warning" />
          <p>{t('sessionFlow.identify.errors.lift-card')}</p>
        </div>
      ) : phase.kind === 'waiting' ? (
        <>
          <p className="identify-hint" data-testid="identify-waiting">
            {t(role === 'helper' ? 'sessionFlow.identify.helperPrompt' : 'sessionFlow.identify.prompt')}
          </p>
          {readHint && (
            <div className="notice notice-warn" role="status" data-testid="identify-read-hint">
              <Icon name="warning" />
              <p>{t('sessionFlow.identify.errors.read-failed')}</p>
            </div>
          )}
        </>
      ) : (
        <div className="notice notice-bad" role="alert" data-testid="identify-error" data-error={phase.error}>
          <Icon name="warning" />
          {phase.error === 'session-expired' ? (
            // Reading again cannot help: the visit is over (the bottom bar's 返回首页 starts anew).
            <p>{t('sessionFlow.expired')}</p>
          ) : (
            <>
              <p>{t(`sessionFlow.identify.errors.${phase.error}`)}</p>
              <button type="button" className="btn btn-primary" onClick={retry} data-testid="identify-retry">
                <Icon name="retry" />
                {t('sessionFlow.identify.retry')}
              </button>
            </>
          )}
        </div>
      )}
      <p className="identify-privacy">{t('sessionFlow.identify.privacy')}</p>
    </section>
  );
}
