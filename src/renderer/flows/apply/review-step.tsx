/**
 * Step 8, 确认提交: everything on one page (masked identities, item(s), fields, materials with their
 * page counts or e-licence, delivery), 修改 for each part, then 提交申请. One idempotency key per
 * review screen, reused on every retry: a double tap or a lost answer never creates a second
 * application (the backend answers the same submission again).
 */
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  ApplicationSummary,
  ApplyPlan,
  ApplyTarget,
  DeliveryInput,
  FormValues,
  SessionView,
} from '../../../shared/browser.js';
import { submitApplication, type CallFailed, type ErrorOf, type RouterOutputs } from '../../api/index.js';
import { Icon } from '../../components/icon.js';
import { useLanguage } from '../../hooks/use-language.js';
import { pick } from '../../i18n/localized.js';
import type { EditableStep } from './apply-steps.js';
import { Actions, IdentityChip, StepHead } from './apply-ui.js';
import { isLocked, lockedValue } from './form-logic.js';

export type Submission = { submissionId: string; applications: ApplicationSummary[] };

/** Why the submission was refused (the router's SubmitError) or did not go through. */
type SubmitProblem = (ErrorOf<RouterOutputs['application']['submit']> | CallFailed)['kind'];

const FIX_STEP: Partial<Record<SubmitProblem, EditableStep>> = {
  'invalid-form': 'form',
  'invalid-delivery': 'delivery',
  'delivery-not-offered': 'delivery',
  'missing-materials': 'materials',
};

function Part({
  id,
  title,
  onEdit,
  children,
}: {
  id: string;
  title: string;
  onEdit?: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <section className="card apply-panel review-part" aria-labelledby={`review-${id}`} data-part={id}>
      <div className="review-part-head">
        <h3 id={`review-${id}`} className="section-title">
          {title}
        </h3>
        {onEdit && (
          <button
            type="button"
            className="btn review-edit"
            onClick={onEdit}
            data-testid={`review-edit-${id}`}
          >
            <Icon name="edit" />
            {t('applyFlow.edit')}
            <span className="visually-hidden">{title}</span>
          </button>
        )}
      </div>
      {children}
    </section>
  );
}

