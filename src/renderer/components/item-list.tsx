/** A list of service items as large touch rows: name, 即办件/承诺件 badge and the promised time. */
import { useTranslation } from 'react-i18next';
import type { CaseType } from '../../shared/browser.js';
import { useLanguage } from '../hooks/use-language.js';
import { pick } from '../i18n/localized.js';
import { Icon } from './icon.js';

export type ItemRow = {
  code: string;
  window?: string;
  name: { zh: string; en: string };
  caseType: CaseType;
  promisedDays: number;
};

export function CaseBadge({ caseType }: { caseType: CaseType }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${caseType}`}>
      <Icon name={caseType === 'immediate' ? 'immediate' : 'promised'} />
      {t(`catalog.caseType.${caseType}`)}
    </span>
  );
}

export function PromiseText({ item }: { item: Pick<ItemRow, 'caseType' | 'promisedDays'> }) {
  const { t } = useTranslation();
  return (
    <span className="promise">
      {item.caseType === 'immediate'
        ? t('catalog.immediateShort')
        : t('catalog.promisedDays', { count: item.promisedDays })}
    </span>
  );
}

export function ItemList({
  items,
  onOpen,
  label,
  windowName,
}: {
  items: readonly ItemRow[];
  onOpen: (code: string) => void;
  label: string;
  /** Shows which window handles each item (search results mix windows). */
  windowName?: (code: string) => string | undefined;
}) {
  const lang = useLanguage();
  return (
    <ul className="item-list" aria-label={label} data-testid="item-list">
      {items.map((item) => (
        <li key={item.code}>
          <button type="button" className="item-row" data-item={item.code} onClick={() => onOpen(item.code)}>
            <span className="item-main">
              <span className="item-name">{pick(item.name, lang)}</span>
              <span className="item-meta">
                <CaseBadge caseType={item.caseType} />
                <PromiseText item={item} />
                {windowName && item.window && windowName(item.window) && (
                  <span className="item-window">
                    <Icon name="building" />
                    {windowName(item.window)}
                  </span>
                )}
              </span>
            </span>
            <Icon name="next" className="chevron" />
          </button>
        </li>
      ))}
    </ul>
  );
}
