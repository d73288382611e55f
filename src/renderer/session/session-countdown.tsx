/**
 * The inactivity countdown (docs/resident-journey.md, "Around every flow"; 适老化 in
 * docs/domain.md: enough time, and a countdown that can be extended):
 * after `idleMs` without a touch a panel counts down `countdownMs` with a large "需要更多时间"
 * button; at zero the session ends and is wiped. The shell passes both through `residentMs`
 * (lib/display-mode.ts), so both are longer in elderly mode.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../components/icon.js';

const ACTIVITY = ['pointerdown', 'keydown', 'touchstart'] as const;

export function SessionCountdown({
  active,
  idleMs,
  countdownMs,
  onTimeout,
  onEnd,
}: {
  active: boolean;
  idleMs: number;
  countdownMs: number;
  onTimeout: () => void;
  onEnd: () => void;
}) {
  const { t } = useTranslation();
  const [left, setLeft] = useState<number | null>(null);
  const lastActivity = useRef(0);
  const timeout = useRef(onTimeout);
  useEffect(() => {
    timeout.current = onTimeout;
  }, [onTimeout]);

  useEffect(() => {
    if (!active) return;
    lastActivity.current = Date.now();
    const touch = () => {
      lastActivity.current = Date.now();
    };
    for (const type of ACTIVITY) window.addEventListener(type, touch, { passive: true, capture: true });
    const tick = window.setInterval(() => {
      const idle = Date.now() - lastActivity.current;
      if (idle < idleMs) {
        setLeft(null);
        return;
      }
      const remaining = Math.ceil((idleMs + countdownMs - idle) / 1000);
      if (remaining <= 0) {
        setLeft(null);
        lastActivity.current = Date.now();
        timeout.current();
      } else setLeft(remaining);
    }, 250);
    return () => {
      window.clearInterval(tick);
      // A new screen or a finished session starts with no countdown showing.
      setLeft(null);
      for (const type of ACTIVITY) window.removeEventListener(type, touch, { capture: true });
    };
  }, [active, idleMs, countdownMs]);

  if (!active || left === null) return null;
  return (
    <div className="countdown-backdrop">
      <section
        className="countdown card"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="countdown-title"
        aria-describedby="countdown-body"
        data-testid="session-countdown"
      >
        <Icon name="clock" className="state-icon" />
        <h2 id="countdown-title" className="screen-title">
          {t('sessionFlow.countdown.title')}
        </h2>
        <p id="countdown-body">{t('sessionFlow.countdown.body', { seconds: left })}</p>
        <p className="countdown-seconds" aria-hidden="true" data-testid="countdown-seconds">
          {left}
        </p>
        <div className="countdown-actions">
          <button
            type="button"
            className="btn btn-primary btn-big"
            data-testid="countdown-more"
            onClick={() => setLeft(null)}
          >
            {t('sessionFlow.countdown.more')}
          </button>
          <button type="button" className="btn btn-big" data-testid="countdown-end" onClick={onEnd}>
            {t('sessionFlow.countdown.end')}
          </button>
        </div>
      </section>
    </div>
  );
}