export function ReviewStep({
  plan,
  session,
  target,
  values,
  delivery,
  acknowledged,
  onEdit,
  onSubmitted,
}: {
  plan: ApplyPlan;
  session: SessionView;
  target: ApplyTarget;
  values: FormValues;
  delivery: DeliveryInput;
  acknowledged: boolean;
  onEdit: (step: EditableStep) => void;
  onSubmitted: (submission: Submission) => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  // One key for this review screen: every retry of the same submission carries it.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [pending, setPending] = useState(false);
  const inFlight = useRef(false);
  const [problem, setProblem] = useState<SubmitProblem | null>(null);

  const submit = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setPending(true);
    setProblem(null);
    const form: FormValues = {};
    for (const f of plan.fields)
      if (!isLocked(f, session.prefill)) form[f.key] = (values[f.key] ?? '').trim();
    const r = await submitApplication({
      sessionId: session.id,
      target,
      form,
      delivery,
      integrityAcknowledged: acknowledged,
      idempotencyKey,
      lang: lang === 'en' ? 'en' : 'zh',
    });
    inFlight.current = false;
    setPending(false);
    if (r.ok) onSubmitted({ submissionId: r.value.submissionId, applications: r.value.applications });
    else setProblem(r.error.kind);
  };

  const valueText = (f: ApplyPlan['fields'][number]): string => {
    if (isLocked(f, session.prefill)) return lockedValue(f, session.prefill);
    const v = (values[f.key] ?? '').trim();
    if (f.type === 'select') {
      const o = f.options?.find((x) => x.value === v);
      return o ? pick(o.label, lang) : '';
    }
    return v;
  };
  const fix = problem ? FIX_STEP[problem] : undefined;

  return (
    <section className="apply-review" data-testid="review-step">
      <StepHead title={t('applyFlow.review.title')} intro={t('applyFlow.review.intro')} />

      <Part id="items" title={t('applyFlow.review.items')}>
        <p className="review-item-name">{pick(plan.name, lang)}</p>
        {plan.target.kind === 'bundle' && (
          <ul className="review-list">
            {plan.items.map((i) => (
              <li key={i.code}>{pick(i.name, lang)}</li>
            ))}
          </ul>
        )}
      </Part>

      <Part id="identity" title={t('applyFlow.review.identity')}>
        <IdentityChip session={session} />
      </Part>

      <Part id="form" title={t('applyFlow.review.form')} onEdit={() => onEdit('form')}>
        <dl className="review-facts" data-testid="review-form">
          {plan.fields.map((f) => {
            const v = valueText(f);
            return (
              <div key={f.key} className="review-fact" data-field={f.key}>
                <dt>{pick(f.label, lang)}</dt>
                <dd className={v === '' ? 'review-empty' : undefined}>
                  {isLocked(f, session.prefill) && <Icon name="lock" />}
                  {v === '' ? t('applyFlow.review.empty') : v}
                </dd>
              </div>
            );
          })}
        </dl>
      </Part>

      <Part id="materials" title={t('applyFlow.review.materials')} onEdit={() => onEdit('materials')}>
        {plan.materials.length === 0 ? (
          <p>{t('applyFlow.materials.none')}</p>
        ) : (
          <dl className="review-facts" data-testid="review-materials">
            {plan.materials.map((m) => {
              const pages = session.captured[m.code]?.length ?? 0;
              return (
                <div key={m.code} className="review-fact" data-material={m.code} data-pages={pages}>
                  <dt>{pick(m.name, lang)}</dt>
                  <dd className={pages === 0 && m.licence !== 'confirmed' ? 'review-empty' : undefined}>
                    {m.licence === 'confirmed' ? (
                      <>
                        <Icon name="licence" />
                        {t('applyFlow.materials.licenceConfirmed')}
                      </>
                    ) : pages > 0 ? (
                      <>
                        <Icon name="ready" />
                        {t('applyFlow.review.pages', { count: pages })}
                      </>
                    ) : (
                      t('applyFlow.review.notSubmitted')
                    )}
                  </dd>
                </div>
              );
            })}
          </dl>
        )}
      </Part>

      <Part id="delivery" title={t('applyFlow.review.delivery')} onEdit={() => onEdit('delivery')}>
        {delivery.method === 'ems' ? (
          <dl className="review-facts" data-testid="review-delivery" data-method="ems">
            <div className="review-fact review-fact-wide">
              <dt>{t('applyFlow.review.delivery')}</dt>
              <dd>{t('applyFlow.delivery.ems')}</dd>
            </div>
            {(['recipient', 'phone', 'address', 'postcode'] as const).map((k) => (
              <div key={k} className="review-fact">
                <dt>{t(`applyFlow.delivery.${k}`)}</dt>
                <dd data-review-delivery={k}>
                  {/* 同申请人: the masked name; the backend fills the full one from the card. */}
                  {k === 'recipient' && delivery.recipientIsApplicant
                    ? (session.applicant?.nameMasked ?? '')
                    : delivery[k]}
                </dd>
              </div>
            ))}
          </dl>
        ) : (
          <p data-testid="review-delivery" data-method="pickup">
            {t('applyFlow.delivery.pickup')}
          </p>
        )}
      </Part>

      <Part id="integrity" title={t('applyFlow.review.integrity')}>
        <p className="review-ok">
          <Icon name="ready" />
          {t('applyFlow.review.integrityDone')}
        </p>
      </Part>

      {problem && (
        <div className="notice notice-bad" role="alert" data-testid="submit-error" data-problem={problem}>
          <Icon name="warning" />
          <p>
            {problem === 'session-expired'
              ? t('sessionFlow.expired')
              : t(`applyFlow.review.errors.${problem}`)}
          </p>
          {fix && (
            <button type="button" className="btn btn-primary" onClick={() => onEdit(fix)}>
              <Icon name="edit" />
              {t('applyFlow.edit')}
            </button>
          )}
        </div>
      )}
      {pending && (
        <p className="apply-working" role="status">
          <span className="spinner spinner-small" aria-hidden="true" />
          {t('applyFlow.review.submitting')}
        </p>
      )}
      <Actions>
        <button
          type="button"
          className="btn btn-primary btn-big apply-next apply-submit"
          onClick={() => void submit()}
          disabled={pending}
          data-testid="apply-submit"
        >
          <Icon name="ready" />
          {t('applyFlow.review.submit')}
        </button>
      </Actions>
    </section>
  );
}
