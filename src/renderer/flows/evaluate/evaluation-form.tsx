/**
 * 好差评 (docs/domain.md, "Rules at the kiosk"; 国办发〔2019〕51号, GB/T 39734-2020): five levels with stars and
 * words, none pre-selected and all styled alike (no luring colours); the content items of the chosen
 * level grouped by dimension; a required reason for a 差评 (picked or typed); an optional comment;
 * a clearly visible 跳过. One idempotency key per form, so a retried submit never rates twice.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  EVALUATION_COMMENT_MAX_CHARS,
  EVALUATION_DIMENSIONS,
  EVALUATION_LEVELS,
  EVALUATION_REASON_MAX_CHARS,
  isBadReview,
  validateEvaluation,
  type EvaluationItems,
  type EvaluationLevel,
  type EvaluationProblem,
} from '../../../shared/evaluation.js';
import { submitEvaluation, useEvaluationItems } from '../../api/index.js';
import { Icon } from '../../components/icon.js';
import { OnScreenKeyboard } from '../../components/keyboard/on-screen-keyboard.js';
import { QueryView } from '../../components/query-view.js';
import { useLanguage } from '../../hooks/use-language.js';
import { residentMs, useDisplayMode } from '../../lib/display-mode.js';
import { evaluationPrompt } from '../../lib/flow-voice.js';
import { translator } from '../../lib/voice-prompts.js';
import { useResidentSession, useVoicePrompt } from '../../session/session-context.js';
import { problemMessages } from './evaluation-view.js';
import './evaluate.css';

export type EvaluationTarget = { kind: 'application' | 'ticket'; id: string; title: string };
export type EvaluationOutcome = 'submitted' | 'skipped';

/** How long the thank-you stays before the flow moves on by itself. */
const THANKS_MS = 3_000;

export function EvaluationForm(props: {
  target: EvaluationTarget;
  onDone: (result: EvaluationOutcome) => void;
}) {
  const items = useEvaluationItems();
  return (
    <section className="eval" data-testid="evaluation-form">
      <QueryView query={items}>{(data) => <Form {...props} items={data} />}</QueryView>
    </section>
  );
}

type Reason = { kind: 'listed'; code: string } | { kind: 'typed' } | null;
type Typing = 'reason' | 'comment' | null;
type Phase =
  | { kind: 'form' }
  | { kind: 'submitting' }
  | { kind: 'thanks' }
  | { kind: 'refused'; message: 'alreadyEvaluated' | 'unknownTarget' | 'accessDenied' | 'sessionExpired' };

