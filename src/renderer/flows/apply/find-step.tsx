/**
 * Step 2, 选择事项: the same catalog browser as 办事指南 (windows → items, the 一件事 bundles, search
 * as you type by Chinese, English or pinyin initials such as "sy" → 失业… on the on-screen
 * keyboard), so the resident recognises it; a row picks the item or bundle to apply for.
 * 上一步 inside the step: put the keyboard away, then clear the search, then back to the windows.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplyTarget } from '../../../shared/browser.js';
import { CatalogBrowser, type CatalogView } from '../../components/catalog/catalog-browser.js';
import { StepHead } from './apply-ui.js';
import { useStepBack } from './step-back.js';

export function FindStep({ onPick }: { onPick: (target: ApplyTarget) => void }) {
  const { t } = useTranslation();
  const [view, setView] = useState<CatalogView>({ kind: 'windows' });
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [keyboard, setKeyboard] = useState(false);

  useStepBack(() => {
    if (keyboard) {
      setKeyboard(false);
      return true;
    }
    if (query !== '' || text !== '') {
      setText('');
      setQuery('');
      return true;
    }
    if (view.kind !== 'windows') {
      setView({ kind: 'windows' });
      return true;
    }
    return false;
  });

  return (
    <section className="apply-find" data-testid="find-step">
      <StepHead title={t('applyFlow.find.title')} intro={t('applyFlow.find.intro')} />
      <CatalogBrowser
        text={text}
        onText={setText}
        query={query}
        onQuery={setQuery}
        keyboard={keyboard}
        onKeyboard={setKeyboard}
        view={view}
        onView={setView}
        onItem={(code) => onPick({ kind: 'item', code })}
        onBundle={(code) => onPick({ kind: 'bundle', code })}
      />
    </section>
  );
}
