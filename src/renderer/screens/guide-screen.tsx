/**
 * 办事指南 of one service item, every field of the standard guide (GB/T 39046 table 4, abridged):
 * who decides, the statutory vs promised time in working days, conditions, the ≤ 4 steps, the exact
 * materials (and which a shared electronic licence replaces), fee, result, delivery and contacts.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceItem } from '../../shared/browser.js';
import { useServiceItem, useSystemStatus } from '../api/index.js';
import { Icon, type IconName } from '../components/icon.js';
import { CaseBadge } from '../components/item-list.js';
import { ResultView } from '../components/query-view.js';
import { GuidePrint } from '../components/guide-print.js';
import { useLanguage } from '../hooks/use-language.js';
import { pick } from '../i18n/localized.js';
import { formatFen } from '../lib/format.js';
import '../flows/apply/apply.css';

const ITEM_TYPE_KEY = {
  licensing: 'licensing',
  payment: 'payment',
  confirmation: 'confirmation',
  reward: 'reward',
  ruling: 'ruling',
  other: 'other',
  'public-service': 'publicService',
} as const satisfies Record<ServiceItem['itemType'], string>;

const OBJECT_KEY = { person: 'person', 'legal-person': 'legalPerson' } as const;

export function GuideScreen({ code, onApply }: { code: string; onApply?: () => void }) {
  const item = useServiceItem(code);
  return <ResultView query={item}>{(data) => <Guide item={data} onApply={onApply} />}</ResultView>;
}

/** 在线申请: from the guide straight into 我要办事 for this item (or bundle). */
export function ApplyOnline({ onApply }: { onApply: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="apply-online">
      <button type="button" className="btn btn-primary btn-big" onClick={onApply} data-testid="apply-online">
        <Icon name="apply" />
        {t('applyFlow.applyOnline')}
      </button>
      <p className="apply-online-hint">{t('applyFlow.applyOnlineHint')}</p>
    </div>
  );
}

function Section({
  id,
  icon,
  title,
  children,
}: {
  id: string;
  icon: IconName;
  title: string;
  children: ReactNode;
}) {
  return (
    <section className="card guide-section" aria-labelledby={`guide-${id}`} data-section={id}>
      <h3 id={`guide-${id}`} className="section-title">
        <Icon name={icon} />
        {title}
      </h3>
      {children}
    </section>
  );
}

