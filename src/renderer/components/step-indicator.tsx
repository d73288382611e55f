/**
 * The visible step indicator of a multi-step flow (docs/architecture.md, "Layout rules"): numbers and
 * words, not colour alone. In 长辈模式 it is short — "第 3 步，共 9 步", the current step's name in
 * large type and what comes next — instead of a row of nine small labels to read through
 * (docs/accessibility.md, "Elderly mode").
 */
import { useTranslation } from 'react-i18next';
import { useDisplayMode } from '../lib/display-mode.js';

export function StepIndicator({ steps, current }: { steps: readonly string[]; current: number }) {
  const { t } = useTranslation();
  const { elderly } = useDisplayMode();
  const count = t('sessionFlow.steps', { current: current + 1, total: steps.length });
  if (elderly) {
    const next = steps[current + 1];
    return (
      <div
        className="flow-steps-short"
        data-testid="steps"
        data-short="true"
        data-total={steps.length}
        data-current={current + 1}
        aria-live="polite"
      >
        <p className="flow-steps-count">{count}</p>
        <p className="flow-steps-name" aria-current="step">
          {steps[current]}
        </p>
        {/* The same progress as a bar, for the eye only: the words above say it. */}
        <div className="flow-steps-bar" aria-hidden="true">
          <span style={{ width: `${((current + 1) / steps.length) * 100}%` }} />
        </div>
        {next && <p className="flow-steps-next">{t('sessionFlow.nextStep', { name: next })}</p>}
      </div>
    );
  }
  return (
    <ol
      className="flow-steps"
      aria-label={count}
      data-testid="steps"
      data-total={steps.length}
      data-current={current + 1}
    >
      {steps.map((label, i) => (
        <li
          key={label}
          className={
            i === current
              ? 'flow-step flow-step-current'
              : i < current
                ? 'flow-step flow-step-done'
                : 'flow-step'
          }
          aria-current={i === current ? 'step' : undefined}
        >
          <span className="flow-step-number" aria-hidden="true">
            {i < current ? '✓' : i + 1}
          </span>
          <span className="flow-step-label">{label}</span>
        </li>
      ))}
    </ol>
  );
}
