/**
 * One case (React): its facts (applicant masked by the hall, never a photo), the application form by
 * the catalog item's labels, the other fields, the scanned materials with the attachment viewer,
 * the history, a form for each action its status allows — 受理, 不予受理 with a reason, 补齐补正
 * choosing materials by name plus free text, 办结 with the result and EMS number — the documents and
 * the case's 差评 follow-ups. 不予受理 and 办结 ask first in a dialog that shows the reason, or the
 * result and EMS number, back. Every word from the desk's copy (desk-zh-cn.ts / desk-en.ts) in the
 * language shown; catalog names in that language; the data as the resident or staff wrote it.
 *
 * The desk opens a case through the handle (`open`), from the list, a live banner, a case link or a
 * refresh; after an action the list is reloaded and the case read again.
 */
import {
  useCallback,
  useId,
  useImperativeHandle,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
  type Ref,
} from 'react';
import { flushSync } from 'react-dom';
import { STAFF_ACTION_LABELS, type StaffCaseAction } from '../../shared/case-status.js';
import { CASE_ACTION_PERMISSION } from '../../shared/staff-roles.js';
import type { StaffAction } from '../../shared/wire/staff.js';
import type { Attachment, CaseDetail } from '../case-detail.js';
import { caseActionBody, offeredCaseActions, type ActionInput } from './actions.js';
import type { Problem } from './api.js';
import { AttachmentViewer } from './attachment-viewer.js';
import { CaseFollowups } from './case-followups-view.js';
import { LevelBadge, StatusText } from './case-list.js';
import {
  actionDoneText,
  caseEventLine,
  caseLabel,
  fieldValueText,
  formFieldLabel,
  materialLabel,
  problemWords,
  readableKey,
} from './case-detail-text.js';
import { selectDeskCase, type Desk, type Say } from './desk.js';
import { inLanguage, useDeskText, type DeskText } from './desk-i18n.js';
import { CaseDocuments } from './documents-view.js';
import { fieldWords, formatSize, formatTime } from './format.js';
import { ConfirmDialog } from './modal.js';

export type CaseDetailHandle = {
  /** Reads the case and shows it (scrolled into view); a refusal goes to the status line. */
  open(id: string): Promise<void>;
  /** Shows nothing (signed out). */
  close(): void;
};

export function CaseDetailView({
  ref,
  desk,
  reloadCases,
  say,
}: {
  ref: Ref<CaseDetailHandle>;
  desk: Desk;
  /** After an action: redraw the list (the status and light changed). */
  reloadCases: () => Promise<unknown>;
  say: Say;
}): ReactNode {
  const [c, setC] = useState<CaseDetail | null>(null);
  const boxRef = useRef<HTMLElement>(null);

  // The latest open wins: a live event's reload and an action's own can be in flight at once, and an
  // answer read before the action committed must not draw over the one read after it.
  const opening = useRef(0);
  const open = useCallback(
    async (id: string): Promise<void> => {
      const mine = ++opening.current;
      const r = await desk.api.caseDetail(id);
      if (mine !== opening.current) return;
      if (!r.ok) {
        const p = r.error;
        if (p.kind !== 'unauthenticated') say({ words: (tt, lang) => problemWords(p, tt, lang) }, true);
        return;
      }
      selectDeskCase(desk, id);
      for (const tr of document.querySelectorAll('#cases tr[data-case]')) {
        tr.className = tr.getAttribute('data-case') === id ? 'selected' : '';
      }
      flushSync(() => setC(r.value));
      // Opened from the list above: bring the case into view (the list can be a screen long at 1366×768).
      const box = boxRef.current;
      if (box && typeof box.scrollIntoView === 'function') box.scrollIntoView({ block: 'start' });
    },
    [desk, say],
  );
  useImperativeHandle(ref, () => ({ open, close: () => setC(null) }), [open]);

  const afterAction = useCallback(
    async (done: CaseDetail, action: StaffCaseAction, status: string) => {
      // In the language of the moment (a switch redraws it), naming the case by its 受理编号.
      say({ words: (tt, lang) => actionDoneText(done, action, status, tt, lang) });
      await reloadCases();
      await open(done.id);
      // The form that had the focus is gone (the case moved on): the keyboard carries on from the title.
      document.getElementById('case-title')?.focus();
    },
    [open, reloadCases, say],
  );

  return (
    <section id="case-detail" className="card" hidden={c === null} aria-labelledby="case-title" ref={boxRef}>
      {c ? (
        <CaseBody
          // A fresh body (forms emptied) for each case and after each action.
          key={`${c.id}:${c.updatedAt}:${c.status}`}
          c={c}
          desk={desk}
          say={say}
          onDone={afterAction}
        />
      ) : null}
    </section>
  );
}