function Form({
  target,
  onDone,
  items,
}: {
  target: EvaluationTarget;
  onDone: (result: EvaluationOutcome) => void;
  items: EvaluationItems;
}) {
  const { t } = useTranslation();
  const display = useDisplayMode();
  const lang = useLanguage();
  const [level, setLevel] = useState<EvaluationLevel | null>(null);
  const [ticked, setTicked] = useState<string[]>([]);
  const [reason, setReason] = useState<Reason>(null);
  const [typedReason, setTypedReason] = useState('');
  const [comment, setComment] = useState('');
  const [typing, setTyping] = useState<Typing>(null);
  const [problems, setProblems] = useState<EvaluationProblem[]>([]);
  const [failed, setFailed] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'form' });
  // One key per form instance: a retry after a lost answer is recognised, never a second rating.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  // The session rating: an application is rated only by its applicant's card or its receipt's code.
  const { session, voice } = useResidentSession();
  const done = useRef(onDone);
  useEffect(() => {
    done.current = onDone;
  }, [onDone]);
  const bad = level !== null && isBadReview(level);
  // What to do now (choose a level; a reason once a bad review is chosen), the thanks, or the refusal.
  useVoicePrompt(
    evaluationPrompt(
      translator(t),
      phase.kind === 'refused'
        ? { phase: 'refused', message: t(`evaluateFlow.errors.${phase.message}`) }
        : { phase: phase.kind === 'thanks' ? 'thanks' : bad ? 'reason' : 'level' },
    ),
  );
  /** A refused 提交评价: every problem read out, as the screen lists them (each refusal said again). */
  const sayProblems = (found: readonly EvaluationProblem[]) =>
    voice.say(
      evaluationPrompt(translator(t), {
        phase: 'problems',
        problems: problemMessages(found).map((m) => t(`evaluateFlow.problems.${m.key}`, m.values)),
      }),
    );

  useEffect(() => {
    if (phase.kind !== 'thanks') return;
    const timer = setTimeout(() => done.current('submitted'), residentMs(THANKS_MS, display));
    return () => clearTimeout(timer);
  }, [phase.kind, display]);

  const reasonValue =
    reason?.kind === 'listed' ? reason.code : reason?.kind === 'typed' ? typedReason : undefined;
  const draft = {
    level,
    contentItems: ticked,
    ...(bad && reasonValue !== undefined ? { reason: reasonValue } : {}),
    ...(comment.trim() !== '' ? { comment: comment.trim() } : {}),
  };

  const pickLevel = (next: EvaluationLevel) => {
    if (next === level) return;
    // The content items differ per level; a good review takes no reason.
    setLevel(next);
    setTicked([]);
    if (!isBadReview(next)) {
      setReason(null);
      if (typing === 'reason') setTyping(null);
    }
    setProblems([]);
  };

  const toggleItem = (code: string) => {
    setTicked((list) => (list.includes(code) ? list.filter((c) => c !== code) : [...list, code]));
  };

  const submit = async () => {
    const found = validateEvaluation(draft, items);
    setProblems(found);
    sayProblems(found);
    setFailed(false);
    if (found.length > 0 || level === null) return;
    setTyping(null);
    setPhase({ kind: 'submitting' });
    const r = await submitEvaluation({
      sessionId: session?.id ?? '',
      target: { kind: target.kind, id: target.id },
      level,
      contentItems: ticked,
      ...(draft.reason !== undefined ? { reason: draft.reason } : {}),
      ...(draft.comment !== undefined ? { comment: draft.comment } : {}),
      idempotencyKey,
    });
    if (r.ok) setPhase({ kind: 'thanks' });
    else if (r.error.kind === 'failed') {
      setFailed(true);
      setPhase({ kind: 'form' });
    } else if (r.error.kind === 'invalid') {
      setProblems(r.error.problems);
      sayProblems(r.error.problems);
      setPhase({ kind: 'form' });
    } else {
      setPhase({
        kind: 'refused',
        message:
          r.error.kind === 'already-evaluated'
            ? 'alreadyEvaluated'
            : r.error.kind === 'access-denied' || r.error.kind === 'too-many-attempts'
              ? 'accessDenied'
              : r.error.kind === 'session-expired'
                ? 'sessionExpired'
                : 'unknownTarget',
      });
    }
  };

  if (phase.kind === 'thanks') {
    return (
      <div className="state-panel eval-thanks" role="status" data-testid="evaluation-thanks">
        <Icon name="ready" className="state-icon" />
        <h2 className="state-title">{t('evaluateFlow.form.thanksTitle')}</h2>
        <p>{t('evaluateFlow.form.thanksBody')}</p>
        <button type="button" className="btn btn-primary btn-big" onClick={() => done.current('submitted')}>
          <Icon name="next" />
          {t('evaluateFlow.form.thanksContinue')}
        </button>
      </div>
    );
  }
  if (phase.kind === 'refused') {
    return (
      <div className="state-panel" role="alert" data-testid="evaluation-refused">
        <Icon name="warning" className="state-icon" />
        <p className="state-title">{t(`evaluateFlow.errors.${phase.message}`)}</p>
        <button type="button" className="btn btn-primary btn-big" onClick={() => done.current('skipped')}>
          <Icon name="next" />
          {t('evaluateFlow.form.thanksContinue')}
        </button>
      </div>
    );
  }

  const messages = problemMessages(problems);
  const busy = phase.kind === 'submitting';
  return (
    <>
      <header className="screen-head eval-head">
        <p className="screen-kicker">{t('evaluateFlow.kicker')}</p>
        <h2 className="screen-title">
          <Icon name="star" />
          {t('evaluateFlow.title')}
        </h2>
        <p className="eval-target" data-testid="evaluation-target">
          {t(target.kind === 'ticket' ? 'evaluateFlow.form.ticketTarget' : 'evaluateFlow.form.target', {
            title: target.title,
          })}
        </p>
        <p className="screen-intro">{t('evaluateFlow.intro')}</p>
      </header>

      <fieldset className="eval-block card">
        <legend className="section-title eval-legend">{t('evaluateFlow.form.levelTitle')}</legend>
        <p className="eval-hint">{t('evaluateFlow.form.levelHint')}</p>
        <div
          className="eval-levels"
          role="radiogroup"
          aria-label={t('evaluateFlow.form.levelTitle')}
          data-testid="evaluation-levels"
        >
          {EVALUATION_LEVELS.map((l) => {
            const chosen = l.level === level;
            return (
              <button
                key={l.level}
                type="button"
                role="radio"
                aria-checked={chosen}
                className="btn eval-level"
                data-level={l.level}
                disabled={busy}
                onClick={() => pickLevel(l.level)}
              >
                <span className="eval-stars" aria-hidden="true">
                  {'★'.repeat(l.stars)}
                  <span className="eval-stars-off">{'☆'.repeat(5 - l.stars)}</span>
                </span>
                <span className="eval-level-word">{lang === 'en' ? l.en : l.zh}</span>
                <span className="visually-hidden">
                  {t('evaluateFlow.form.starsLabel', { count: l.stars })}
                </span>
                {/* The choice shows as a tick and a word, not by colour alone. */}
                <span className="eval-level-mark" aria-hidden="true">
                  {chosen ? (
                    <>
                      <Icon name="ready" />
                      {t('evaluateFlow.form.levelChosen')}
                    </>
                  ) : null}
                </span>
              </button>
            );
          })}
        </div>
      </fieldset>

      {level !== null && (
        <fieldset className="eval-block card" data-testid="evaluation-items">
          <legend className="section-title eval-legend">{t('evaluateFlow.form.itemsTitle')}</legend>
          <p className="eval-hint">{t('evaluateFlow.form.itemsHint')}</p>
          {EVALUATION_DIMENSIONS.map((d) => (
            <div
              key={d.dimension}
              className="eval-dimension"
              role="group"
              aria-label={lang === 'en' ? d.en : d.zh}
            >
              <h3 className="eval-dimension-title">{lang === 'en' ? d.en : d.zh}</h3>
              <div className="eval-chips">
                {items.items[level][d.dimension].map((item) => {
                  const on = ticked.includes(item.code);
                  return (
                    <button
                      key={item.code}
                      type="button"
                      className="btn eval-chip"
                      aria-pressed={on}
                      data-item={item.code}
                      disabled={busy}
                      onClick={() => toggleItem(item.code)}
                    >
                      <span className="eval-check" aria-hidden="true">
                        {on ? '✓' : ''}
                      </span>
                      {lang === 'en' ? item.en : item.zh}
                    </button>
                  );
                })}
              </div>
            </div>
          ))}
        </fieldset>
      )}

      {bad && (
        <fieldset className="eval-block card eval-reason" data-testid="evaluation-reason">
          <legend className="section-title eval-legend">{t('evaluateFlow.form.reasonTitle')}</legend>
          <p className="eval-hint">{t('evaluateFlow.form.reasonHint')}</p>
          <div className="eval-chips" role="radiogroup" aria-label={t('evaluateFlow.form.reasonLabel')}>
            {items.reasons.map((r) => {
              const on = reason?.kind === 'listed' && reason.code === r.code;
              return (
                <button
                  key={r.code}
                  type="button"
                  role="radio"
                  aria-checked={on}
                  className="btn eval-chip"
                  data-reason={r.code}
                  disabled={busy}
                  onClick={() => {
                    setReason({ kind: 'listed', code: r.code });
                    if (typing === 'reason') setTyping(null);
                  }}
                >
                  <span className="eval-check" aria-hidden="true">
                    {on ? '✓' : ''}
                  </span>
                  {lang === 'en' ? r.en : r.zh}
                </button>
              );
            })}
            <button
              type="button"
              role="radio"
              aria-checked={reason?.kind === 'typed'}
              className="btn eval-chip"
              data-reason="typed"
              disabled={busy}
              onClick={() => {
                setReason({ kind: 'typed' });
                setTyping('reason');
              }}
            >
              <span className="eval-check" aria-hidden="true">
                {reason?.kind === 'typed' ? '✓' : ''}
              </span>
              <Icon name="edit" />
              {t('evaluateFlow.form.reasonOther')}
            </button>
          </div>
          {reason?.kind === 'typed' && (
            <TypedText
              label={t('evaluateFlow.form.reasonTyped')}
              value={typedReason}
              testId="evaluation-reason-text"
              open={typing === 'reason'}
              onOpen={() => setTyping('reason')}
              onClose={() => setTyping(null)}
              onChange={setTypedReason}
              maxLength={EVALUATION_REASON_MAX_CHARS}
              editLabel={t('evaluateFlow.form.commentEdit')}
            />
          )}
        </fieldset>
      )}

      {level !== null && (
        <section className="eval-block card" aria-labelledby="eval-comment-title">
          <h3 className="section-title eval-legend" id="eval-comment-title">
            {t('evaluateFlow.form.commentTitle')}
          </h3>
          <TypedText
            label={t('evaluateFlow.form.commentLabel')}
            value={comment}
            testId="evaluation-comment"
            open={typing === 'comment'}
            onOpen={() => setTyping('comment')}
            onClose={() => setTyping(null)}
            onChange={setComment}
            maxLength={EVALUATION_COMMENT_MAX_CHARS}
            editLabel={
              comment === '' ? t('evaluateFlow.form.commentAdd') : t('evaluateFlow.form.commentEdit')
            }
          />
        </section>
      )}

      <div className="eval-errors" aria-live="assertive">
        {messages.length > 0 && (
          <div className="notice notice-bad" role="alert" data-testid="evaluation-errors">
            <Icon name="warning" />
            <div>
              {messages.map((m) => (
                <p key={m.key}>{t(`evaluateFlow.problems.${m.key}`, m.values)}</p>
              ))}
            </div>
          </div>
        )}
        {failed && (
          <div className="notice notice-bad" role="alert" data-testid="evaluation-failed">
            <Icon name="warning" />
            <p>{t('evaluateFlow.errors.failed')}</p>
          </div>
        )}
      </div>

      <div className="eval-actions">
        <button
          type="button"
          className="btn btn-big eval-skip"
          data-testid="evaluation-skip"
          disabled={busy}
          onClick={() => done.current('skipped')}
        >
          {t('evaluateFlow.form.skip')}
        </button>
        <button
          type="button"
          className="btn btn-primary btn-big"
          data-testid="evaluation-submit"
          disabled={busy}
          onClick={() => void submit()}
        >
          {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : <Icon name="ready" />}
          {busy ? t('evaluateFlow.form.submitting') : t('evaluateFlow.form.submit')}
        </button>
      </div>
    </>
  );
}

