/**
 * Step 4, 填写信息: the plan's fields (merged for a bundle). Name and ID number come from the card,
 * locked and masked (the backend fills them on submit); other card values are pre-filled and
 * editable. Checked as the resident types (once a field was left) and again on 下一步 — with the
 * same code the backend uses — and every error is text beside its field, with an icon.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplyPlan, FormValues, Prefill } from '../../../shared/browser.js';
import { Icon } from '../../components/icon.js';
import { useLanguage } from '../../hooks/use-language.js';
import { pick } from '../../i18n/localized.js';
import { fieldErrorsPrompt, translator } from '../../lib/voice-prompts.js';
import { useResidentSession } from '../../session/session-context.js';
import {
  scrollToField,
  Actions,
  ChoiceField,
  DockedKeyboard,
  LockedField,
  NextButton,
  StepHead,
  TextField,
} from './apply-ui.js';
import {
  errorMap,
  formErrors,
  isLocked,
  keyboardLimit,
  layoutsFor,
  lockedValue,
  normalizeInput,
  prefilledKeys,
  upperFor,
} from './form-logic.js';

export function FormStep({
  plan,
  prefill,
  values,
  onValues,
  onNext,
}: {
  plan: ApplyPlan;
  prefill: Prefill;
  values: FormValues;
  onValues: (next: FormValues) => void;
  onNext: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const [active, setActive] = useState<string | null>(null);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const { voice } = useResidentSession();
  const rootRef = useRef<HTMLElement>(null);
  const errors = useMemo(() => formErrors(plan.fields, values, prefill), [plan.fields, values, prefill]);
  const problems = useMemo(() => errorMap(errors), [errors]);
  const fromCard = useMemo(() => prefilledKeys(plan.fields, prefill), [plan.fields, prefill]);
  const activeField = plan.fields.find((f) => f.key === active);

  const touch = (key: string) => setTouched((s) => (s.has(key) ? s : new Set([...s, key])));
  const activate = (key: string) => {
    if (active && active !== key) touch(active);
    setActive(key);
  };
  const set = (key: string, value: string) => onValues({ ...values, [key]: value });
  const shown = (key: string) => (showAll || touched.has(key) ? (problems.get(key) ?? null) : null);

  // The field being typed into stays in view above the docked keyboard.
  useEffect(() => {
    if (!active) return;
    scrollToField(rootRef.current, active);
  }, [active]);

  const next = () => {
    if (active) touch(active);
    setActive(null);
    setShowAll(true);
    if (errors.length === 0) {
      onNext();
      return;
    }
    // Refused: said as well as shown — each field by its label and its problem, never its value.
    voice.say(
      fieldErrorsPrompt(
        translator(t),
        errors.map((e) => {
          const f = plan.fields.find((x) => x.key === e.key);
          return {
            label: f ? pick(f.label, lang) : e.key,
            problem: t(`applyFlow.form.problems.${e.problem}`),
          };
        }),
      ),
    );
    scrollToField(rootRef.current, errors[0]?.key ?? '');
  };

  return (
    <section className="apply-form" ref={rootRef} data-testid="form-step">
      <StepHead title={t('applyFlow.form.title')} intro={t('applyFlow.form.intro')} />
      <div className="card apply-panel apply-fields">
        {plan.fields.map((f) => {
          const label = pick(f.label, lang);
          const hint = f.hint
            ? pick(f.hint, lang)
            : f.type === 'date'
              ? t('applyFlow.form.dateHint')
              : undefined;
          if (isLocked(f, prefill))
            return <LockedField key={f.key} name={f.key} label={label} value={lockedValue(f, prefill)} />;
          if (f.type === 'select') {
            return (
              <ChoiceField
                key={f.key}
                name={f.key}
                label={label}
                required={f.required}
                hint={hint}
                options={(f.options ?? []).map((o) => ({ value: o.value, label: pick(o.label, lang) }))}
                value={values[f.key] ?? ''}
                problem={shown(f.key)}
                onChange={(v) => {
                  if (active) touch(active);
                  setActive(null);
                  touch(f.key);
                  set(f.key, v);
                }}
              />
            );
          }
          return (
            <TextField
              key={f.key}
              name={f.key}
              label={label}
              required={f.required}
              hint={hint}
              note={fromCard.has(f.key) ? t('applyFlow.form.prefilled') : undefined}
              value={values[f.key] ?? ''}
              problem={shown(f.key)}
              active={active === f.key}
              multiline={f.type === 'textarea'}
              onActivate={() => activate(f.key)}
              onChange={(v) => set(f.key, normalizeInput(f, v))}
            />
          );
        })}
      </div>

      {showAll && errors.length > 0 && (
        <div className="notice notice-bad" role="alert" data-testid="form-errors">
          <Icon name="warning" />
          <p>{t('applyFlow.form.fixErrors', { count: errors.length })}</p>
        </div>
      )}

      <Actions>
        <NextButton onClick={next} />
      </Actions>

      {activeField && (
        <DockedKeyboard
          fieldKey={activeField.key}
          label={pick(activeField.label, lang)}
          value={values[activeField.key] ?? ''}
          layouts={layoutsFor(activeField)}
          upper={upperFor(activeField)}
          maxLength={keyboardLimit(activeField)}
          onChange={(v) => set(activeField.key, normalizeInput(activeField, v))}
          onDone={() => {
            touch(activeField.key);
            setActive(null);
          }}
        />
      )}
    </section>
  );
}
