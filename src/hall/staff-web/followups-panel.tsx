/**
 * 好差评整改 (React): the follow-up tasks bad reviews opened (待整改 → 整改中 → 整改完成, 申请延期,
 * 无效差评, 无法整改, 超期), each linked to its case by 受理编号 (a real link, `#case/{id}`, that opens
 * the case on the 办件 tab: desk-links.ts); one task's detail with the actions its state allows;
 * the evaluation export (JSON, the common reporting interface's coding).
 */
import {
  Fragment,
  useCallback,
  useImperativeHandle,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
  type Ref,
} from 'react';
import { ok } from '../../shared/result.js';
import type { FollowupAction, FollowupView } from '../followups.js';
import { followupActionBody, type ActionInput } from './actions.js';
import type { Answer } from './api.js';
import { problemMessage } from './case-detail-text.js';
import { messageText, type Desk, type StatusMessage } from './desk.js';
import { inLanguage, useDeskText, type DeskLanguage, type DeskText } from './desk-i18n.js';
import { caseLink } from './desk-links.js';
import { FOLLOWUP_STATE_LEVEL, formatTime, LEVEL_LIGHTS } from './format.js';
import { GridTable, LightBadge } from './panel-parts.js';
import { followupActionText, followupDetailText, followupDoneMessage, levelWords } from './panels-text.js';

export type FollowupsHandle = {
  reload(): Promise<Answer<void>>;
  /** Shows one task's detail (from the list last loaded). */
  open(id: number): void;
};

