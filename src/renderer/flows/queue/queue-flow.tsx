/**
 * 排队取号 (docs/resident-journey.md, "排队取号"; docs/devices-ticket.md): choose one of the
 * comprehensive windows (一窗受理), take a number and print it. The backend checks the ticket
 * printer before it takes a number, so a printer fault leaves the resident with no number and a
 * clear way on (the help desk); a print failure after the number was taken shows the number large
 * on screen and offers a reprint. One idempotency key per window on this screen: a double tap or a
 * retry gets the same ticket, never a second number.
 *
 * Each window shows today's hours; outside them the backend issues no ticket and the screen says when
 * the window opens next (docs/resident-journey.md, "排队取号"). A resident may ask for a priority
 * number (老年人 / 残疾人 / 孕妇); with an ID card showing 60 or over in this session it is offered
 * by itself (the backend answers only yes/no, never the birth date).
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PriorityKind, WindowCode, WindowOpening } from '../../../shared/browser.js';
import { PRIORITY_KINDS } from '../../../shared/browser.js';
import {
  issueTicket,
  reprintTicket,
  useElderlyOffer,
  useQueueHours,
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
import { queueChoosePrompt, sentences, ticketPrompt } from '../../lib/flow-voice.js';
import { translator } from '../../lib/voice-prompts.js';
import { IdentifyPanel } from '../../session/identify-panel.js';
import { useBackHandler, useResidentSession, useVoicePrompt } from '../../session/session-context.js';
import { formatDateTime } from '../progress/progress-view.js';
import { issueProblem, sayWith, todayWords, whenWords, type IssueProblem } from './queue-view.js';
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
  const [priority, setPriority] = useState<PriorityKind | null>(null);
  // One key per window and kind for this screen's life: the same ticket for a retry or a double tap.
  const keys = useRef(new Map<string, string>());
  useBackHandler(() => {
    if (phase.kind === 'problem') {
      setPhase({ kind: 'choose' });
      return true;
    }
    return false;
  });

  const issue = async (window: WindowCode) => {
    const slot = `${window}/${priority ?? 'ordinary'}`;
    let key = keys.current.get(slot);
    if (key === undefined) {
      key = crypto.randomUUID();
      keys.current.set(slot, key);
    }
    setPhase({ kind: 'issuing', window });
    const r = await issueTicket(window, key, lang === 'en' ? 'en' : 'zh', priority);
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
          priority={priority}
          onPriority={setPriority}
          onPick={(w) => void issue(w)}
          onBack={() => setPhase({ kind: 'choose' })}
        />
      )}
    </div>
  );
}

function Choose({
  busyWindow,
  problem,
  priority,
  onPriority,
  onPick,
  onBack,
}: {
  busyWindow: WindowCode | null;
  problem: { window: WindowCode; problem: IssueProblem } | null;
  priority: PriorityKind | null;
  onPriority: (p: PriorityKind | null) => void;
  onPick: (w: WindowCode) => void;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const online = useHallOnline();
  const windows = useWindows();
  const hours = useQueueHours();
  const opening = new Map<WindowCode, WindowOpening>((hours.data?.windows ?? []).map((o) => [o.window, o]));
  const allClosed = hours.data !== undefined && hours.data.windows.every((o) => !o.open);
  // People waiting per window from the hall's queue service (null while it cannot be asked).
  const waiting = useQueueWaiting(online);
  const counts = online ? (waiting.data ?? null) : null;
  // What to do: tap a window (or that none is open now); said once the hours are known.
  useVoicePrompt(problem || hours.isPending ? null : queueChoosePrompt(translator(t), allClosed));
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
      {allClosed && !problem && (
        <div className="notice notice-warn queue-all-closed" role="status" data-testid="queue-all-closed">
          <Icon name="clock" />
          <p>{t('queueFlow.hours.allClosed')}</p>
        </div>
      )}
      <div aria-live="assertive">
        {problem?.problem.key === 'closed' && problem.problem.closed ? (
          <ClosedNotice
            windowName={(() => {
              const w = windows.data?.find((x) => x.code === problem.window);
              return w ? pick(w.name, lang) : problem.window;
            })()}
            closed={problem.problem.closed}
            onBack={onBack}
          />
        ) : (
          problem && <ProblemNotice problem={problem.problem} onRetry={() => onPick(problem.window)} />
        )}
      </div>
      {!allClosed && <PriorityChoice priority={priority} onPriority={onPriority} />}
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
                  <WindowHours opening={opening.get(w.code) ?? null} />
                </WindowTile>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

/** Today's hours of one window on its tile; closed now → when it opens next. */
function WindowHours({ opening }: { opening: WindowOpening | null }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  if (opening === null) return null;
  return (
    <span
      className={opening.open ? 'queue-window-hours' : 'queue-window-hours queue-window-hours-closed'}
      data-testid={`queue-hours-${opening.window}`}
      data-open={opening.open}
    >
      <span>{todayWords(opening.today, sayWith(t), lang === 'en' ? 'en' : 'zh')}</span>
      {!opening.open && (
        <strong>
          {t('queueFlow.choose.closedNow')} ·{' '}
          {t('queueFlow.hours.next', { when: whenWords(opening.next, sayWith(t)) })}
        </strong>
      )}
    </span>
  );
}