function Fact({ label, children, wide = false }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? 'fact fact-wide' : 'fact'}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Guide({ item, onApply }: { item: ServiceItem; onApply?: (() => void) | undefined }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const a4 = useSystemStatus().data?.a4Printer ?? false;
  const days = (n: number) => (n === 0 ? t('guide.immediate') : t('guide.days', { count: n }));
  const anyShared = item.materials.some((m) => m.source === 'shared-licence');
  const fee =
    item.fee.charged && item.fee.amountFen !== undefined
      ? t('guide.amount', { amount: formatFen(item.fee.amountFen) })
      : t('guide.free');

  return (
    <article className="guide" data-testid="guide" data-item={item.code}>
      <header className="screen-head guide-head">
        <p className="screen-kicker">{t('catalog.heading')}</p>
        <h2 className="screen-title">{pick(item.name, lang)}</h2>
        <p className="guide-tags">
          <CaseBadge caseType={item.caseType} />
          <span className="badge badge-plain">{t(`guide.itemTypes.${ITEM_TYPE_KEY[item.itemType]}`)}</span>
        </p>
        {onApply && <ApplyOnline onApply={onApply} />}
        <GuidePrint code={item.code} a4={a4} />
      </header>

      <dl className="key-facts" data-testid="key-facts">
        <div className="key-fact key-fact-promised">
          <dt>{t('guide.promisedTime')}</dt>
          <dd>{item.caseType === 'immediate' ? t('guide.immediate') : days(item.promisedDays)}</dd>
        </div>
        <div className="key-fact">
          <dt>{t('guide.legalTime')}</dt>
          <dd>{days(item.legalDays)}</dd>
        </div>
        <div className="key-fact">
          <dt>{t('guide.fee')}</dt>
          <dd>{fee}</dd>
        </div>
      </dl>

      <Section id="overview" icon="building" title={t('guide.overview')}>
        <dl className="facts">
          <Fact label={t('guide.department')}>{pick(item.department, lang)}</Fact>
          <Fact label={t('guide.departmentCode')}>
            <span className="code">{item.departmentCode}</span>
          </Fact>
          <Fact label={t('guide.itemType')}>{t(`guide.itemTypes.${ITEM_TYPE_KEY[item.itemType]}`)}</Fact>
          <Fact label={t('guide.caseType')}>{t(`catalog.caseType.${item.caseType}`)}</Fact>
          <Fact label={t('guide.serviceObjects')}>
            {item.serviceObjects.map((o) => t(`guide.objects.${OBJECT_KEY[o]}`)).join(' / ')}
          </Fact>
          <Fact label={t('guide.scope')}>{t(`guide.scopes.${item.scope}`)}</Fact>
          <Fact label={t('guide.appointment')}>
            {item.appointment ? t('guide.appointmentYes') : t('guide.appointmentNo')}
          </Fact>
          <Fact label={t('guide.code')}>
            <span className="code">{item.code}</span>
          </Fact>
          {/* The fee's conditions; a free item's description would only restate 免费 (shown above). */}
          {item.fee.charged && (
            <Fact label={t('guide.fee')} wide>
              {fee}
              <span className="fact-note">{pick(item.fee.description, lang)}</span>
            </Fact>
          )}
        </dl>
      </Section>

      <Section id="conditions" icon="ready" title={t('guide.conditions')}>
        <p className="prose">{pick(item.conditions, lang)}</p>
      </Section>

      <Section id="steps" icon="progress" title={t('guide.steps')}>
        <ol className="steps">
          {item.steps.map((step, i) => (
            <li key={i} className="step">
              <span className="step-number" aria-hidden="true">
                {i + 1}
              </span>
              <span className="step-text">
                <span className="step-title">
                  <span className="visually-hidden">{t('guide.stepNumber', { n: i + 1 })} </span>
                  {pick(step.title, lang)}
                </span>
                <span className="step-desc">{pick(step.description, lang)}</span>
              </span>
            </li>
          ))}
        </ol>
      </Section>

      <Section id="materials" icon="apply" title={t('guide.materials')}>
        {item.materials.length === 0 ? (
          <p className="prose">{t('guide.materialsNone')}</p>
        ) : (
          <>
            <p className="result-count">{t('guide.materialsCount', { count: item.materials.length })}</p>
            {anyShared && (
              <p className="note">
                <Icon name="licence" />
                <span>{t('guide.sharedLicenceNote')}</span>
              </p>
            )}
            <table className="materials" data-testid="materials">
              <thead>
                <tr>
                  <th scope="col" className="col-index">
                    {t('guide.col.index')}
                  </th>
                  <th scope="col">{t('guide.col.name')}</th>
                  <th scope="col" className="col-issuer">
                    {t('guide.col.issuer')}
                  </th>
                  <th scope="col" className="col-copies">
                    {t('guide.col.copies')}
                  </th>
                  <th scope="col" className="col-required">
                    {t('guide.col.required')}
                  </th>
                </tr>
              </thead>
              {/* One tbody per material: its facts on the first row, its requirements across the second. */}
              {item.materials.map((m, i) => (
                <tbody key={m.code} className="material" data-material={m.code}>
                  <tr>
                    <td className="col-index" rowSpan={2}>
                      {i + 1}
                    </td>
                    <td>
                      <span className="material-name">{pick(m.name, lang)}</span>
                      {m.source === 'shared-licence' && (
                        <span className="badge badge-licence">
                          <Icon name="licence" />
                          {t('guide.sharedLicence')}
                        </span>
                      )}
                    </td>
                    <td className="col-issuer">{pick(m.issuer, lang)}</td>
                    <td className="col-copies">
                      {m.originals > 0 && (
                        <span className="copies">{t('guide.originals', { count: m.originals })}</span>
                      )}
                      {m.copies > 0 && (
                        <span className="copies">{t('guide.copies', { count: m.copies })}</span>
                      )}
                    </td>
                    <td className="col-required">
                      <span className={m.required ? 'req req-yes' : 'req req-no'}>
                        {m.required ? t('guide.required') : t('guide.optional')}
                      </span>
                    </td>
                  </tr>
                  <tr className="material-req-row">
                    <td colSpan={4} className="material-req">
                      <strong>{t('guide.requirements')}</strong>
                      {pick(m.requirements, lang)}
                    </td>
                  </tr>
                </tbody>
              ))}
            </table>
          </>
        )}
      </Section>

      <Section id="result" icon="result" title={t('guide.result')}>
        <dl className="facts">
          <Fact label={t('guide.resultName')} wide>
            {pick(item.resultName, lang)}
          </Fact>
          <Fact label={t('guide.delivery')} wide>
            <span className="delivery">
              {item.delivery.ems && (
                <span className="badge badge-ok">
                  <Icon name="ready" />
                  {t('guide.ems')}
                </span>
              )}
              {item.delivery.pickup && (
                <span className="badge badge-ok">
                  <Icon name="ready" />
                  {t('guide.pickup')}
                </span>
              )}
            </span>
          </Fact>
        </dl>
      </Section>

      <Section id="contacts" icon="location" title={t('guide.contacts')}>
        <dl className="facts">
          <Fact label={t('guide.location')} wide>
            {pick(item.location, lang)}
          </Fact>
          <Fact label={t('guide.hours')} wide>
            {pick(item.hours, lang)}
          </Fact>
          <Fact label={t('guide.consultPhone')}>
            <span className="phone">{item.consultPhone}</span>
          </Fact>
          <Fact label={t('guide.supervisePhone')}>
            <span className="phone">{item.supervisePhone}</span>
          </Fact>
        </dl>
      </Section>
    </article>
  );
}