function CaseBody(props: {
  c: CaseDetail;
  desk: Desk;
  say: Say;
  onDone: (c: CaseDetail, action: StaffCaseAction, status: string) => Promise<void>;
}): ReactNode {
  const { t } = useDeskText();
  const { c, desk } = props;
  const tz = desk.state.timeZone;
  return (
    <>
      <h2 id="case-title" tabIndex={-1}>
        {t('detail.title')}{' '}
        <span className="mono" data-testid="case-receipt">
          {c.receiptNo ?? c.id}
        </span>
      </h2>
      <Facts c={c} desk={desk} tz={tz} />
      <h3>{t('detail.form')}</h3>
      <FormTable c={c} />
      <h3>{t('detail.others')}</h3>
      <FieldsTable c={c} tz={tz} />
      <h3>{t('detail.materials')}</h3>
      <Materials c={c} desk={desk} />
      <h3>{t('detail.history')}</h3>
      <History c={c} tz={tz} />
      <h3>{t('detail.handle')}</h3>
      <Actions c={c} desk={desk} onDone={props.onDone} />
      <h3>{t('detail.documents')}</h3>
      <CaseDocuments desk={desk} c={c} say={props.say} />
      <CaseFollowups desk={desk} caseId={c.id} />
    </>
  );
}

function Facts({ c, desk, tz }: { c: CaseDetail; desk: Desk; tz: string }): ReactNode {
  const { t, language } = useDeskText();
  const s = c.supervision;
  const deadline =
    s?.deadline ?? (s?.level === 'paused' ? t('detail.pausedSince', { since: s.pausedSince ?? '?' }) : '—');
  return (
    <dl className="facts">
      <dt>{t('detail.item')}</dt>
      <dd>
        {c.itemName ? inLanguage(c.itemName, language) : null} <span className="mono">{c.itemCode}</span>
      </dd>
      <dt>{t('detail.status')}</dt>
      <dd>
        <StatusText status={c.status} language={language} />
        {c.caseType === 'immediate' ? <small className="tag"> {t('detail.values.immediate')}</small> : null}
      </dd>
      {c.applicant ? (
        <>
          <dt>{t('detail.applicant')}</dt>
          <dd>
            <span data-testid="applicant-name">{c.applicant.name ?? '—'}</span>
          </dd>
          <dt>{t('detail.idNumber')}</dt>
          <dd>
            <span className="mono" data-testid="applicant-id">
              {c.applicant.idNumber ?? '—'}
            </span>
          </dd>
        </>
      ) : null}
      {c.helper ? (
        <>
          <dt>{t('detail.helper')}</dt>
          <dd>{`${c.helper.name ?? '—'} ${c.helper.idNumber ?? ''}`}</dd>
        </>
      ) : null}
      {c.applicant ? (
        <>
          <dt>{t('detail.full')}</dt>
          <dd>
            <Reveal c={c} desk={desk} />
          </dd>
        </>
      ) : null}
      <dt>{t('detail.received')}</dt>
      <dd>{formatTime(c.receivedAt, tz)}</dd>
      <dt>{t('detail.deadline')}</dt>
      <dd>
        {deadline} {s ? <LevelBadge level={s.level} language={language} /> : null}
      </dd>
      {s?.pausedWorkingDays ? (
        <>
          <dt>{t('detail.paused')}</dt>
          <dd>{t('detail.pausedDays', { n: s.pausedWorkingDays })}</dd>
        </>
      ) : null}
      <dt>{t('detail.kiosk')}</dt>
      <dd>
        <span className="mono">{c.kioskId}</span>
      </dd>
    </dl>
  );
}