/** 优先取号: ordinary (default) or one of the three kinds; offered by itself for a card showing 60+. */
function PriorityChoice({
  priority,
  onPriority,
}: {
  priority: PriorityKind | null;
  onPriority: (p: PriorityKind | null) => void;
}) {
  const { t } = useTranslation();
  const { session } = useResidentSession();
  const [reading, setReading] = useState(false);
  const hasCard = session?.applicant != null;
  const offer = useElderlyOffer(session?.id ?? null, hasCard);
  const elderly = offer.data?.ok === true && offer.data.value.elderly;
  const notElderly = offer.data?.ok === true && !offer.data.value.elderly;
  return (
    <section
      className="card queue-priority"
      aria-labelledby="queue-priority-title"
      data-testid="queue-priority"
    >
      <h3 className="queue-priority-title" id="queue-priority-title">
        {t('queueFlow.priority.title')}
      </h3>
      <p className="queue-priority-hint">{t('queueFlow.priority.hint')}</p>
      {elderly && priority !== 'elderly' && (
        <div
          className="notice notice-ok queue-priority-offer"
          role="status"
          data-testid="queue-priority-offer"
        >
          <Icon name="ready" />
          <p>{t('queueFlow.priority.offer')}</p>
          <button
            type="button"
            className="btn btn-primary"
            data-testid="queue-priority-take-elderly"
            onClick={() => onPriority('elderly')}
          >
            {t('queueFlow.priority.takeElderly')}
          </button>
        </div>
      )}
      {notElderly && (
        <p className="queue-priority-hint" data-testid="queue-priority-not-elderly">
          {t('queueFlow.priority.notElderly')}
        </p>
      )}
      {!hasCard &&
        (reading ? (
          <IdentifyPanel role="applicant" onIdentified={() => setReading(false)} />
        ) : (
          <div className="queue-priority-card">
            <button
              type="button"
              className="btn"
              data-testid="queue-priority-read-card"
              onClick={() => setReading(true)}
            >
              <Icon name="idcard" />
              {t('queueFlow.priority.readCard')}
            </button>
            <span>{t('queueFlow.priority.readCardNote')}</span>
          </div>
        ))}
      <div className="queue-priority-options" role="group" aria-labelledby="queue-priority-title">
        {([null, ...PRIORITY_KINDS] as const).map((kind) => (
          <button
            key={kind ?? 'none'}
            type="button"
            className={priority === kind ? 'btn queue-priority-option is-on' : 'btn queue-priority-option'}
            aria-pressed={priority === kind}
            data-priority={kind ?? 'none'}
            onClick={() => onPriority(kind)}
          >
            {t(`queueFlow.priority.${kind ?? 'none'}`)}
          </button>
        ))}
      </div>
      {priority && (
        <p className="queue-priority-chosen" data-testid="queue-priority-chosen">
          {t('queueFlow.priority.chosen', { kind: t(`queueFlow.priority.${priority}`) })}
        </p>
      )}
    </section>
  );
}

/** Outside opening hours: no number today; when the window opens next, in words. */
function ClosedNotice({
  windowName,
  closed,
  onBack,
}: {
  windowName: string;
  closed: NonNullable<IssueProblem['closed']>;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const next = t('queueFlow.hours.next', { when: whenWords(closed.next, sayWith(t)) });
  const text = t('queueFlow.hours.closed', { next });
  useVoicePrompt(sentences(translator(t), [t('queueFlow.hours.closedTitle', { window: windowName }), text]));
  return (
    <div className="notice notice-warn queue-closed" role="alert" data-testid="queue-closed">
      <Icon name="clock" />
      <div>
        <h4 className="queue-closed-title">{t('queueFlow.hours.closedTitle', { window: windowName })}</h4>
        <p data-testid="queue-closed-today">
          {todayWords(closed.today, sayWith(t), lang === 'en' ? 'en' : 'zh')}
        </p>
        <p data-testid="queue-closed-text">{text}</p>
        <p>{t('queueFlow.hours.closedHelp')}</p>
        <button type="button" className="btn btn-primary" data-testid="queue-closed-back" onClick={onBack}>
          {t('queueFlow.hours.back')}
        </button>
      </div>
    </div>
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
  // The number, the window to wait at and the printed ticket; a reprint's outcome is said again.
  useVoicePrompt(
    phase.reprint === 'printing'
      ? null
      : ticketPrompt(translator(t), {
          number: ticket.number,
          window: windowName,
          print: failed || phase.reprint === 'error' ? 'failed' : ticket.printState,
        }),
  );
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
        {ticket.priority && (
          <p className="ticket-priority" data-testid="ticket-priority" data-priority={ticket.priority}>
            {t('queueFlow.priority.ticketLabel', { kind: t(`queueFlow.priority.${ticket.priority}`) })}
          </p>
        )}
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
