/**
 * 打印指南 (docs/resident-journey.md, "办事指南"): the guide as a summary on the receipt printer, or in full on A4
 * when the hall has a system printer. The outcome is said in words (printed / the printer's problem).
 */
import { useTranslation } from 'react-i18next';
import { useGuidePrint, type ErrorOf, type RouterOutputs } from '../api/index.js';
import { useLanguage } from '../hooks/use-language.js';
import { Icon } from './icon.js';

/** The printer's words for why the guide did not print (none when the item is gone). */
function printFailure(error: ErrorOf<RouterOutputs['guide']['print']>): string {
  switch (error.kind) {
    case 'no-printer':
      return error.detail ?? '';
    case 'print-failed':
      return error.detail;
    case 'not-found':
      return '';
    default: {
      const never: never = error;
      return never;
    }
  }
}

export function GuidePrint({ code, a4 }: { code: string; a4: boolean }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const print = useGuidePrint();
  const result = print.data;
  const go = (format: 'receipt' | 'a4') => print.mutate({ code, lang: lang === 'en' ? 'en' : 'zh', format });
  return (
    <div className="guide-print" data-testid="guide-print">
      <div className="guide-print-actions">
        <button
          type="button"
          className="btn"
          disabled={print.isPending}
          onClick={() => go('receipt')}
          data-testid="guide-print-receipt"
        >
          <Icon name="printer" />
          {t('guide.print.receipt')}
        </button>
        {a4 && (
          <button
            type="button"
            className="btn"
            disabled={print.isPending}
            onClick={() => go('a4')}
            data-testid="guide-print-a4"
          >
            <Icon name="printer" />
            {t('guide.print.a4')}
          </button>
        )}
      </div>
      <div aria-live="polite">
        {print.isPending && <p className="notice">{t('guide.print.printing')}</p>}
        {print.isError && (
          <p className="notice notice-bad" role="alert">
            {t('guide.print.failed', { detail: '' })}
          </p>
        )}
        {result &&
          (result.ok ? (
            <p className="notice notice-ok" data-testid="guide-print-done">
              <Icon name="ready" />
              {t(result.value.via === 'a4' ? 'guide.print.doneA4' : 'guide.print.done')}
            </p>
          ) : (
            <p
              className="notice notice-bad"
              role="alert"
              data-testid="guide-print-failed"
              data-kind={result.error.kind}
            >
              <Icon name="warning" />
              {t('guide.print.failed', { detail: printFailure(result.error) })}
            </p>
          ))}
      </div>
    </div>
  );
}
