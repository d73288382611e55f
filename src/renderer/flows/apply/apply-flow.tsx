/**
 * 我要办事 (docs/resident-journey.md, "我要办事 (apply)"): identify (本人 or 帮办代办) → find the item or 一件事 bundle →
 * its key facts → the form → the materials → delivery (最多跑一次) → 廉洁告知 → review and submit →
 * receipt, 即办件 decision, 好差评. One decision per screen, a visible step indicator, and 上一步 one
 * step back inside the flow (the app leaves the flow from the first step). What the resident typed
 * lives here in memory only; the session on the backend holds the identity and the scanned pages.
 */
import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplyTarget, FormValues, ServiceItem } from '../../../shared/browser.js';
import {
  useBundle,
  useForgetPlans,
  useLiveSystemStatus,
  usePlan,
  useServiceItem,
  valueOf,
} from '../../api/index.js';
import { Icon } from '../../components/icon.js';
import { ErrorPanel, LoadingPanel, QueryErrorPanel, ReadErrorPanel } from '../../components/query-view.js';
import { DeviceNotices } from '../../components/status-panel.js';
import { StepIndicator } from '../../components/step-indicator.js';
import { useLanguage } from '../../hooks/use-language.js';
import { pick } from '../../i18n/localized.js';
import { useKioskEvent } from '../../lib/kiosk-events.js';
import { stepPrompt, translator } from '../../lib/voice-prompts.js';
import { useBackHandler, useResidentSession, useVoicePrompt } from '../../session/session-context.js';
import { initialSteps, stepIndex, stepReducer } from './apply-steps.js';
import { IdentityChip } from './apply-ui.js';
import { DeliveryStep } from './delivery-step.js';
import { FindStep } from './find-step.js';
import {
  deliveryDefaults,
  EMPTY_DELIVERY,
  prefillValues,
  toDelivery,
  type DeliveryDraft,
} from './form-logic.js';
import { FormStep } from './form-step.js';
import { GuideStep } from './guide-step.js';
import { IdentifyStep, isIdentified } from './identify-step.js';
import { IntegrityStep } from './integrity-step.js';
import { MaterialsStep } from './materials-step.js';
import { ResultStep } from './result-step.js';
import { ReviewStep, type Submission } from './review-step.js';
import { StepBackContext, type StepBack } from './step-back.js';
import './apply.css';

/** The devices 我要办事 needs: the card reader, the scanner and the receipt printer. */
const APPLY_DEVICES = ['idcard', 'scanner', 'printer'] as const;

