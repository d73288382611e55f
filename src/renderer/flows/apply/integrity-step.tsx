/**
 * Step 7, 受理前廉洁告知 (docs/domain.md, reform point 20): a short, sober notice — no gifts, no fees
 * beyond the published ones, where to report — acknowledged explicitly before the application can
 * be submitted. The acknowledgement is the way on; nothing is pre-ticked.
 */
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/icon.js';
import { Actions, StepHead } from './apply-ui.js';

const POINTS = ['gifts', 'fees', 'favour', 'report'] as const;

export function IntegrityStep({
  phone,
  acknowledged,
  onAcknowledge,
}: {
  phone: string;
  acknowledged: boolean;
  onAcknowledge: () => void;
}) {
  const { t } = useTranslation();
  return (
    <section className="apply-integrity" data-testid="integrity-step">
      <StepHead title={t('applyFlow.integrity.title')} intro={t('applyFlow.integrity.intro')} />
      <div className="card apply-panel integrity-text">
        <ol className="integrity-points">
          {POINTS.map((p, i) => (
            <li key={p}>
              <span className="apply-steps-n" aria-hidden="true">
                {i + 1}
              </span>
              <span>{t(`applyFlow.integrity.points.${p}`, { phone })}</span>
            </li>
          ))}
        </ol>
      </div>
      {acknowledged && (
        <p className="notice notice-ok" data-testid="integrity-acknowledged">
          <Icon name="ready" />
          <span>{t('applyFlow.integrity.acknowledged')}</span>
        </p>
      )}
      <Actions>
        <button
          type="button"
          className="btn btn-primary btn-big apply-next"
          onClick={onAcknowledge}
          data-testid="integrity-ack"
        >
          <Icon name="ready" />
          {t('applyFlow.integrity.acknowledge')}
        </button>
      </Actions>
    </section>
  );
}
