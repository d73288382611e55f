/**
 * The visible step indicator of a multi-step flow (docs/architecture.md, "Layout rules"): numbers and
 * words, not colour alone.
 */
import { useTranslation } from 'react-i18next';

export function StepIndicator({ steps, current }: { steps: readonly string[]; current: number }) {
  const { t } = useTranslation();
  return (
    <ol
      className="flow-steps"
      aria-label={t('sessionFlow.steps', { current: current + 1, total: steps.length })}
      data-testid="steps"
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
