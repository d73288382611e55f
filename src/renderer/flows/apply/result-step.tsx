/**
 * Step 9, 办理结果: the receipt number(s), large; the promised date; what was printed. A failed print
 * never hides that the application IS saved: the receipt can be reprinted now or later from 进度查询.
 * A 即办件 waits (visibly, bounded) for the hall's decision; offline or too slow, it simply continues
 * as an ordinary application. Then the kiosk moves on to 好差评 by itself (GB/T 39734), and after
 * the rating — or 跳过 — the session ends with the take-your-card reminder.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplicationSummary, ApplyPlan, DeliveryInput } from '../../../shared/browser.js';
import { awaitDecision, printSubmission, reprintReceipt } from '../../api/index.js';
import { Icon } from '../../components/icon.js';
import { useLanguage } from '../../hooks/use-language.js';
import { residentMs, useDisplayMode } from '../../lib/display-mode.js';
import { pick } from '../../i18n/localized.js';
import { receiptPrompt, translator } from '../../lib/voice-prompts.js';
import { useResidentSession, useVoicePrompt } from '../../session/session-context.js';
import { EvaluationForm } from '../evaluate/evaluation-form.js';
import { Actions, StepHead } from './apply-ui.js';
import type { Submission } from './review-step.js';
import { formatIsoDate, mergeApps, printDetail, printOverall } from './result-logic.js';

/**
 * Seconds the result stays before the evaluation opens by itself (twice as long for elders): long
 * enough to read the receipt number and the promised date, and to take the receipt.
 */
export const AUTO_EVALUATE_SECONDS = 20;

type Decision =
  | { kind: 'idle' }
  | { kind: 'waiting' }
  | { kind: 'offline' }
  | { kind: 'timeout' }
  | { kind: 'decided'; status: string; note: string | null }
  | { kind: 'failed' };

/**
 * A failed first print is tried again this many times, a moment apart, before the resident is told:
 * right after a submission the kiosk is busy archiving it and the printer's answer can come late.
 * Only receipts not printed yet are printed again, so nothing is printed twice.
 */
const PRINT_RETRIES = 2;
const PRINT_RETRY_MS = 1_200;

/** Submissions whose printing has started (a remount must not print twice). */
const started = new Set<string>();