/** 查看完整信息: the full name, ID number and phone, asked for and written to the audit log. */
function Reveal({ c, desk }: { c: CaseDetail; desk: Desk }): ReactNode {
  const { t, language } = useDeskText();
  const [shown, setShown] = useState<string | null>(null);
  const [asked, setAsked] = useState(false);
  const reveal = async (): Promise<void> => {
    const r = await desk.api.reveal(c.id);
    if (!r.ok) {
      setShown(problemWords(r.error, t, language));
      return;
    }
    const v = r.value;
    setAsked(true);
    setShown(
      [
        v.applicant ? `${v.applicant.name} ${v.applicant.idNumber}` : '',
        v.helper ? t('detail.revealedHelper', { name: v.helper.name, idNumber: v.helper.idNumber }) : '',
        v.phones.length > 0
          ? t('detail.revealedPhones', { phones: v.phones.join(t('detail.listSeparator')) })
          : '',
      ]
        .filter((x) => x !== '')
        .join(t('detail.partSeparator')),
    );
  };
  return (
    <span>
      {asked ? null : (
        <button type="button" className="quiet" data-reveal={c.id} onClick={() => void reveal()}>
          {t('detail.reveal')}
        </button>
      )}
      <span data-testid="revealed" aria-live="polite">
        {shown ?? ''}
      </span>
    </span>
  );
}

