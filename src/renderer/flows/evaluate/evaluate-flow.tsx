/**
 * 服务评价 from the home screen (docs/resident-journey.md, "服务评价 (好差评)"): find the matter by receipt number
 * (on-screen keyboard, or the receipt's QR code on the code reader) or by ID card (the applicant's
 * applications, those already rated marked and not offered again), then the 好差评 form, then done.
 */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplicationDetail, ApplicationStatusOnly, Localized } from '../../../shared/browser.js';
import { useApplications, useMyApplications, valueOf } from '../../api/index.js';
import { Icon } from '../../components/icon.js';
import { ResultView } from '../../components/query-view.js';
import { afterFound, FindApplication, isFindScreen, withUnlock } from '../../components/find-application.js';
import { useReceiptCodes, useReceiptLookup } from '../../components/receipt-lookup.js';
import { StepIndicator } from '../../components/step-indicator.js';
import { useLanguage } from '../../hooks/use-language.js';
import { pick } from '../../i18n/localized.js';
import { findPrompt } from '../../lib/flow-voice.js';
import { translator } from '../../lib/voice-prompts.js';
import { useBackHandler, useResidentSession, useVoicePrompt } from '../../session/session-context.js';
import { ApplicationList } from '../progress/application-list.js';
import { EvaluationForm } from './evaluation-form.js';
import '../progress/progress.css';
import './evaluate.css';

type Screen =
  | { kind: 'choose' }
  | { kind: 'receipt' }
  | { kind: 'unlock'; status: ApplicationStatusOnly }
  | { kind: 'identify' }
  | { kind: 'list' }
  | { kind: 'rated'; receiptNo: string; name: Localized }
  | { kind: 'form'; id: string; name: Localized };

export function EvaluateFlow({ onFinish }: { onFinish: () => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const [stack, setStack] = useState<Screen[]>([{ kind: 'choose' }]);
  const screen = stack[stack.length - 1] ?? { kind: 'choose' };
  const push = useCallback((s: Screen) => setStack((st) => [...st, s]), []);
  useBackHandler(() => {
    if (stack.length <= 1) return false;
    setStack((st) => st.slice(0, -1));
    return true;
  });

  const found = useCallback((d: ApplicationDetail) => {
    // A matter already rated is not offered a second time (one rating per matter).
    const next: Screen = d.evaluated
      ? { kind: 'rated', receiptNo: d.receiptNo, name: d.itemName }
      : { kind: 'form', id: d.id, name: d.itemName };
    setStack((st) => afterFound(st, next));
  }, []);
  // The receipt number alone: the status, and the access code (or the card) is asked for.
  const unlock = useCallback(
    (status: ApplicationStatusOnly) => setStack((st) => withUnlock(st, { kind: 'unlock', status })),
    [],
  );
  const lookup = useReceiptLookup(found, unlock);
  useReceiptCodes(screen.kind !== 'form', lookup);

  const steps = [t('evaluateFlow.steps.find'), t('evaluateFlow.steps.rate'), t('evaluateFlow.steps.done')];
  // Already rated: said in words (the screen's sentence); what to do on the other screens is said by them.
  useVoicePrompt(screen.kind === 'rated' ? t('evaluateFlow.alreadyRated') : null);

  if (screen.kind === 'form') {
    return (
      <div className="progress eval-flow" data-step="form">
        <StepIndicator steps={steps} current={1} />
        <EvaluationForm
          target={{ kind: 'application', id: screen.id, title: pick(screen.name, lang) }}
          onDone={() => onFinish()}
        />
      </div>
    );
  }

  return (
    <div className="progress eval-flow" data-step={screen.kind}>
      <header className="screen-head">
        <p className="screen-kicker">{t('evaluateFlow.kicker')}</p>
        <h2 className="screen-title">
          <Icon name="star" />
          {t('evaluateFlow.title')}
        </h2>
        <p className="screen-intro">{t('evaluateFlow.intro')}</p>
      </header>
      <StepIndicator steps={steps} current={0} />
      {isFindScreen(screen) && (
        <FindApplication
          purpose="evaluate"
          screen={screen}
          lookup={lookup}
          onScreen={push}
          onIdentified={() => setStack((st) => [...st.slice(0, -1), { kind: 'list' }])}
          list={<RateList onPick={(id, name) => push({ kind: 'form', id, name })} />}
        />
      )}
      {screen.kind === 'rated' && (
        <div className="state-panel" role="status" data-testid="evaluate-already-rated">
          <Icon name="ready" className="state-icon" />
          <p className="state-title">{pick(screen.name, lang)}</p>
          <p>{screen.receiptNo}</p>
          <p>{t('evaluateFlow.alreadyRated')}</p>
          <button type="button" className="btn btn-primary btn-big" onClick={onFinish}>
            <Icon name="ready" />
            {t('progressFlow.actions.finish')}
          </button>
        </div>
      )}
    </div>
  );
}

/** The applicant's applications; those already rated are marked and cannot be picked. */
function RateList({ onPick }: { onPick: (id: string, name: Localized) => void }) {
  const { t } = useTranslation();
  const { session } = useResidentSession();
  const mine = useMyApplications(session?.id ?? null);
  // The summaries do not say whether a matter was rated; the details do.
  const details = useApplications(
    session?.id ?? null,
    (valueOf(mine.data) ?? []).map((a) => a.id),
  );
  const rated = new Map<string, boolean>();
  for (const q of details) {
    const d = valueOf(q.data);
    if (d) rated.set(d.id, d.evaluated);
  }
  const found = valueOf(mine.data)?.length ?? null;
  useVoicePrompt(
    found === null ? null : findPrompt(translator(t), { screen: 'list', purpose: 'evaluate', count: found }),
  );
  return (
    <section aria-labelledby="evaluate-list-title">
      <h3 className="section-title" id="evaluate-list-title">
        {t('evaluateFlow.list.title')}
      </h3>
      <ResultView query={mine}>
        {(list) =>
          list.length === 0 ? (
            <p className="empty">{t('evaluateFlow.list.empty')}</p>
          ) : (
            <>
              <p className="result-count">{t('evaluateFlow.list.intro')}</p>
              <ApplicationList
                list={list}
                disabled={(a) => rated.get(a.id) !== false}
                onOpen={(id) => {
                  const a = list.find((x) => x.id === id);
                  if (a) onPick(id, a.itemName);
                }}
                extra={(a) => {
                  const r = rated.get(a.id);
                  if (r === undefined) return null;
                  return r ? (
                    <span className="badge eval-rated" data-testid="rated-mark">
                      <Icon name="ready" />
                      {t('evaluateFlow.list.rated')}
                    </span>
                  ) : (
                    <span className="badge eval-open">
                      <Icon name="star" />
                      {t('evaluateFlow.list.notRated')}
                    </span>
                  );
                }}
              />
            </>
          )
        }
      </ResultView>
    </section>
  );
}