export function FollowupsPanel(props: {
  ref: Ref<FollowupsHandle>;
  desk: Desk;
  mayExport: boolean;
}): ReactNode {
  const { desk } = props;
  const { ref } = props;
  const { t, language } = useDeskText();
  const [list, setList] = useState<FollowupView[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const detailRef = useRef<HTMLElement>(null);

  const reload = useCallback(async (): Promise<Answer<void>> => {
    const r = await desk.api.followups();
    if (!r.ok) return r;
    setList(r.value.followups);
    return ok(undefined);
  }, [desk]);
  const open = useCallback((id: number) => setSelected(id), []);
  useImperativeHandle(ref, () => ({ reload, open }), [reload, open]);

  const exportEvaluations = async (): Promise<void> => {
    const r = await desk.api.evaluationExport();
    if (!r.ok) {
      if (r.error.kind !== 'unauthenticated') desk.say(problemMessage(r.error), true);
      return;
    }
    const data = r.value;
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `evaluations-${data.jurisdiction}-${data.generatedAt.slice(0, 10)}.json`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    // Revoking at once can cancel the download in some browsers; a minute is ample for a small file.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    desk.say({ key: 'followups.exported', vars: { n: data.evaluations.length } });
  };

  const tz = desk.state.timeZone;
  const current = list?.find((f) => f.id === selected) ?? null;

  return (
    <>
      <div className="toolbar">
        <button
          type="button"
          id="export"
          className="quiet"
          hidden={!props.mayExport}
          onClick={() => void exportEvaluations()}
        >
          {t('followups.export')}
        </button>
      </div>
      <GridTable
        id="followups"
        caption={t('followups.caption')}
        columns={[
          t('followups.no'),
          t('followups.rating'),
          t('followups.about'),
          t('followups.case'),
          t('followups.reason'),
          t('followups.received'),
          t('followups.due'),
          t('followups.state'),
          <span className="sr-only">{t('followups.actions')}</span>,
        ]}
        empty={list && list.length === 0 ? t('followups.none') : null}
      >
        {(list ?? []).map((f) => (
          <tr key={f.id} data-followup={String(f.id)} className={selected === f.id ? 'selected' : undefined}>
            <td>{String(f.id)}</td>
            <td>{levelWords(t, f.level, f.levelName)}</td>
            <td>{aboutText(t, f, language)}</td>
            <td>
              <CaseCell f={f} language={language} />
            </td>
            <td>{f.reason ? f.reason.text : '—'}</td>
            <td>{formatTime(f.createdAt, tz)}</td>
            <td>{f.dueDate}</td>
            <td>
              <StateBadges f={f} t={t} language={language} />
            </td>
            <td>
              <button
                type="button"
                className="quiet"
                aria-label={t('followups.handleLabel', { id: f.id })}
                onClick={() => {
                  setSelected(f.id);
                  // After React has drawn the detail.
                  setTimeout(() => detailRef.current?.focus(), 0);
                }}
              >
                {t('followups.handle')}
              </button>
            </td>
          </tr>
        ))}
      </GridTable>
      <section
        id="followup-detail"
        ref={detailRef}
        tabIndex={-1}
        className="card"
        hidden={current === null}
        aria-labelledby="followup-title"
      >
        {current ? <FollowupDetail key={current.id} f={current} desk={desk} onDone={reload} /> : null}
      </section>
    </>
  );
}

function aboutText(t: DeskText, f: FollowupView, language: DeskLanguage): string {
  if (f.target.kind === 'application')
    return t('followups.aboutCase', {
      item: f.case?.itemName ? inLanguage(f.case.itemName, language) : (f.target.itemCode ?? '?'),
    });
  return t('followups.aboutQueue', { window: f.target.window ?? '?' });
}

function CaseCell({ f, language }: { f: FollowupView; language: DeskLanguage }): ReactNode {
  const c = f.case;
  if (c === null) return '—';
  return (
    <>
      <a href={caseLink(c.id)} className="mono" data-case-link={c.id}>
        {c.receiptNo ?? `${c.id.slice(0, 8)}…`}
      </a>
      {c.itemName ? <small className="item-name"> {inLanguage(c.itemName, language)}</small> : null}
    </>
  );
}

function StateBadges({
  f,
  t,
  language,
}: {
  f: FollowupView;
  t: DeskText;
  language: DeskLanguage;
}): ReactNode {
  const level = FOLLOWUP_STATE_LEVEL[f.state];
  return (
    <span data-state={f.state}>
      <LightBadge light={{ level, words: f.stateName, icon: '' }} language={language} />
      {f.overdue ? (
        <>
          {' '}
          <LightBadge
            light={{
              ...LEVEL_LIGHTS.overdue,
              words: { zh: t('followups.overdue'), en: t('followups.overdue') },
            }}
            language={language}
          />
        </>
      ) : null}
    </span>
  );
}

function FollowupDetail(props: {
  f: FollowupView;
  desk: Desk;
  onDone: () => Promise<Answer<void>>;
}): ReactNode {
  const { f, desk } = props;
  const { t, language } = useDeskText();
  const tz = desk.state.timeZone;
  const separator = language === 'en' ? '; ' : '；';
  const facts: [string, ReactNode][] = [
    [t('followups.rating'), levelWords(t, f.level, f.levelName)],
    [t('followups.about'), aboutText(t, f, language)],
    ...(f.case
      ? [[t('followups.case'), <CaseCell key="case" f={f} language={language} />] as [string, ReactNode]]
      : []),
    [t('followups.reason'), f.reason ? f.reason.text : '—'],
    [
      t('followups.items'),
      f.contentItems.length > 0 ? f.contentItems.map((i) => i.text).join(separator) : '—',
    ],
    ...(f.comment ? [[t('followups.comment'), f.comment] as [string, ReactNode]] : []),
    [
      t('followups.due'),
      f.dueDate + (f.extensionDays ? t('followups.extended', { days: f.extensionDays }) : ''),
    ],
    [t('followups.state'), <StateBadges key="state" f={f} t={t} language={language} />],
  ];
  return (
    <>
      <h2 id="followup-title">{t('followups.title', { id: f.id })}</h2>
      <dl className="facts">
        {facts.map(([label, value]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
      </dl>
      {f.events.length > 0 ? (
        <>
          <h3>{t('followups.history')}</h3>
          <ol className="history">
            {f.events.map((e, i) => (
              <li key={i}>
                {t('followups.event', {
                  at: formatTime(e.at, tz),
                  staff: e.staff,
                  action: followupActionText(t, e.action),
                  detail: followupDetailText(t, e.detail, separator),
                })}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {f.allowedActions.length > 0 && desk.may('followup.act') ? (
        <>
          <h3>{t('followups.act')}</h3>
          <div className="actions">
            {f.allowedActions.map((a) => (
              <ActionForm key={a} f={f} action={a} desk={desk} onDone={props.onDone} />
            ))}
          </div>
        </>
      ) : null}
    </>
  );
}

/** The fields an action asks for. */
const FIELDS: Record<
  FollowupAction['action'],
  {
    name: 'note' | 'reason' | 'days';
    label: 'noteOptional' | 'whatDone' | 'why' | 'extraDays' | 'daysGranted';
    required: boolean;
    long?: boolean;
  }[]
> = {
  start: [{ name: 'note', label: 'noteOptional', required: false }],
  'request-extension': [
    { name: 'days', label: 'extraDays', required: true },
    { name: 'reason', label: 'why', required: true, long: true },
  ],
  'grant-extension': [{ name: 'days', label: 'daysGranted', required: false }],
  complete: [{ name: 'note', label: 'whatDone', required: true, long: true }],
  'deny-extension': [{ name: 'reason', label: 'why', required: true, long: true }],
  'mark-invalid': [{ name: 'reason', label: 'why', required: true, long: true }],
  'cannot-fix': [{ name: 'reason', label: 'why', required: true, long: true }],
};

function ActionForm(props: {
  f: FollowupView;
  action: FollowupAction['action'];
  desk: Desk;
  onDone: () => Promise<Answer<void>>;
}): ReactNode {
  const { f, action, desk } = props;
  const { t, language } = useDeskText();
  const [error, setError] = useState<StatusMessage | null>(null);
  const [busy, setBusy] = useState(false);
  const words = followupActionText(t, action);
  const base = `fu-${f.id}-${action}`;

  const submit = async (ev: FormEvent<HTMLFormElement>): Promise<void> => {
    ev.preventDefault();
    const form = ev.currentTarget;
    const value = (name: string): string => {
      const el = form.elements.namedItem(name);
      return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el.value : '';
    };
    const daysText = value('days').trim();
    const input: ActionInput = {
      note: value('note'),
      reason: value('reason'),
      ...(daysText !== '' && Number.isFinite(Number(daysText)) ? { days: Number(daysText) } : {}),
    };
    const body = followupActionBody(action, input);
    if (body === null) {
      setError({ key: 'followups.required' });
      return;
    }
    setBusy(true);
    try {
      const r = await desk.api.followupAction(f.id, body);
      if (!r.ok) {
        setError(problemMessage(r.error));
        return;
      }
      setError(null);
      desk.say(followupDoneMessage(action, f.id));
      const again = await props.onDone();
      if (!again.ok && again.error.kind !== 'unauthenticated') desk.say(problemMessage(again.error), true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form data-form={action} noValidate onSubmit={(ev) => void submit(ev)}>
      <fieldset>
        <legend>{words}</legend>
        {FIELDS[action].map((x) => {
          const id = `${base}-${x.name}`;
          return (
            <div key={x.name} className="field">
              <label htmlFor={id}>{t(`followups.${x.label}`)}</label>
              {x.name === 'days' ? (
                <input
                  id={id}
                  name="days"
                  type="number"
                  min={1}
                  max={60}
                  required={x.required}
                  defaultValue={action === 'grant-extension' ? (f.requestedDays ?? 3) : 3}
                />
              ) : x.long ? (
                <textarea id={id} name={x.name} required={x.required} maxLength={1000} />
              ) : (
                <input id={id} name={x.name} type="text" required={x.required} maxLength={1000} />
              )}
            </div>
          );
        })}
        <button
          type="submit"
          className={action === 'mark-invalid' || action === 'cannot-fix' ? 'danger' : undefined}
          data-action={action}
          disabled={busy}
        >
          {words}
        </button>
        <p className="error" role="alert">
          {error ? messageText(error, t, language) : ''}
        </p>
      </fieldset>
    </form>
  );
}
