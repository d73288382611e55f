/**
 * After a session ends (finished or timed out): the reminder to take the ID card and the papers
 * (privacy at an unattended terminal), then home by itself after a few seconds.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { EndReason } from '../../shared/browser.js';
import { Icon } from '../components/icon.js';
import { residentMs, useDisplayMode } from '../lib/display-mode.js';
import type { FarewellKind } from './leaving.js';
import { useResidentSession } from './session-context.js';

export const FAREWELL_MS = 12_000;

export function FarewellScreen({
  reason,
  kind,
  onHome,
}: {
  reason: EndReason;
  kind: FarewellKind;
  onHome: () => void;
}) {
  const { t } = useTranslation();
  const { voice } = useResidentSession();
  const display = useDisplayMode();
  const title = t(
    reason === 'timeout'
      ? 'sessionFlow.farewell.timeoutTitle'
      : reason === 'home'
        ? 'sessionFlow.farewell.homeTitle'
        : 'sessionFlow.farewell.title',
  );
  // After 排队取号 there is no card and no original on the kiosk: only the ticket to take.
  const reminder = t(
    kind === 'queue' ? 'sessionFlow.farewell.queueReminder' : 'sessionFlow.farewell.reminder',
  );
  useEffect(() => {
    voice.say(`${title} ${reminder}`);
    const timer = window.setTimeout(onHome, residentMs(FAREWELL_MS, display));
    return () => window.clearTimeout(timer);
  }, [onHome, reminder, title, voice, display]);
  return (
    <section
      className="state-panel farewell card"
      data-testid="farewell"
      data-reason={reason}
      data-kind={kind}
      aria-live="assertive"
    >
      <Icon name="idcard" className="state-icon" />
      <h2 className="screen-title">{title}</h2>
      <p className="farewell-reminder">{reminder}</p>
      <p>{t('sessionFlow.farewell.wiped')}</p>
      <button type="button" className="btn btn-primary btn-big" onClick={onHome} data-testid="farewell-home">
        <Icon name="home" />
        {t('nav.home')}
      </button>
    </section>
  );
}
