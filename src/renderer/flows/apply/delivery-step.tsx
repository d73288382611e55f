/**
 * Step 6, 结果送达 (最多跑一次): free EMS to an address (recipient, phone, address, postcode — checked
 * with validateDelivery, phone and address taken over from the form) or pickup at the hall, as the
 * plan allows. 收件人为申请人本人 (on by default) shows the applicant's masked name; the backend fills
 * the full name from the card. Unchecked, the resident types another name on the keyboard.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplyPlan } from '../../../shared/browser.js';
import { Icon } from '../../components/icon.js';
import { fieldErrorsPrompt, translator } from '../../lib/voice-prompts.js';
import { useResidentSession } from '../../session/session-context.js';
import {
  scrollToField,
  Actions,
  DockedKeyboard,
  LockedField,
  NextButton,
  StepHead,
  TextField,
} from './apply-ui.js';
import {
  deliveryErrors,
  EMS_FIELDS,
  errorMap,
  keyboardLimit,
  layoutsFor,
  type DeliveryDraft,
} from './form-logic.js';

type EmsKey = (typeof EMS_FIELDS)[number]['key'];

export function DeliveryStep({
  plan,
  draft,
  pickupPlace,
  applicantMasked,
  onDraft,
  onNext,
}: {
  plan: ApplyPlan;
  draft: DeliveryDraft;
  pickupPlace: string | null;
  /** The applicant's masked name (张*明): all the screen ever has of it. */
  applicantMasked: string;
  onDraft: (next: DeliveryDraft) => void;
  onNext: () => void;
}) {
  const { t } = useTranslation();
  const [active, setActive] = useState<EmsKey | null>(null);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const { voice } = useResidentSession();
  const rootRef = useRef<HTMLElement>(null);
  const errors = useMemo(() => deliveryErrors(draft), [draft]);
  const problems = useMemo(() => errorMap(errors), [errors]);
  const activeField = EMS_FIELDS.find((f) => f.key === active);
  const same = draft.sameAsApplicant;
  const touch = (key: string) => setTouched((s) => (s.has(key) ? s : new Set([...s, key])));
  const shown = (key: string) => (showAll || touched.has(key) ? (problems.get(key) ?? null) : null);
  const both = plan.delivery.ems && plan.delivery.pickup;

  useEffect(() => {
    if (!active) return;
    scrollToField(rootRef.current, active);
  }, [active]);

  const choose = (method: 'ems' | 'pickup') => {
    setActive(null);
    onDraft({ ...draft, method });
  };

  const next = () => {
    if (active) touch(active);
    setActive(null);
    setShowAll(true);
    if (draft.method !== null && errors.length === 0) {
      onNext();
      return;
    }
    // Refused: said as well as shown (labels and problems, never what was typed).
    voice.say(
      draft.method === null
        ? t('sessionFlow.voice.errors.chooseMethod')
        : fieldErrorsPrompt(
            translator(t),
            errors.map((e) => ({
              label: t(`applyFlow.delivery.${e.key as EmsKey}`),
              problem: t(`applyFlow.form.problems.${e.problem}`),
            })),
          ),
    );
  };

  return (
    <section className="apply-delivery" ref={rootRef} data-testid="delivery-step">
      <StepHead title={t('applyFlow.delivery.title')} intro={t('applyFlow.delivery.intro')} />
      {!both && (
        <p className="notice">
          <Icon name="help" />
          <span>
            {plan.delivery.ems ? t('applyFlow.delivery.onlyEms') : t('applyFlow.delivery.onlyPickup')}
          </span>
        </p>
      )}
      <div className="mode-grid" role="group" aria-label={t('applyFlow.delivery.title')}>
        {plan.delivery.ems && (
          <button
            type="button"
            className="mode-tile"
            aria-pressed={draft.method === 'ems'}
            onClick={() => choose('ems')}
            data-testid="delivery-ems"
          >
            <span className="mode-icon" aria-hidden="true">
              <Icon name={draft.method === 'ems' ? 'ready' : 'result'} />
            </span>
            <span className="mode-text">
              <span className="mode-label">{t('applyFlow.delivery.ems')}</span>
              <span className="mode-hint">{t('applyFlow.delivery.emsHint')}</span>
            </span>
          </button>
        )}
        {plan.delivery.pickup && (
          <button
            type="button"
            className="mode-tile"
            aria-pressed={draft.method === 'pickup'}
            onClick={() => choose('pickup')}
            data-testid="delivery-pickup"
          >
            <span className="mode-icon" aria-hidden="true">
              <Icon name={draft.method === 'pickup' ? 'ready' : 'building'} />
            </span>
            <span className="mode-text">
              <span className="mode-label">{t('applyFlow.delivery.pickup')}</span>
              <span className="mode-hint">{t('applyFlow.delivery.pickupHint')}</span>
              {pickupPlace && (
                <span className="mode-hint">
                  {t('applyFlow.delivery.pickupWhere', { place: pickupPlace })}
                </span>
              )}
            </span>
          </button>
        )}
      </div>

      {draft.method === 'ems' && (
        <div className="card apply-panel apply-fields" data-testid="ems-fields">
          {(draft.phone || draft.address) && (
            <p className="field-hint">{t('applyFlow.delivery.prefilled')}</p>
          )}
          <button
            type="button"
            className="btn field-option recipient-same"
            role="checkbox"
            aria-checked={same}
            data-testid="recipient-same"
            onClick={() => {
              if (active === 'recipient') setActive(null);
              onDraft({ ...draft, sameAsApplicant: !same });
            }}
          >
            <span className="field-option-mark" aria-hidden="true">
              {same && <Icon name="ready" />}
            </span>
            <span className="field-option-label">{t('applyFlow.delivery.sameAsApplicant')}</span>
          </button>
          {EMS_FIELDS.map((f) =>
            f.key === 'recipient' && same ? (
              <LockedField
                key={f.key}
                name={f.key}
                label={t('applyFlow.delivery.recipient')}
                value={applicantMasked}
                hint={t('applyFlow.delivery.sameAsApplicantHint')}
              />
            ) : (
              <TextField
                key={f.key}
                name={f.key}
                label={t(`applyFlow.delivery.${f.key}`)}
                required={f.required}
                value={draft[f.key]}
                problem={shown(f.key)}
                active={active === f.key}
                onActivate={() => {
                  if (active && active !== f.key) touch(active);
                  setActive(f.key);
                }}
                onChange={(v) => onDraft({ ...draft, [f.key]: v })}
              />
            ),
          )}
        </div>
      )}

      {showAll && draft.method === null && (
        <div className="notice notice-bad" role="alert" data-testid="delivery-choose">
          <Icon name="warning" />
          <p>{t('applyFlow.form.problems.option')}</p>
        </div>
      )}
      {showAll && draft.method === 'ems' && errors.length > 0 && (
        <div className="notice notice-bad" role="alert" data-testid="form-errors">
          <Icon name="warning" />
          <p>{t('applyFlow.form.fixErrors', { count: errors.length })}</p>
        </div>
      )}

      <Actions>
        <NextButton onClick={next} />
      </Actions>

      {activeField && draft.method === 'ems' && (
        <DockedKeyboard
          fieldKey={activeField.key}
          label={t(`applyFlow.delivery.${activeField.key}`)}
          value={draft[activeField.key]}
          layouts={layoutsFor(activeField)}
          maxLength={
            activeField.key === 'recipient'
              ? 40
              : activeField.key === 'address'
                ? 120
                : keyboardLimit(activeField)
          }
          onChange={(v) => onDraft({ ...draft, [activeField.key]: v })}
          onDone={() => {
            touch(activeField.key);
            setActive(null);
          }}
        />
      )}
    </section>
  );
}
