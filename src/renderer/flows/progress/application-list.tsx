/** The applications found for a resident, as big rows (进度查询, 服务评价). */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplicationSummary } from '../../../shared/browser.js';
import { Icon } from '../../components/icon.js';
import { useLanguage } from '../../hooks/use-language.js';
import { pick } from '../../i18n/localized.js';
import { formatDateTime, statusView } from './progress-view.js';
import './progress.css';

/** Applications as big rows: item, receipt number, status in words, submission time. */
export function ApplicationList({
  list,
  onOpen,
  extra,
  disabled,
}: {
  list: readonly ApplicationSummary[];
  onOpen: (id: string) => void;
  extra?: (a: ApplicationSummary) => ReactNode;
  disabled?: (a: ApplicationSummary) => boolean;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  return (
    <ul className="app-list" data-testid="application-list">
      {list.map((a) => {
        const s = statusView(a.status);
        return (
          <li key={a.id}>
            <button
              type="button"
              className="app-row"
              data-receipt={a.receiptNo}
              disabled={disabled?.(a) ?? false}
              onClick={() => onOpen(a.id)}
            >
              <span className="app-main">
                <span className="app-name">{pick(a.itemName, lang)}</span>
                <span className="app-meta">
                  <span className="app-receipt">{a.receiptNo}</span>
                  <span>{t('progressFlow.list.submittedAt', { at: formatDateTime(a.submittedAt) })}</span>
                </span>
                <span className="app-badges">
                  <span className={`badge status-badge tone-${s.tone}`}>
                    <Icon name={s.icon} />
                    {pick(s.info.label, lang)}
                  </span>
                  {extra?.(a)}
                </span>
              </span>
              <Icon name="next" className="chevron" />
            </button>
          </li>
        );
      })}
    </ul>
  );
}
