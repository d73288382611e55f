/**
 * 进度查询 (docs/resident-journey.md, "进度查询 (progress)"): find an application by receipt number (on-screen
 * keyboard), by the receipt's QR code (the code reader, any time while this flow is open) or by ID card; see
 * its status, history, promised date and whether the hall has it (offline: how current this is);
 * reprint the receipt; answer a 补齐补正 request by capturing the missing materials (最多跑一次:
 * at any kiosk, no second trip); rate the service if not yet rated.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplicationDetail, ApplicationStatusOnly, Localized } from '../../../shared/browser.js';
import { reprintReceipt, useApplication, useApplicationCache, useMyApplications } from '../../api/index.js';
import { Icon } from '../../components/icon.js';
import { ResultView } from '../../components/query-view.js';
import { afterFound, FindApplication, isFindScreen, withUnlock } from '../../components/find-application.js';
import { useReceiptCodes, useReceiptLookup } from '../../components/receipt-lookup.js';
import { StepIndicator } from '../../components/step-indicator.js';
import { useHallOnline } from '../../components/use-hall-online.js';
import { useLanguage } from '../../hooks/use-language.js';
import { pick } from '../../i18n/localized.js';
import { casePrompt, findPrompt } from '../../lib/flow-voice.js';
import { translator } from '../../lib/voice-prompts.js';
import { useBackHandler, useResidentSession, useVoicePrompt } from '../../session/session-context.js';
import { EvaluationForm } from '../evaluate/evaluation-form.js';
import { ApplicationList } from './application-list.js';
import { CorrectionScreen } from './correction-screen.js';
import {
  formatDateTime,
  reprintOutcome,
  statusView,
  syncLine,
  type ReprintOutcome,
} from './progress-view.js';
import './progress.css';

type Screen =
  | { kind: 'choose' }
  | { kind: 'receipt' }
  | { kind: 'unlock'; status: ApplicationStatusOnly }
  | { kind: 'identify' }
  | { kind: 'list' }
  | { kind: 'detail'; id: string; supplemented?: boolean }
  | { kind: 'correction'; id: string }
  | { kind: 'evaluate'; id: string; name: Localized };

export function ProgressFlow({ onFinish }: { onFinish: () => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const cache = useApplicationCache(useResidentSession().session?.id ?? null);
  const [stack, setStack] = useState<Screen[]>([{ kind: 'choose' }]);
  const screen = stack[stack.length - 1] ?? { kind: 'choose' };
  const push = useCallback((s: Screen) => setStack((st) => [...st, s]), []);
  const pop = useCallback(() => setStack((st) => (st.length > 1 ? st.slice(0, -1) : st)), []);
  useBackHandler(() => {
    if (stack.length <= 1) return false;
    pop();
    return true;
  });

  const open = useCallback(
    (detail: ApplicationDetail) => {
      cache.remember(detail);
      // A found application replaces whatever search led to it; 上一步 goes back to the choice.
      setStack((st) => afterFound(st, { kind: 'detail', id: detail.id }));
    },
    [cache],
  );
  // The receipt number alone: the status, and the access code (or the card) is asked for.
  const unlock = useCallback(
    (status: ApplicationStatusOnly) => setStack((st) => withUnlock(st, { kind: 'unlock', status })),
    [],
  );
  const lookup = useReceiptLookup(open, unlock);
  // The code reader opens an application from any screen but the capture and the rating (work in hand).
  useReceiptCodes(screen.kind !== 'correction' && screen.kind !== 'evaluate', lookup);

  const stepLabels = [t('progressFlow.steps.find'), t('progressFlow.steps.detail')];
  const step = screen.kind === 'detail' ? 1 : 0;

  if (screen.kind === 'evaluate') {
    return (
      <div className="progress" data-step="evaluate">
        <EvaluationForm
          target={{ kind: 'application', id: screen.id, title: pick(screen.name, lang) }}
          onDone={() => {
            cache.refresh(screen.id);
            pop();
          }}
        />
      </div>
    );
  }
  if (screen.kind === 'correction') {
    return (
      <div className="progress" data-step="correction">
        <CorrectionScreen
          id={screen.id}
          steps={<StepIndicator steps={[...stepLabels, t('progressFlow.steps.correction')]} current={2} />}
          onDone={(detail) => {
            cache.remember(detail);
            setStack((st) => [...st.slice(0, -2), { kind: 'detail', id: detail.id, supplemented: true }]);
          }}
        />
      </div>
    );
  }

  return (
    <div className="progress" data-step={screen.kind}>
      <header className="screen-head">
        <p className="screen-kicker">{t('progressFlow.kicker')}</p>
        <h2 className="screen-title">
          <Icon name="progress" />
          {t('progressFlow.title')}
        </h2>
      </header>
      <StepIndicator steps={stepLabels} current={step} />
      {isFindScreen(screen) && (
        <FindApplication
          purpose="progress"
          screen={screen}
          lookup={lookup}
          onScreen={push}
          onIdentified={() => setStack((st) => [...st.slice(0, -1), { kind: 'list' }])}
          list={<MineList onOpen={(id) => push({ kind: 'detail', id })} />}
        />
      )}
      {screen.kind === 'detail' && (
        <DetailScreen
          id={screen.id}
          supplemented={screen.supplemented === true}
          onCorrection={() => push({ kind: 'correction', id: screen.id })}
          onEvaluate={(name) => push({ kind: 'evaluate', id: screen.id, name })}
          onFinish={onFinish}
        />
      )}
    </div>
  );
}

function MineList({ onOpen }: { onOpen: (id: string) => void }) {
  const { session } = useResidentSession();
  const { t } = useTranslation();
  const mine = useMyApplications(session?.id ?? null);
  const found = mine.data?.ok === true ? mine.data.value.length : null;
  useVoicePrompt(
    found === null ? null : findPrompt(translator(t), { screen: 'list', purpose: 'progress', count: found }),
  );
  return (
    <section className="progress-list" aria-labelledby="progress-list-title">
      <h3 className="section-title" id="progress-list-title">
        {t('progressFlow.list.title')}
      </h3>
      <ResultView query={mine}>
        {(list) =>
          list.length === 0 ? (
            <p className="empty" data-testid="progress-list-empty">
              {t('progressFlow.list.empty')}
            </p>
          ) : (
            <>
              <p className="result-count">{t('progressFlow.list.intro', { count: list.length })}</p>
              <ApplicationList list={list} onOpen={onOpen} />
            </>
          )
        }
      </ResultView>
    </section>
  );
}

function DetailScreen({
  id,
  supplemented,
  onCorrection,
  onEvaluate,
  onFinish,
}: {
  id: string;
  supplemented: boolean;
  onCorrection: () => void;
  onEvaluate: (name: Localized) => void;
  onFinish: () => void;
}) {
  const detail = useApplication(useResidentSession().session?.id ?? null, id, 20_000);
  return (
    <ResultView query={detail}>
      {(d) => (
        <Detail
          d={d}
          supplemented={supplemented}
          onCorrection={onCorrection}
          onEvaluate={onEvaluate}
          onFinish={onFinish}
        />
      )}
    </ResultView>
  );
}

function Detail({
  d,
  supplemented,
  onCorrection,
  onEvaluate,
  onFinish,
}: {
  d: ApplicationDetail;
  supplemented: boolean;
  onCorrection: () => void;
  onEvaluate: (name: Localized) => void;
  onFinish: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const online = useHallOnline();
  const { session, voice } = useResidentSession();
  const sessionId = session?.id ?? null;
  const cache = useApplicationCache(sessionId);
  const [printing, setPrinting] = useState(false);
  const [printed, setPrinted] = useState<ReprintOutcome | 'error' | 'storageFull' | null>(null);
  const s = statusView(d.status);
  const sync = syncLine(d, online);
  const name = pick(d.itemName, lang);
  const correction = d.status === 'correction-requested' ? d.correction : null;
  useVoicePrompt(
    casePrompt(translator(t), {
      item: name,
      status: pick(s.info.label, lang),
      explain: pick(s.info.explain, lang),
      receiptNo: d.receiptNo,
      correction: correction !== null,
      canEvaluate: !d.evaluated,
    }),
  );

  // The reprint's outcome is said as the notice shows it (printed, or what the printer said).
  useEffect(() => {
    if (printed === null) return;
    voice.say(
      typeof printed === 'string'
        ? t(`progressFlow.reprint.${printed}`)
        : t(`progressFlow.reprint.${printed.key}`, { detail: printed.detail }),
    );
  }, [printed, voice, t]);

  const reprint = async () => {
    setPrinting(true);
    setPrinted(null);
    const r = sessionId === null ? null : await reprintReceipt(sessionId, d.id, lang === 'en' ? 'en' : 'zh');
    if (r?.ok) {
      setPrinted(reprintOutcome(r.value.printState, r.value.printDetail));
      cache.refresh(d.id);
    } else setPrinted(r?.error.kind === 'storage-full' ? 'storageFull' : 'error');
    setPrinting(false);
  };

  return (
    <article className="progress-detail" data-testid="progress-detail" data-status={d.status}>
      <section className="card detail-head">
        <h3 className="detail-name" data-testid="detail-name">
          {name}
        </h3>
        <p className={`detail-status tone-${s.tone}`} data-testid="detail-status">
          <Icon name={s.icon} />
          <span>
            <span className="detail-status-label">{t('progressFlow.detail.status')}</span>
            <strong>{pick(s.info.label, lang)}</strong>
          </span>
        </p>
        <p className="detail-explain" data-testid="detail-explain">
          {pick(s.info.explain, lang)}
        </p>
        {sync.kind !== 'none' && (
          <p className="notice notice-warn detail-sync" data-testid="detail-sync">
            <Icon name="offline" />
            <span>
              {sync.kind === 'last-sync'
                ? t('progressFlow.detail.lastSync', { at: formatDateTime(sync.at) })
                : t('progressFlow.detail.neverSynced')}
            </span>
          </p>
        )}
        <dl className="detail-facts">
          <div>
            <dt>{t('progressFlow.detail.receiptNo')}</dt>
            <dd data-testid="detail-receipt">{d.receiptNo}</dd>
          </div>
          <div>
            <dt>{t('progressFlow.detail.applicant')}</dt>
            <dd data-testid="detail-applicant">{d.applicantMasked}</dd>
          </div>
          <div>
            <dt>{t('progressFlow.detail.submittedAt')}</dt>
            <dd>{formatDateTime(d.submittedAt)}</dd>
          </div>
          <div>
            <dt>{t('progressFlow.detail.promisedDate')}</dt>
            <dd data-testid="detail-promised">{d.promisedDate ?? t('progressFlow.detail.noPromisedDate')}</dd>
          </div>
          <div>
            <dt>{t('progressFlow.detail.delivery')}</dt>
            <dd>
              {d.deliveryMethod === 'ems'
                ? t('progressFlow.detail.deliveryEms')
                : d.deliveryMethod === 'pickup'
                  ? t('progressFlow.detail.deliveryPickup')
                  : t('progressFlow.detail.deliveryNone')}
            </dd>
          </div>
          <div>
            <dt>{t('progressFlow.detail.hall')}</dt>
            <dd data-testid="detail-hall" data-acknowledged={d.hallAcknowledged}>
              <Icon name={d.hallAcknowledged ? 'ready' : 'clock'} />
              {d.hallAcknowledged ? t('progressFlow.detail.hallYes') : t('progressFlow.detail.hallNo')}
            </dd>
          </div>
        </dl>
      </section>

      {supplemented && (
        <div className="notice notice-ok" role="status" data-testid="supplement-done">
          <Icon name="ready" />
          <p>{t('progressFlow.correction.done')}</p>
        </div>
      )}

      {correction && (
        <section
          className="card detail-correction"
          data-testid="detail-correction"
          aria-labelledby="correction-title"
        >
          <h3 className="section-title" id="correction-title">
            <Icon name="warning" />
            {t('progressFlow.correction.title')}
          </h3>
          <p>{t('progressFlow.correction.requestedAt', { at: formatDateTime(correction.requestedAt) })}</p>
          {correction.note && (
            <p className="correction-note">{t('progressFlow.correction.note', { note: correction.note })}</p>
          )}
          <p>{t('progressFlow.correction.materials')}</p>
          <ul className="correction-materials">
            {correction.materials.map((m) => (
              <li key={m.code} data-material={m.code}>
                <Icon name="result" />
                {pick(m.name, lang)}
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="btn btn-primary btn-big"
            data-testid="correction-start"
            onClick={onCorrection}
          >
            <Icon name="scanner" />
            {t('progressFlow.correction.start')}
          </button>
        </section>
      )}

      <section className="card detail-history" aria-labelledby="history-title">
        <h3 className="section-title" id="history-title">
          <Icon name="clock" />
          {t('progressFlow.detail.historyTitle')}
        </h3>
        {d.history.length === 0 ? (
          <p className="empty">{t('progressFlow.detail.historyEmpty')}</p>
        ) : (
          <ol className="history" data-testid="detail-history">
            {d.history.map((h, i) => {
              const hs = statusView(h.status);
              return (
                <li key={`${h.at}-${i}`} className={`history-entry tone-${hs.tone}`}>
                  <span className="history-time">{formatDateTime(h.at)}</span>
                  <span className="history-body">
                    <strong className="history-status">
                      <Icon name={hs.icon} />
                      {pick(hs.info.label, lang)}
                    </strong>
                    <span className="history-source">
                      {h.source === 'hall'
                        ? t('progressFlow.detail.sourceHall')
                        : t('progressFlow.detail.sourceKiosk')}
                    </span>
                    {h.note && (
                      <span className="history-note">{t('progressFlow.detail.note', { note: h.note })}</span>
                    )}
                  </span>
                </li>
              );
            })}
          </ol>
        )}
      </section>

      <div className="detail-print" aria-live="polite">
        {printed && (
          <div
            className={`notice ${typeof printed === 'string' || printed.tone === 'bad' ? 'notice-bad' : printed.tone === 'ok' ? 'notice-ok' : 'notice-warn'}`}
            role={typeof printed === 'string' || printed.tone === 'bad' ? 'alert' : 'status'}
            data-testid="reprint-result"
            data-state={typeof printed === 'string' ? printed : printed.key}
          >
            <Icon name={typeof printed !== 'string' && printed.tone === 'ok' ? 'ready' : 'warning'} />
            <p>
              {typeof printed === 'string'
                ? t(`progressFlow.reprint.${printed}`)
                : t(`progressFlow.reprint.${printed.key}`, { detail: printed.detail })}
            </p>
          </div>
        )}
      </div>

      <div className="detail-actions">
        <button
          type="button"
          className="btn btn-big"
          data-testid="detail-reprint"
          disabled={printing}
          onClick={() => void reprint()}
        >
          {printing ? <span className="spinner spinner-small" aria-hidden="true" /> : <Icon name="printer" />}
          {printing ? t('progressFlow.actions.reprinting') : t('progressFlow.actions.reprint')}
        </button>
        {d.evaluated ? (
          <p className="detail-evaluated" data-testid="detail-evaluated">
            <Icon name="ready" />
            {t('progressFlow.actions.evaluated')}
          </p>
        ) : (
          <button
            type="button"
            className="btn btn-big"
            data-testid="detail-evaluate"
            onClick={() => onEvaluate(d.itemName)}
          >
            <Icon name="star" />
            {t('progressFlow.actions.evaluate')}
          </button>
        )}
        <button
          type="button"
          className="btn btn-primary btn-big"
          data-testid="detail-finish"
          onClick={onFinish}
        >
          <Icon name="ready" />
          {t('progressFlow.actions.finish')}
        </button>
      </div>
    </article>
  );
}
