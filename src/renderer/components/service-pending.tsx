/**
 * The honest stand-in for a service this kiosk does not offer yet: what it is, that it is being set
 * up here, and where to go instead (a staffed window of the hall). One small component so each later
 * flow (apply, progress, queue, evaluation) replaces exactly one use of it.
 */
import { useTranslation } from 'react-i18next';
import { Icon, type IconName } from './icon.js';

export function ServicePending({
  title,
  icon,
  hallName,
  hallPhone,
  onHome,
  onGuide,
}: {
  title: string;
  icon: IconName;
  hallName: string;
  hallPhone: string;
  onHome: () => void;
  onGuide?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <section className="pending card" aria-labelledby="pending-title" data-testid="service-pending">
      <span className="pending-icon">
        <Icon name={icon} />
      </span>
      <h2 id="pending-title" className="screen-title">
        {title}
      </h2>
      <p className="pending-body">{t('pending.body', { service: title })}</p>
      <p className="pending-where">
        <Icon name="building" />
        <span>{t('pending.where', { hall: hallName })}</span>
      </p>
      <p className="pending-where">
        <Icon name="help" />
        <span>{t('pending.phone', { phone: hallPhone })}</span>
      </p>
      {onGuide && <p className="pending-hint">{t('pending.guideHint')}</p>}
      <div className="pending-actions">
        {onGuide && (
          <button type="button" className="btn btn-primary" onClick={onGuide}>
            <Icon name="guide" />
            {t('pending.openGuide')}
          </button>
        )}
        <button type="button" className="btn" onClick={onHome}>
          <Icon name="home" />
          {t('nav.home')}
        </button>
      </div>
    </section>
  );
}
