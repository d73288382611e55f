/**
 * Step 3, 办理须知: the key facts before filling in — the time limits (承诺 vs 法定, in working days;
 * legalDays 0 = 即办, no statutory limit), the fee, the steps, the materials with what a shared
 * e-licence replaces, and how the result is delivered. For a bundle: every member item's facts.
 */
import { useTranslation } from 'react-i18next';
import type { ApplyPlan, ServiceItem } from '../../../shared/browser.js';
import { Icon } from '../../components/icon.js';
import { CaseBadge } from '../../components/item-list.js';
import { useLanguage } from '../../hooks/use-language.js';
import { pick } from '../../i18n/localized.js';
import { formatFen } from '../../lib/format.js';
import { Actions, NextButton, StepHead } from './apply-ui.js';

type PlanItem = ApplyPlan['items'][number];

export function useDays() {
  const { t } = useTranslation();
  return {
    promised: (item: Pick<PlanItem, 'caseType' | 'promisedDays'>) =>
      item.caseType === 'immediate' || item.promisedDays === 0
        ? t('applyFlow.guide.immediate')
        : t('applyFlow.guide.days', { count: item.promisedDays }),
    legal: (item: Pick<PlanItem, 'legalDays'>) =>
      item.legalDays === 0
        ? t('applyFlow.guide.noLegalLimit')
        : t('applyFlow.guide.days', { count: item.legalDays }),
  };
}

function ItemFacts({ item, detail }: { item: PlanItem; detail: ServiceItem | undefined }) {
  const { t } = useTranslation();
  const days = useDays();
  const fee =
    detail?.fee.charged && detail.fee.amountFen !== undefined
      ? t('applyFlow.guide.amount', { amount: formatFen(detail.fee.amountFen) })
      : t('applyFlow.guide.free');
  return (
    <dl className="key-facts apply-facts" data-testid="item-facts" data-item={item.code}>
      <div className="key-fact key-fact-promised">
        <dt>{t('applyFlow.guide.promised')}</dt>
        <dd>{days.promised(item)}</dd>
      </div>
      <div className="key-fact">
        <dt>{t('applyFlow.guide.legal')}</dt>
        <dd>{days.legal(item)}</dd>
      </div>
      <div className="key-fact">
        <dt>{t('applyFlow.guide.fee')}</dt>
        <dd>{fee}</dd>
      </div>
    </dl>
  );
}

function Steps({ detail }: { detail: ServiceItem }) {
  const lang = useLanguage();
  return (
    <ol className="apply-steps-list">
      {detail.steps.map((s, i) => (
        <li key={i}>
          <span className="apply-steps-n" aria-hidden="true">
            {i + 1}
          </span>
          <span>
            <strong>{pick(s.title, lang)}</strong>
            <span className="apply-steps-desc">{pick(s.description, lang)}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}

export function GuideStep({
  plan,
  details,
  onStart,
}: {
  plan: ApplyPlan;
  details: readonly ServiceItem[];
  onStart: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const detailOf = (code: string) => details.find((d) => d.code === code);
  const bundle = plan.target.kind === 'bundle';
  const single = plan.items[0];
  const singleDetail = single ? detailOf(single.code) : undefined;

  return (
    <section className="apply-guide" data-testid="guide-step">
      <StepHead title={pick(plan.name, lang)} intro={t('applyFlow.guide.intro')}>
        <p className="guide-tags">
          {[...new Set(plan.items.map((i) => i.caseType))].map((c) => (
            <CaseBadge key={c} caseType={c} />
          ))}
        </p>
      </StepHead>

      {plan.immediate && (
        <div className="notice notice-ok">
          <Icon name="immediate" />
          <p>{t('applyFlow.guide.immediateNote')}</p>
        </div>
      )}

      {bundle ? (
        <section className="card apply-panel" aria-labelledby="apply-bundle-items">
          <h3 id="apply-bundle-items" className="section-title">
            <Icon name="bundle" />
            {t('applyFlow.guide.bundleItems')}
          </h3>
          <ol className="apply-bundle-items">
            {plan.items.map((item, i) => (
              <li key={item.code} className="apply-bundle-item">
                <h4 className="apply-bundle-item-name">
                  <span className="apply-steps-n" aria-hidden="true">
                    {i + 1}
                  </span>
                  {pick(item.name, lang)}
                </h4>
                <ItemFacts item={item} detail={detailOf(item.code)} />
              </li>
            ))}
          </ol>
        </section>
      ) : (
        single && <ItemFacts item={single} detail={singleDetail} />
      )}

      <section className="card apply-panel" aria-labelledby="apply-guide-materials">
        <h3 id="apply-guide-materials" className="section-title">
          <Icon name="apply" />
          {t('applyFlow.guide.materials')}
        </h3>
        {plan.materials.length === 0 ? (
          <p>{t('applyFlow.guide.materialsNone')}</p>
        ) : (
          <ul className="apply-material-list" data-testid="guide-materials">
            {plan.materials.map((m) => (
              <li key={m.code} data-material={m.code} data-licence={m.licence}>
                <span className="apply-material-name">{pick(m.name, lang)}</span>
                <span className={m.required ? 'req req-yes' : 'req req-no'}>
                  {m.required ? t('applyFlow.guide.required') : t('applyFlow.guide.optional')}
                </span>
                {m.licence === 'confirmed' && (
                  <span className="badge badge-licence">
                    <Icon name="licence" />
                    {t('applyFlow.guide.licenceConfirmed')}
                  </span>
                )}
                {m.licence === 'unconfirmed' && (
                  <span className="apply-material-note">{t('applyFlow.guide.licenceUnconfirmed')}</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      {!bundle && singleDetail && singleDetail.steps.length > 0 && (
        <section className="card apply-panel" aria-labelledby="apply-guide-steps">
          <h3 id="apply-guide-steps" className="section-title">
            <Icon name="progress" />
            {t('applyFlow.guide.steps')}
          </h3>
          <Steps detail={singleDetail} />
        </section>
      )}

      <section className="card apply-panel" aria-labelledby="apply-guide-delivery">
        <h3 id="apply-guide-delivery" className="section-title">
          <Icon name="result" />
          {t('applyFlow.guide.delivery')}
        </h3>
        <p className="delivery">
          {plan.delivery.ems && (
            <span className="badge badge-ok">
              <Icon name="ready" />
              {t('applyFlow.guide.ems')}
            </span>
          )}
          {plan.delivery.pickup && (
            <span className="badge badge-ok">
              <Icon name="ready" />
              {t('applyFlow.guide.pickup')}
            </span>
          )}
        </p>
      </section>

      <Actions>
        <NextButton onClick={onStart} label={t('applyFlow.guide.start')} testId="guide-start" />
      </Actions>
    </section>
  );
}