export function ResultStep({
  plan,
  submission,
  delivery,
  onEvaluate,
  onFinish,
}: {
  plan: ApplyPlan;
  submission: Submission;
  delivery: DeliveryInput;
  /** The evaluation opens (it is anonymous: the flow stops showing who applied). */
  onEvaluate: () => void;
  onFinish: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const apiLang: 'zh' | 'en' = lang === 'en' ? 'en' : 'zh';
  const [apps, setApps] = useState<ApplicationSummary[]>(submission.applications);
  const [printing, setPrinting] = useState(() => !started.has(submission.submissionId));
  const [reprinting, setReprinting] = useState(false);
  const [reprinted, setReprinted] = useState(false);
  const [decision, setDecision] = useState<Decision>({ kind: 'idle' });
  const [waited, setWaited] = useState(0);
  const [phase, setPhase] = useState<'result' | 'evaluate'>('result');
  const [left, setLeft] = useState<number | null>(null);
  const display = useDisplayMode();
  const langRef = useRef(apiLang);
  // The session that submitted: its receipts carry their access codes, and the decision is its to see.
  const sessionId = useResidentSession().session?.id ?? null;
  const sessionRef = useRef(sessionId);
  const evaluate = useRef(onEvaluate);
  useEffect(() => {
    evaluate.current = onEvaluate;
  }, [onEvaluate]);
  const live = useRef(true);

  // Print the receipts once, then (即办件) wait for the decision.
  useEffect(() => {
    live.current = true;
    if (started.has(submission.submissionId)) {
      return () => {
        live.current = false;
      };
    }
    started.add(submission.submissionId);
    void (async () => {
      let printed = await printSubmission(sessionRef.current, submission.submissionId, langRef.current);
      for (
        let i = 0;
        i < PRINT_RETRIES && live.current && printed.ok && printOverall(printed.value) === 'failed';
        i++
      ) {
        await new Promise((r) => window.setTimeout(r, PRINT_RETRY_MS));
        printed = await printSubmission(sessionRef.current, submission.submissionId, langRef.current);
      }
      if (live.current) {
        const answer = printed;
        setApps((a) =>
          answer.ok
            ? mergeApps(a, answer.value)
            : a.map((x) => (x.printState === 'printed' ? x : { ...x, printState: 'failed' as const })),
        );
        setPrinting(false);
      }
      if (!plan.immediate || !live.current) return;
      setDecision({ kind: 'waiting' });
      const waitingSession = sessionRef.current;
      if (waitingSession === null) {
        setDecision({ kind: 'failed' });
        return;
      }
      for (const app of submission.applications) {
        const answer = await awaitDecision(waitingSession, app.id, langRef.current);
        if (!live.current) return;
        if (!answer.ok) {
          setDecision({ kind: 'failed' });
          return;
        }
        const r = answer.value;
        if (r.kind === 'decided') {
          setApps((a) => mergeApps(a, [r.application]));
          setDecision({ kind: 'decided', status: r.application.status, note: r.note });
        } else if (r.kind === 'offline' || r.kind === 'timeout') {
          setDecision({ kind: r.kind });
          return;
        } else setDecision({ kind: 'idle' });
      }
    })();
    return () => {
      live.current = false;
    };
  }, [plan.immediate, submission]);

  // Visible progress while waiting for a 即办件's decision.
  useEffect(() => {
    if (decision.kind !== 'waiting') return;
    const started = Date.now();
    const id = window.setInterval(() => setWaited(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => window.clearInterval(id);
  }, [decision.kind]);

  const overall = printOverall(apps);
  const settled = !printing && decision.kind !== 'waiting';
  const autoOk = settled && overall === 'printed';

  // Then on to the evaluation by itself, with a visible countdown and a button to go at once.
  useEffect(() => {
    if (!autoOk || phase !== 'result') return;
    const total = residentMs(AUTO_EVALUATE_SECONDS * 1000, display) / 1000;
    const begin = Date.now();
    const id = window.setInterval(() => {
      const rest = total - Math.floor((Date.now() - begin) / 1000);
      if (rest <= 0) {
        window.clearInterval(id);
        setLeft(null);
        setPhase('evaluate');
        evaluate.current();
      } else setLeft(rest);
    }, 250);
    return () => {
      window.clearInterval(id);
      setLeft(null);
    };
  }, [autoOk, phase, display]);

  const reprint = async () => {
    setReprinting(true);
    setReprinted(false);
    const fresh: ApplicationSummary[] = [];
    let failed = false;
    for (const a of apps.filter((x) => x.printState !== 'printed')) {
      const r = sessionId === null ? null : await reprintReceipt(sessionId, a.id, apiLang);
      // A failed call leaves the state shown "not printed": try again, or use 进度查询 later.
      if (!r?.ok) {
        failed = true;
        break;
      }
      fresh.push(r.value);
    }
    setApps((a) => mergeApps(a, fresh));
    setReprinted(!failed && fresh.every((f) => f.printState === 'printed'));
    setReprinting(false);
  };

  const printText =
    overall === 'failed'
      ? `${t('applyFlow.result.printFailedTitle')} ${t('applyFlow.result.printFailed')}`
      : overall === 'no-printer'
        ? t('applyFlow.result.noPrinter')
        : null;
  // Once printing settled: submitted, the receipt number one character at a time, then what to do.
  // (再听一遍 repeats it all, the number included.)
  const receiptNos = apps.map((a) => a.receiptNo).join(' ');
  useVoicePrompt(
    phase === 'result' && !printing
      ? `${t('sessionFlow.voice.steps.result')} ${receiptPrompt(
          translator(t),
          receiptNos.split(' '),
          printText ?? (overall === 'printed' ? t('applyFlow.result.printed') : ''),
        )}`
      : null,
  );

  if (phase === 'evaluate') {
    const first = apps[0];
    return (
      <section className="apply-evaluate" data-testid="apply-evaluation">
        {first && (
          <EvaluationForm
            target={{ kind: 'application', id: first.id, title: pick(plan.name, lang) }}
            onDone={() => onFinish()}
          />
        )}
      </section>
    );
  }

  const detail = printDetail(apps);
  // 即办件 decided on the spot: the page says 已办结, and no "collect it when complete" beside it.
  const completedNow = decision.kind === 'decided' && decision.status !== 'refused';
  return (
    <section className="apply-result" data-testid="result-step" data-print={printing ? 'printing' : overall}>
      <StepHead
        title={t(completedNow ? 'applyFlow.result.titleCompleted' : 'applyFlow.result.title')}
        intro={
          // "Keep your receipt" only once there is a receipt to keep.
          overall === 'printed' && !printing
            ? `${t('applyFlow.result.intro')}${t('applyFlow.result.introKeep')}`
            : t('applyFlow.result.intro')
        }
      />

      <div className="apply-result-status" aria-live="polite">
        {printing ? (
          <p className="apply-working" role="status" data-testid="printing">
            <span className="spinner spinner-small" aria-hidden="true" />
            {t('applyFlow.result.printing')}
          </p>
        ) : overall === 'printed' ? (
          <p className="notice notice-ok" data-testid="print-ok">
            <Icon name="printer" />
            <span>{reprinted ? t('applyFlow.result.reprinted') : t('applyFlow.result.printed')}</span>
          </p>
        ) : overall === 'failed' ? (
          <div className="notice notice-warn print-failed" role="alert" data-testid="print-failed">
            <Icon name="printer" />
            <div className="print-failed-body">
              <p className="print-failed-title">{t('applyFlow.result.printFailedTitle')}</p>
              <p>{t('applyFlow.result.printFailed')}</p>
              {detail && (
                <p className="print-failed-detail">{t('applyFlow.result.printDetail', { detail })}</p>
              )}
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => void reprint()}
                disabled={reprinting}
                data-testid="reprint"
              >
                <Icon name="retry" />
                {reprinting ? t('applyFlow.result.reprinting') : t('applyFlow.result.reprint')}
              </button>
            </div>
          </div>
        ) : overall === 'no-printer' ? (
          <p className="notice notice-warn" role="alert" data-testid="print-none">
            <Icon name="printer" />
            <span>{t('applyFlow.result.noPrinter')}</span>
          </p>
        ) : null}
      </div>

      <ul className="apply-receipts" data-testid="receipts">
        {apps.map((a) => (
          <li
            key={a.id}
            className="card apply-receipt"
            data-receipt={a.receiptNo}
            data-print-state={a.printState}
          >
            <p className="apply-receipt-item">{pick(a.itemName, lang)}</p>
            <p className="apply-receipt-label">{t('applyFlow.result.receiptNo')}</p>
            <p className="apply-receipt-no" data-testid="receipt-no">
              {a.receiptNo}
            </p>
            <p className="apply-receipt-date">
              <span>{t('applyFlow.result.promisedDate')}</span>
              <strong>
                {a.caseType === 'immediate'
                  ? t('applyFlow.result.sameDay')
                  : a.promisedDate
                    ? formatIsoDate(a.promisedDate, lang)
                    : '—'}
              </strong>
            </p>
          </li>
        ))}
      </ul>

      {decision.kind !== 'idle' && (
        <div
          className="apply-decision"
          aria-live="polite"
          data-testid="decision"
          data-decision={decision.kind}
        >
          {decision.kind === 'waiting' ? (
            <div className="card apply-panel decision-waiting" role="status">
              <span className="spinner" aria-hidden="true" />
              <p className="decision-title">{t('applyFlow.result.immediate.waiting')}</p>
              <p>{t('applyFlow.result.immediate.limit')}</p>
              <p>{t('applyFlow.result.immediate.waitingHint', { seconds: waited })}</p>
            </div>
          ) : decision.kind === 'decided' ? (
            <div className="notice notice-ok">
              <Icon name="ready" />
              <p>
                <strong>{t('applyFlow.result.immediate.decided')}</strong>{' '}
                {decision.status === 'refused'
                  ? t('applyFlow.result.immediate.refused')
                  : t('applyFlow.result.immediate.completed')}
                {decision.note && ` ${t('applyFlow.result.immediate.note', { note: decision.note })}`}
              </p>
            </div>
          ) : (
            <div className="notice">
              <Icon name="help" />
              <p>
                {decision.kind === 'offline'
                  ? t('applyFlow.result.immediate.offline')
                  : t('applyFlow.result.immediate.timeout')}
              </p>
            </div>
          )}
        </div>
      )}

      {decision.kind !== 'decided' && decision.kind !== 'waiting' && (
        <p className="apply-result-delivery" data-testid="result-delivery">
          <Icon name="result" />
          {delivery.method === 'ems'
            ? t('applyFlow.result.delivery.ems', { address: delivery.address })
            : t('applyFlow.result.delivery.pickup')}
        </p>
      )}

      {settled && (
        <Actions>
          {left !== null && (
            <p className="apply-auto" role="status" data-testid="auto-evaluate">
              {t('applyFlow.result.autoEvaluate', { seconds: left })}
            </p>
          )}
          <button
            type="button"
            className="btn btn-primary btn-big apply-next"
            onClick={() => {
              setPhase('evaluate');
              onEvaluate();
            }}
            data-testid="to-evaluation"
          >
            <Icon name="star" />
            {t('applyFlow.result.toEvaluation')}
          </button>
        </Actions>
      )}
    </section>
  );
}