export function ApplyFlow({
  initialTarget,
  onFinish,
}: {
  initialTarget: ApplyTarget | null;
  onFinish: () => void;
}) {
  const { t } = useTranslation();
  const liveStatus = useLiveSystemStatus();
  const lang = useLanguage();
  const forgetPlans = useForgetPlans();
  const { session, ensure } = useResidentSession();
  const [steps, dispatch] = useReducer(stepReducer, initialTarget !== null, initialSteps);
  const [target, setTarget] = useState<ApplyTarget | null>(initialTarget);
  const [values, setValues] = useState<FormValues>({});
  const [draft, setDraft] = useState<DeliveryDraft>(EMPTY_DELIVERY);
  const [acknowledged, setAcknowledged] = useState(false);
  const [submission, setSubmission] = useState<Submission | null>(null);
  const [cardRemoved, setCardRemoved] = useState(false);
  const [noBack, setNoBack] = useState(false);
  const [evaluating, setEvaluating] = useState(false);
  const stepBack = useRef<StepBack | null>(null);
  const registerStepBack = useCallback((h: StepBack) => {
    stepBack.current = h;
    return () => {
      if (stepBack.current === h) stepBack.current = null;
    };
  }, []);
  const rootRef = useRef<HTMLDivElement>(null);
  const identified = isIdentified(session);

  // The flow is the resident's session: start one if the home tile did not already.
  useEffect(() => {
    ensure('touch').catch(() => undefined);
  }, [ensure]);

  const planQuery = usePlan(session?.id ?? null, target, identified);
  const plan = valueOf(planQuery.data);
  const item = valueOf(useServiceItem(target?.code ?? '-', target?.kind === 'item').data);
  const bundle = valueOf(useBundle(target?.code ?? '-', target?.kind === 'bundle').data);
  const details: readonly ServiceItem[] =
    target?.kind === 'bundle' ? (bundle?.items ?? []) : item ? [item] : [];
  const firstDetail = details[0];

  // Taking the card away after it was read is fine: say so calmly, and carry on.
  useKioskEvent((e) => {
    if (e.type !== 'card') return;
    if (e.state === 'removed' && identified && steps.current !== 'identify') setCardRemoved(true);
    else if (e.state === 'present') setCardRemoved(false);
  });

  useBackHandler(() => {
    if (steps.submitted) {
      setNoBack(true);
      return true;
    }
    if (stepBack.current?.()) return true;
    if (stepIndex(steps) === 0) return false;
    dispatch({ type: 'back' });
    return true;
  });

  // Every step starts at its top.
  const current = steps.current;
  useLayoutEffect(() => {
    if (current) rootRef.current?.closest('.content')?.scrollTo({ top: 0 });
  }, [current]);

  const stepLabels = steps.steps.map((s) => t(`applyFlow.steps.${s}`));
  // What to do on this step (the result step says its receipt number itself).
  useVoicePrompt(steps.current === 'result' ? null : stepPrompt(translator(t), steps.current));

  const needsPlan = (body: () => ReactNode): ReactNode => {
    if (!session || !identified) return <LoadingPanel />;
    const answer = planQuery.data;
    if (answer?.ok) return body();
    // A lapsed session, or an item the catalog no longer has: the answer says which.
    if (answer) return <ReadErrorPanel error={answer.error} />;
    if (planQuery.isError) return <QueryErrorPanel onRetry={() => void planQuery.refetch()} />;
    return <LoadingPanel />;
  };

  const next = () => dispatch({ type: 'next' });

  let body: ReactNode;
  switch (steps.current) {
    case 'identify':
      body = (
        <IdentifyStep
          onIdentified={() => {
            // The plan (which e-licences the hall holds) belongs to the applicant just read.
            forgetPlans();
            next();
          }}
        />
      );
      break;
    case 'find':
      body = (
        <FindStep
          onPick={(picked) => {
            setTarget(picked);
            next();
          }}
        />
      );
      break;
    case 'guide':
      body = needsPlan(() =>
        plan && session ? (
          <GuideStep
            plan={plan}
            details={details}
            onStart={() => {
              setValues((v) => prefillValues(plan.fields, session.prefill, v));
              next();
            }}
          />
        ) : null,
      );
      break;
    case 'form':
      body = needsPlan(() =>
        plan && session ? (
          <FormStep
            plan={plan}
            prefill={session.prefill}
            values={values}
            onValues={setValues}
            onNext={next}
          />
        ) : null,
      );
      break;
    case 'materials':
      body = needsPlan(() =>
        plan && session ? (
          <MaterialsStep
            plan={plan}
            session={session}
            onNext={() => {
              setDraft((d) => deliveryDefaults(d, plan.fields, values, session.prefill, plan.delivery));
              next();
            }}
          />
        ) : null,
      );
      break;
    case 'delivery':
      body = needsPlan(() =>
        plan ? (
          <DeliveryStep
            plan={plan}
            draft={draft}
            pickupPlace={firstDetail ? pick(firstDetail.location, lang) : null}
            applicantMasked={session?.applicant?.nameMasked ?? ''}
            onDraft={setDraft}
            onNext={next}
          />
        ) : null,
      );
      break;
    case 'integrity':
      body = (
        <IntegrityStep
          phone={firstDetail?.supervisePhone ?? ''}
          acknowledged={acknowledged}
          onAcknowledge={() => {
            setAcknowledged(true);
            next();
          }}
        />
      );
      break;
    case 'review': {
      const delivery = toDelivery(draft);
      body = needsPlan(() =>
        plan && session && target && delivery ? (
          <ReviewStep
            plan={plan}
            session={session}
            target={target}
            values={values}
            delivery={delivery}
            acknowledged={acknowledged}
            onEdit={(step) => dispatch({ type: 'edit', step })}
            onSubmitted={(s) => {
              setSubmission(s);
              dispatch({ type: 'submitted' });
            }}
          />
        ) : (
          <ErrorPanel />
        ),
      );
      break;
    }
    case 'result': {
      const delivery = toDelivery(draft);
      body =
        plan && submission && delivery ? (
          <ResultStep
            plan={plan}
            submission={submission}
            delivery={delivery}
            onEvaluate={() => setEvaluating(true)}
            onFinish={onFinish}
          />
        ) : (
          <LoadingPanel />
        );
      break;
    }
    default: {
      const never: never = steps.current;
      body = never;
    }
  }

  return (
    <StepBackContext.Provider value={registerStepBack}>
      <div className="apply" ref={rootRef} data-testid="apply-flow" data-step={steps.current}>
        <div className="apply-top">
          <StepIndicator steps={stepLabels} current={stepIndex(steps)} />
          {session && identified && steps.current !== 'identify' && !evaluating && (
            <IdentityChip session={session} />
          )}
          {cardRemoved && steps.current !== 'identify' && (
            <p className="notice notice-ok apply-card-note" role="status" data-testid="card-removed-note">
              <Icon name="idcard" />
              <span>{t('sessionFlow.identity.cardRemoved')}</span>
            </p>
          )}
          {/* Before the flow needs them: the devices of this flow that are in trouble, in words. */}
          {(steps.current === 'identify' || steps.current === 'find' || steps.current === 'guide') && (
            <DeviceNotices devices={liveStatus.data?.devices} kinds={APPLY_DEVICES} />
          )}
          {noBack && (
            <p className="notice apply-card-note" role="status" data-testid="no-back-note">
              <Icon name="help" />
              <span>{t('applyFlow.submittedNoBack')}</span>
            </p>
          )}
        </div>
        {body}
      </div>
    </StepBackContext.Provider>
  );
}