/** Text typed on the on-screen keyboard: what was typed so far, and the keyboard while typing. */
function TypedText(props: {
  label: string;
  value: string;
  testId: string;
  open: boolean;
  onOpen: () => void;
  onClose: () => void;
  onChange: (next: string) => void;
  maxLength: number;
  editLabel: string;
}) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  // The keyboard opens below the field: bring it into view so the resident sees what to press.
  useEffect(() => {
    if (props.open) box.current?.scrollIntoView({ block: 'nearest' });
  }, [props.open]);
  return (
    <div className="eval-typed" ref={box}>
      <div className="eval-typed-row">
        <p className="eval-typed-value" data-testid={props.testId}>
          <span className="eval-typed-label">{props.label}</span>
          <span>{props.value === '' ? t('evaluateFlow.form.commentEmpty') : props.value}</span>
        </p>
        {!props.open && (
          <button type="button" className="btn" onClick={props.onOpen}>
            <Icon name="edit" />
            {props.editLabel}
          </button>
        )}
      </div>
      {props.open && (
        <OnScreenKeyboard
          value={props.value}
          onChange={props.onChange}
          layouts={['pinyin', 'letters', 'digits']}
          maxLength={props.maxLength}
          onDone={props.onClose}
          label={props.label}
        />
      )}
    </div>
  );
}
