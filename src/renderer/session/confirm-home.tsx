/**
 * 返回首页 mid-flow: one question before the form and the scanned pages are thrown away. Staying is
 * the first (primary) choice; leaving ends the session and shows the take-your-card reminder.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../components/icon.js';
import { useResidentSession } from './session-context.js';

export function ConfirmHomeDialog({ onStay, onLeave }: { onStay: () => void; onLeave: () => void }) {
  const { t } = useTranslation();
  const { voice } = useResidentSession();
  useEffect(() => {
    voice.say(`${t('sessionFlow.leave.title')} ${t('sessionFlow.leave.body')}`);
  }, [t, voice]);
  return (
    <div className="countdown-backdrop">
      <section
        className="countdown card"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="leave-title"
        aria-describedby="leave-body"
        data-testid="confirm-home"
      >
        <Icon name="warning" className="state-icon" />
        <h2 id="leave-title" className="screen-title">
          {t('sessionFlow.leave.title')}
        </h2>
        <p id="leave-body">{t('sessionFlow.leave.body')}</p>
        <div className="countdown-actions">
          <button
            type="button"
            className="btn btn-primary btn-big"
            data-testid="confirm-home-stay"
            onClick={onStay}
          >
            {t('sessionFlow.leave.stay')}
          </button>
          <button type="button" className="btn btn-big" data-testid="confirm-home-leave" onClick={onLeave}>
            <Icon name="home" />
            {t('sessionFlow.leave.leave')}
          </button>
        </div>
      </section>
    </div>
  );
}
