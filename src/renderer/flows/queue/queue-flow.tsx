/**
 * 排队取号 (docs/resident-journey.md, "排队取号"; docs/devices-ticket.md): choose one of the
 * comprehensive windows (一窗受理), take a number and print it. The backend checks the ticket
 * printer before it takes a number, so a printer fault leaves the resident with no number and a
 * clear way on (the help desk); a print failure after the number was taken shows the number large
 * on screen and offers a reprint. One idempotency key per window on this screen: a double tap or a
 * retry gets the same ticket, never a second number.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WindowCode } from '../../../shared/browser.js';
import {
  issueTicket,
  reprintTicket,
  useQueueWaiting,
  useWindows,
  type RouterOutputs,
  type ValueOf,
} from '../../api/index.js';
import { WindowTile } from '../../components/catalog/window-tile.js';
import { Icon } from '../../components/icon.js';
import { QueryView } from '../../components/query-view.js';
import { StepIndicator } from '../../components/step-indicator.js';
import { useHallOnline } from '../../components/use-hall-online.js';
import { useLanguage } from '../../hooks/use-language.js';
import { pick } from '../../i18n/localized.js';
import { useBackHandler, useVoicePrompt } from '../../session/session-context.js';
import { formatDateTime } from '../progress/progress-view.js';
import { issueProblem, type IssueProblem } from './queue-view.js';
import './queue.css';

type Ticket = ValueOf<RouterOutputs['queue']['issue']>['ticket'];

type Phase =
  | { kind: 'choose' }
  | { kind: 'issuing'; window: WindowCode }
  | { kind: 'problem'; window: WindowCode; problem: IssueProblem }
  | { kind: 'ticket'; ticket: Ticket; reprint: 'idle' | 'printing' | 'failed' | 'error' };

export function QueueFlow({ onFinish }: { onFinish: () => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const [phase, setPhase] = useState<Phase>({ kind: 'choose' });
  // One key per window for this screen's life: the same ticket for a retry or a double tap.
  const keys = useRef(new Map<WindowCode, string>());
  useBackHandler(() => {
    if (phase.kind === 'problem') {
      setPhase({ kind: 'choose' });
      return true;
    }
    return false;
  });

  const issue = async (window: WindowCode) => {
    let key = keys.current.get(window);
    if (key === undefined) {
      key = crypto.randomUUID();
      keys.current.set(window, key);
    }
    setPhase({ kind: 'issuing', window });
    const r = await issueTicket(window, key, lang === 'en' ? 'en' : 'zh');
    if (r.ok) setPhase({ kind: 'ticket', ticket: r.value.ticket, reprint: 'idle' });
    else setPhase({ kind: 'problem', window, problem: issueProblem(r.error) });
  };

  const reprint = async (ticket: Ticket) => {
    setPhase({ kind: 'ticket', ticket, reprint: 'printing' });
    const r = await reprintTicket(ticket.id, lang === 'en' ? 'en' : 'zh');
    if (r.ok)
      setPhase({
        kind: 'ticket',
        ticket: r.value,
        reprint: r.value.printState === 'failed' ? 'failed' : 'idle',
      });
    else setPhase({ kind: 'ticket', ticket, reprint: 'error' });
  };

  const steps = [t('queueFlow.steps.choose'), t('queueFlow.steps.ticket')];
  return (
    <div className="queue" data-step={phase.kind}>
      <header className="screen-head">
        <p className="screen-kicker">{t('queueFlow.kicker')}</p>
        <h2 className="screen-title">
          <Icon name="queue" />
          {t('queueFlow.title')}
        </h2>
        {phase.kind !== 'ticket' && <p className="screen-intro">{t('queueFlow.intro')}</p>}
      </header>
      <StepIndicator steps={steps} current={phase.kind === 'ticket' ? 1 : 0} />
      {phase.kind === 'ticket' ? (
        <TicketView phase={phase} onReprint={() => void reprint(phase.ticket)} onFinish={onFinish} />
      ) : (
        <Choose
          busyWindow={phase.kind === 'issuing' ? phase.window : null}
          problem={phase.kind === 'problem' ? phase : null}
          onPick={(w) => void issue(w)}
        />
      )}
    </div>
  );
}

function Choose({
  busyWindow,
  problem,
  onPick,
}: {
  busyWindow: WindowCode | null;
  problem: { window: WindowCode; problem: IssueProblem } | null;
  onPick: (w: WindowCode) => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const online = useHallOnline();
  const windows = useWindows();
  // People waiting per window from the hall's queue service (null while it cannot be asked).
  const waiting = useQueueWaiting(online);
  const counts = online ? (waiting.data ?? null) : null;
  useVoicePrompt(problem ? null : t('queueFlow.choose.title'));
  return (
    <section className="queue-choose" aria-labelledby="queue-choose-title">
      <div className="queue-choose-head">
        <h3 className="section-title" id="queue-choose-title">
          {t('queueFlow.choose.title')}
        </h3>
        <p className="queue-waiting" data-testid="queue-waiting-note">
          <Icon name={online ? 'online' : 'offline'} />
          {online ? t('queueFlow.choose.online') : t('queueFlow.choose.waiting')}
        </p>
      </div>
      <div aria-live="assertive">
        {problem && <ProblemNotice problem={problem.problem} onRetry={() => onPick(problem.window)} />}
      </div>
      <QueryView query={windows}>
        {(list) => (
          <ul className="queue-windows" data-testid="queue-windows">
            {list.map((w) => (
              <li key={w.code}>
                <WindowTile
                  variant="queue-window"
                  letter={w.queuePrefix}
                  name={pick(w.name, lang)}
                  description={pick(w.description, lang)}
                  data-window={w.code}
                  disabled={busyWindow !== null}
                  aria-busy={busyWindow === w.code}
                  onClick={() => onPick(w.code)}
                  trailing={
                    busyWindow === w.code ? (
                      <span className="queue-taking">
                        <span className="spinner spinner-small" aria-hidden="true" />
                        {t('queueFlow.choose.taking')}
                      </span>
                    ) : undefined
                  }
                >
                  <span className="queue-window-prefix">
                    {t('queueFlow.choose.prefix', { prefix: w.queuePrefix })}
                  </span>
                  {counts && (
                    <span className="queue-window-waiting" data-testid={`queue-waiting-${w.code}`}>
                      {t('queueFlow.choose.waitingCount', { count: counts[w.code] ?? 0 })}
                    </span>
                  )}
                </WindowTile>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

function ProblemNotice({ problem, onRetry }: { problem: IssueProblem; onRetry: () => void }) {
  const { t } = useTranslation();
  const text =
    problem.key === 'unavailable'
      ? t('queueFlow.errors.unavailable', {
          status: problem.status ? t(`queueFlow.printerStatus.${problem.status}`) : '',
        })
      : t(`queueFlow.errors.${problem.key}`);
  useVoicePrompt(text);
  return (
    <div
      className="notice notice-bad queue-problem"
      role="alert"
      data-testid="queue-problem"
      data-kind={problem.key}
    >
      <Icon name="warning" />
      <p>{text}</p>
      <button type="button" className="btn btn-primary" data-testid="queue-retry" onClick={onRetry}>
        <Icon name="retry" />
        {t('queueFlow.errors.retry')}
      </button>
    </div>
  );
}

function TicketView({
  phase,
  onReprint,
  onFinish,
}: {
  phase: Extract<Phase, { kind: 'ticket' }>;
  onReprint: () => void;
  onFinish: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const { ticket } = phase;
  const failed = ticket.printState === 'failed';
  const windowName = t('queueFlow.ticket.windowName', { name: pick(ticket.windowName, lang) });
  useVoicePrompt(`${t('queueFlow.ticket.title')} ${ticket.number}`);
  return (
    <section
      className="queue-ticket"
      data-testid="queue-ticket"
      data-print={ticket.printState}
      aria-labelledby="queue-ticket-title"
    >
      <div className={failed ? 'card ticket-card ticket-card-failed' : 'card ticket-card'}>
        <h3 className="ticket-title" id="queue-ticket-title">
          {t('queueFlow.ticket.title')}
        </h3>
        <p className="ticket-number-big" data-testid="ticket-number">
          {ticket.number}
        </p>
        <dl className="ticket-facts">
          <div>
            <dt>{t('queueFlow.ticket.window')}</dt>
            <dd data-testid="ticket-window">{windowName}</dd>
          </div>
          <div>
            <dt>{t('queueFlow.ticket.issuedAt')}</dt>
            <dd>{formatDateTime(ticket.issuedAt)}</dd>
          </div>
          <div>
            <dt>{t('queueFlow.ticket.waiting')}</dt>
            <dd data-testid="ticket-waiting">
              {ticket.peopleWaiting === null
                ? t('queueFlow.ticket.waitingUnknown')
                : t('queueFlow.ticket.waitingCount', { count: ticket.peopleWaiting })}
            </dd>
          </div>
        </dl>
      </div>
      <div aria-live="polite">
        {phase.reprint === 'printing' ? (
          <div className="notice" role="status">
            <span className="spinner spinner-small" aria-hidden="true" />
            <p>{t('queueFlow.ticket.reprinting')}</p>
          </div>
        ) : failed || phase.reprint === 'error' ? (
          <div className="notice notice-bad" role="alert" data-testid="ticket-print-failed">
            <Icon name="warning" />
            <p>
              {phase.reprint === 'failed' || phase.reprint === 'error'
                ? t('queueFlow.ticket.reprintFailed', { number: ticket.number })
                : t('queueFlow.ticket.printFailed', { number: ticket.number })}
            </p>
          </div>
        ) : ticket.printState === 'printed' ? (
          <div className="notice notice-ok" role="status" data-testid="ticket-printed">
            <Icon name="printer" />
            <p>{t('queueFlow.ticket.printed')}</p>
          </div>
        ) : (
          <div className="notice" role="status">
            <Icon name="clock" />
            <p>{t('queueFlow.ticket.pending')}</p>
          </div>
        )}
      </div>
      <div className="queue-actions">
        {(failed || phase.reprint === 'error') && (
          <button
            type="button"
            className="btn btn-big"
            data-testid="ticket-reprint"
            disabled={phase.reprint === 'printing'}
            onClick={onReprint}
          >
            <Icon name="printer" />
            {t('queueFlow.ticket.reprint')}
          </button>
        )}
        <button
          type="button"
          className="btn btn-primary btn-big"
          data-testid="queue-finish"
          onClick={onFinish}
        >
          <Icon name="ready" />
          {t('queueFlow.ticket.finish')}
        </button>
      </div>
    </section>
  );
}