/** The application form: each field by its catalog label, a select's value by its option's label. */
function FormTable({ c }: { c: CaseDetail }): ReactNode {
  const { t, language } = useDeskText();
  return (
    <table className="grid" data-testid="case-form">
      <thead>
        <tr>
          <th scope="col">{t('detail.formField')}</th>
          <th scope="col">{t('detail.formValue')}</th>
        </tr>
      </thead>
      <tbody>
        {c.form.map((f) => {
          const label = formFieldLabel(f, t, language);
          return (
            <tr key={f.key} data-field={f.key} data-known={label.known ? undefined : 'false'}>
              <th scope="row">
                {label.text}
                {label.known ? null : (
                  <small className="not-in-form" title={f.key}>
                    {' '}
                    {t('detail.notInForm')}
                  </small>
                )}
              </th>
              <td>{f.valueLabel ? inLanguage(f.valueLabel, language) : f.value}</td>
            </tr>
          );
        })}
        {c.form.length === 0 ? (
          <tr>
            <td colSpan={2} className="empty">
              {t('detail.none')}
            </td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}

function FieldsTable({ c, tz }: { c: CaseDetail; tz: string }): ReactNode {
  const { t, language } = useDeskText();
  return (
    <table className="grid" data-testid="case-fields">
      <thead>
        <tr>
          <th scope="col">{t('detail.field')}</th>
          <th scope="col">{t('detail.value')}</th>
        </tr>
      </thead>
      <tbody>
        {c.fields
          .filter((x) => !x.path.startsWith('form.'))
          .map((f) => {
            const words = fieldWords(f.path);
            return (
              <tr key={f.path} data-path={f.path}>
                <td>
                  {words ? (
                    inLanguage(words, language)
                  ) : (
                    <>
                      {readableKey(f.path)}
                      <small className="not-in-form" title={f.path}>
                        {' '}
                        {t('detail.notInForm')}
                      </small>
                    </>
                  )}
                </td>
                <td>{fieldValueText(f.path, f.value, tz, t)}</td>
              </tr>
            );
          })}
      </tbody>
    </table>
  );
}

/** A material's pages: the application's first, then the supplements', each in scan order. */
export const pagesOf = (c: Pick<CaseDetail, 'attachments'>, code: string): Attachment[] =>
  c.attachments
    .filter((a) => a.materialCode === code)
    .sort((a, b) => (a.source === b.source ? a.position - b.position : a.source === 'application' ? -1 : 1));

/** Each material by its catalog name, its pages, and the viewer for them. */
function Materials({ c, desk }: { c: CaseDetail; desk: Desk }): ReactNode {
  const { t, language } = useDeskText();
  const [viewing, setViewing] = useState<string | null>(null);
  const load = useCallback((sha: string) => desk.api.document(c.id, sha), [desk, c.id]);
  return (
    <>
      <table className="grid" data-testid="case-attachments">
        <thead>
          <tr>
            <th scope="col">{t('detail.material')}</th>
            <th scope="col">{t('detail.pages')}</th>
            <th scope="col">{t('detail.supplement')}</th>
            <th scope="col">{t('detail.size')}</th>
            <th scope="col">
              <span className="sr-only">{t('detail.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {c.materials.map((code) => {
            const pages = pagesOf(c, code);
            const name = materialLabel(code, c.materialNames, language);
            return (
              <tr key={code} data-material={code}>
                <td>
                  {name}
                  {name === code ? null : <span className="mono code"> {code}</span>}
                </td>
                <td>{String(pages.length)}</td>
                <td>{pages.some((p) => p.source === 'supplement') ? t('detail.withSupplement') : '—'}</td>
                <td>{formatSize(pages.reduce((n, p) => n + p.size, 0))}</td>
                <td>
                  <button
                    type="button"
                    className="quiet"
                    data-view={code}
                    aria-label={t('detail.viewLabel', { name, count: pages.length })}
                    onClick={() => setViewing(code)}
                  >
                    {t('detail.view', { count: pages.length })}
                  </button>
                </td>
              </tr>
            );
          })}
          {c.materials.length === 0 ? (
            <tr>
              <td colSpan={5} className="empty">
                {t('detail.none')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {viewing !== null ? (
        <AttachmentViewer
          load={load}
          code={viewing}
          name={materialLabel(viewing, c.materialNames, language)}
          pages={pagesOf(c, viewing)}
          onClose={() => setViewing(null)}
        />
      ) : null}
    </>
  );
}

function History({ c, tz }: { c: CaseDetail; tz: string }): ReactNode {
  const { t, language } = useDeskText();
  if (c.events.length + c.supplements.length === 0) return <p className="hint">{t('detail.noHistory')}</p>;
  return (
    <ol className="history">
      {c.events.map((e, i) => (
        <li key={`e${i}`}>{caseEventLine(e, tz, c.materialNames, t, language)}</li>
      ))}
      {c.supplements.map((s) => (
        <li key={s.id}>
          {t('detail.supplementReceived', {
            at: formatTime(s.receivedAt, tz),
            list: s.materials
              .map((m) => materialLabel(m, c.materialNames, language))
              .join(t('detail.listSeparator')),
          })}
        </li>
      ))}
    </ol>
  );
}

function Actions(props: {
  c: CaseDetail;
  desk: Desk;
  onDone: (c: CaseDetail, action: StaffCaseAction, status: string) => Promise<void>;
}): ReactNode {
  const { t } = useDeskText();
  const byStatus = offeredCaseActions(props.c.status);
  // Only what this account's roles may do (the hall refuses the rest anyway).
  const offered = byStatus.filter((a) => props.desk.may(CASE_ACTION_PERMISSION[a]));
  return (
    <div className="actions">
      {offered.map((a) => (
        <ActionForm key={a} action={a} c={props.c} desk={props.desk} onDone={props.onDone} />
      ))}
      {byStatus.length === 0 ? (
        <p className="hint">{t('detail.closed')}</p>
      ) : offered.length === 0 ? (
        <p className="hint">{t('detail.noRole')}</p>
      ) : null}
    </div>
  );
}

/** The form's fields as the action reads them. */
const inputOf = (form: HTMLFormElement): ActionInput => {
  const data = new FormData(form);
  const text = (name: string) => {
    const v = data.get(name);
    return typeof v === 'string' ? v : '';
  };
  return {
    note: text('note'),
    reason: text('reason'),
    materials: data.getAll('material').filter((v): v is string => typeof v === 'string'),
    other: text('other'),
    result: text('result'),
    trackingNumber: text('trackingNumber'),
  };
};

/** What the confirmation dialog shows back before an action that cannot be taken back (null: none). */
function confirmation(
  c: CaseDetail,
  body: StaffAction,
  t: DeskText,
): {
  title: string;
  question: string;
  facts: { label: string; value: string }[];
  confirm: string;
  danger: boolean;
} | null {
  const receipt = caseLabel(c);
  if (body.action === 'refuse')
    return {
      title: t('dialog.refuseTitle'),
      question: t('dialog.refuseQuestion', { receipt }),
      facts: [{ label: t('dialog.reason'), value: body.reason }],
      confirm: t('dialog.refuseConfirm'),
      danger: true,
    };
  if (body.action === 'complete')
    return {
      title: t('dialog.completeTitle'),
      question: t('dialog.completeQuestion', { receipt }),
      facts: [
        { label: t('dialog.result'), value: body.result },
        { label: t('dialog.ems'), value: body.trackingNumber ?? t('dialog.noEms') },
      ],
      confirm: t('dialog.completeConfirm'),
      danger: false,
    };
  return null;
}

/**
 * One action's form: its fields in a fieldset named by the action, a submit button, an error line.
 * On submit it builds the request body (none: something required is missing), asks first for
 * 不予受理 and 办结, sends it with the button disabled, shows a refusal on the error line.
 */
function ActionForm(props: {
  action: StaffCaseAction;
  c: CaseDetail;
  desk: Desk;
  onDone: (c: CaseDetail, action: StaffCaseAction, status: string) => Promise<void>;
}): ReactNode {
  const { t, language } = useDeskText();
  const { action, c, desk } = props;
  const [error, setError] = useState<Problem | 'required' | null>(null);
  const [sending, setSending] = useState(false);
  const [asking, setAsking] = useState<StaffAction | null>(null);
  const id = useId();
  const words = inLanguage(STAFF_ACTION_LABELS[action], language);

  const send = async (body: StaffAction): Promise<void> => {
    setSending(true);
    try {
      const r = await desk.api.caseAction(c.id, body);
      if (!r.ok) {
        setError(r.error);
        return;
      }
      await props.onDone(c, action, r.value.status);
    } finally {
      setSending(false);
    }
  };
  const submit = (ev: FormEvent<HTMLFormElement>): void => {
    ev.preventDefault();
    const body = caseActionBody(action, inputOf(ev.currentTarget));
    if (body === null) {
      setError('required');
      return;
    }
    setError(null);
    if (confirmation(c, body, t)) setAsking(body);
    else void send(body);
  };
  const ask = asking ? confirmation(c, asking, t) : null;

  return (
    <form data-form={action} noValidate onSubmit={submit}>
      <fieldset>
        <legend>{words}</legend>
        <ActionFields action={action} c={c} id={id} />
        <button
          type="submit"
          className={action === 'refuse' ? 'danger' : ''}
          data-action={action}
          disabled={sending}
        >
          {words}
        </button>
        <p className="error" role="alert">
          {error === null
            ? ''
            : error === 'required'
              ? t('detail.required')
              : problemWords(error, t, language)}
        </p>
      </fieldset>
      {asking && ask ? (
        <ConfirmDialog
          {...ask}
          onAnswer={(yes) => {
            setAsking(null);
            if (yes) void send(asking);
          }}
        />
      ) : null}
    </form>
  );
}

function ActionFields({ action, c, id }: { action: StaffCaseAction; c: CaseDetail; id: string }): ReactNode {
  const { t, language } = useDeskText();
  switch (action) {
    case 'accept':
      return (
        <>
          <label htmlFor={`${id}-note`}>{t('detail.acceptNote')}</label>
          <input type="text" id={`${id}-note`} name="note" maxLength={500} />
        </>
      );
    case 'refuse':
      return (
        <>
          <label htmlFor={`${id}-reason`}>{t('detail.reason')}</label>
          <textarea id={`${id}-reason`} name="reason" required maxLength={500} />
        </>
      );
    case 'request-correction':
      return (
        <>
          <p className="hint">{t('detail.tick')}</p>
          <div className="checks" role="group" aria-label={t('detail.tickGroup')}>
            {c.materials.map((m) => (
              <label key={m} htmlFor={`${id}-mat-${m}`}>
                <input type="checkbox" id={`${id}-mat-${m}`} value={m} name="material" />
                {materialLabel(m, c.materialNames, language)}
              </label>
            ))}
            {c.materials.length === 0 ? <p className="hint">{t('detail.noScans')}</p> : null}
          </div>
          <label htmlFor={`${id}-other`}>{t('detail.other')}</label>
          <textarea id={`${id}-other`} name="other" placeholder={t('detail.otherHint')} />
          <label htmlFor={`${id}-cnote`}>{t('detail.correctionNote')}</label>
          <input type="text" id={`${id}-cnote`} name="note" maxLength={500} />
        </>
      );
    case 'complete':
      return (
        <>
          <label htmlFor={`${id}-result`}>{t('detail.result')}</label>
          <input
            type="text"
            id={`${id}-result`}
            name="result"
            required
            maxLength={500}
            placeholder={t('detail.resultHint')}
          />
          <label htmlFor={`${id}-ems`}>{t('detail.ems')}</label>
          <input type="text" id={`${id}-ems`} name="trackingNumber" maxLength={64} placeholder="EMS…" />
        </>
      );
    default: {
      const never: never = action;
      return never;
    }
  }
}
