/**
 * 办件列表 (React): the jurisdiction's cases from GET /v1/staff/case-list — 受理编号, applicant
 * (masked), item, window, case type, status, received time, promised date with the 电子监察 light,
 * kiosk — with a search (受理编号 / name / ID number / phone, exact), filters (status, window, item,
 * light, received dates, mine / unassigned), sortable received and promised columns, and keyset
 * paging; the 电子监察 tiles above it. Closed cases (办结 / 不予受理) are out of the default view:
 * choose them in 状态. Words from the desk's copy (desk-zh-cn.ts / desk-en.ts), catalog names in
 * the language shown.
 *
 * The desk reloads it through the handle (`reload`) after an action or a live event; a reload
 * resolves once the new rows are on the page, so the live view can mark them.
 */
import { useCallback, useImperativeHandle, useRef, useState, type ReactNode, type Ref } from 'react';
import { flushSync } from 'react-dom';
import { CASE_LIGHTS, HALL_CASE_STATUSES } from '../../shared/case-status.js';
import { ok } from '../../shared/result.js';
// Types only: the wire module holds zod schemas, which stay out of the page's bundle.
import type { CaseListPage, CaseListRow, CaseListSummary } from '../../shared/wire/staff.js';
import type { CaseLevel } from '../supervision.js';
import type { Answer } from './api.js';
import { problemMessage } from './case-detail-text.js';
import { setDeskTimeZone, type Desk } from './desk.js';
import { inLanguage, useDeskText, type DeskLanguage } from './desk-i18n.js';
import { formatTime, LEVEL_LIGHTS, statusWords, SUMMARY_LEVELS } from './format.js';

const PAGE_SIZE = 20;

type Sort = { by: 'received' | 'promised'; dir: 'asc' | 'desc' };
type Paging = {
  sort: Sort;
  /** Cursors of the pages before the one shown (the first page has none). */
  back: (string | null)[];
  cursor: string | null;
  next: string | null;
};
type Shown = { rows: readonly CaseListRow[]; pageNo: number; hasPrev: boolean; hasNext: boolean; sort: Sort };

export type CaseListHandle = {
  /** Loads the page again (`restart`: from the first page, as a new search does). */
  reload(restart: boolean): Promise<Answer<void>>;
};

/** A 电子监察 light as a badge: words, colour and a symbol. */
export function LevelBadge({ level, language }: { level: CaseLevel; language: DeskLanguage }): ReactNode {
  const light = LEVEL_LIGHTS[level];
  return (
    <span className={`badge lv-${level}`} data-icon={light.icon} data-level={level}>
      {inLanguage(light.words, language)}
    </span>
  );
}

/** A case status in the contract's words, tagged with the status for tests and styles. */
export function StatusText({ status, language }: { status: string; language: DeskLanguage }): ReactNode {
  return (
    <span className="st" data-status={status}>
      {inLanguage(statusWords(status), language)}
    </span>
  );
}

/** The query the tool bar asks for now. */
function queryOf(form: HTMLFormElement | null, paging: Paging): URLSearchParams {
  const q = new URLSearchParams();
  const val = (name: string): string => {
    const el = form?.elements.namedItem(name);
    return el instanceof HTMLInputElement || el instanceof HTMLSelectElement ? el.value.trim() : '';
  };
  const term = val('q');
  if (term) q.set('q', term);
  const status = val('f-status');
  if (status === '*') q.set('status', HALL_CASE_STATUSES.join(','));
  else if (status) q.set('status', status);
  for (const [id, name] of [
    ['f-window', 'window'],
    ['f-item', 'item'],
    ['f-light', 'light'],
    ['f-from', 'from'],
    ['f-to', 'to'],
    ['f-view', 'view'],
  ] as const) {
    const v = val(id);
    if (v && !(name === 'view' && v === 'all')) q.set(name, v);
  }
  q.set('sort', paging.sort.by);
  q.set('dir', paging.sort.dir);
  q.set('limit', String(PAGE_SIZE));
  if (paging.cursor) q.set('cursor', paging.cursor);
  return q;
}

export function CaseList({
  ref,
  desk,
  onOpen,
}: {
  ref: Ref<CaseListHandle>;
  desk: Desk;
  onOpen: (id: string) => Promise<void>;
}): ReactNode {
  const { t, language } = useDeskText();
  const formRef = useRef<HTMLFormElement>(null);
  const paging = useRef<Paging>({
    sort: { by: 'received', dir: 'desc' },
    back: [],
    cursor: null,
    next: null,
  });
  const choicesRef = useRef<CaseListPage['choices'] | null>(null);
  const [choices, setChoices] = useState<CaseListPage['choices'] | null>(null);
  const [summary, setSummary] = useState<CaseListSummary['summary'] | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);

  const load = useCallback(
    async (restart: boolean): Promise<Answer<void>> => {
      const p = paging.current;
      if (restart) {
        p.back = [];
        p.cursor = null;
      }
      const [supervision, first] = await Promise.all([
        // The tiles' counts only (not the full supervision report of every case).
        desk.api.caseListSummary(),
        choicesRef.current ? Promise.resolve(null) : desk.api.caseList(new URLSearchParams({ limit: '1' })),
      ]);
      if (!supervision.ok) return supervision;
      if (first && !first.ok) return first;
      setDeskTimeZone(desk, supervision.value.timeZone);
      if (first) {
        choicesRef.current = first.value.choices;
        // The tool bar first, so the query below reads its (default) values.
        flushSync(() => setChoices(first.value.choices));
      }
      const page = await desk.api.caseList(queryOf(formRef.current, p));
      if (!page.ok) return page;
      p.next = page.value.next;
      // On the page before this resolves: the live desk marks the rows it flagged.
      flushSync(() => {
        setSummary(supervision.value.summary);
        setShown({
          rows: page.value.rows,
          // The pages before this one are on the back stack: this is page back.length + 1.
          pageNo: p.back.length + 1,
          hasPrev: p.back.length > 0,
          hasNext: p.next !== null,
          sort: p.sort,
        });
      });
      return ok(undefined);
    },
    [desk],
  );
  useImperativeHandle(ref, () => ({ reload: load }), [load]);

  const reportProblem = (r: Answer<void>): void => {
    // A 401 has already signed the desk out and said so.
    if (!r.ok && r.error.kind !== 'unauthenticated')
      desk.say(problemMessage(r.error, 'status.refreshFailed'), true);
  };
  const reload = (restart: boolean): void => {
    void load(restart).then(reportProblem);
  };
  const sortBy = (by: Sort['by']): void => {
    const s = paging.current.sort;
    paging.current.sort = {
      by,
      dir: s.by === by ? (s.dir === 'asc' ? 'desc' : 'asc') : by === 'promised' ? 'asc' : 'desc',
    };
    reload(true);
  };
  const ariaSort = (by: Sort['by']) =>
    shown?.sort.by === by ? (shown.sort.dir === 'asc' ? 'ascending' : 'descending') : undefined;
  const tz = desk.state.timeZone;

  return (
    <>
      <div id="supervision-summary" className="summary" role="group" aria-label={t('cases.supervision')}>
        {summary
          ? SUMMARY_LEVELS.map((level) => (
              <div key={level} className="tile" data-testid={`summary-${level}`}>
                <b>{String(summary[level] ?? 0)}</b>
                <LevelBadge level={level} language={language} />
              </div>
            ))
          : null}
      </div>
      <div id="case-list">
        {choices ? (
          <>
            <form
              ref={formRef}
              id="case-filters"
              className="list-tools"
              role="search"
              aria-label={t('cases.find')}
              onSubmit={(ev) => {
                ev.preventDefault();
                reload(true);
              }}
              onReset={() => setTimeout(() => reload(true), 0)}
            >
              <div className="tool wide">
                <label htmlFor="case-search">{t('cases.search')}</label>
                <input
                  id="case-search"
                  type="search"
                  name="q"
                  maxLength={64}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={t('cases.searchHint')}
                />
              </div>
              <Select id="f-status" label={t('cases.status')} onChange={() => reload(true)}>
                <option value="">{t('cases.statusOpen')}</option>
                <option value="*">{t('cases.statusAll')}</option>
                {HALL_CASE_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {inLanguage(statusWords(s), language)}
                  </option>
                ))}
              </Select>
              <Select id="f-window" label={t('cases.window')} onChange={() => reload(true)}>
                <option value="">{t('cases.windowAll')}</option>
                {choices.windows.map((x) => (
                  <option key={x.code} value={x.code}>
                    {inLanguage(x.name, language)}
                  </option>
                ))}
              </Select>
              <Select id="f-item" label={t('cases.item')} onChange={() => reload(true)}>
                <option value="">{t('cases.itemAll')}</option>
                {choices.items.map((x) => (
                  <option key={x.code} value={x.code}>
                    {inLanguage(x.name, language)}
                  </option>
                ))}
              </Select>
              <Select id="f-light" label={t('cases.light')} onChange={() => reload(true)}>
                <option value="">{t('cases.all')}</option>
                {CASE_LIGHTS.map((l) => (
                  <option key={l} value={l}>
                    {inLanguage(LEVEL_LIGHTS[l].words, language)}
                  </option>
                ))}
              </Select>
              <div className="tool">
                <label htmlFor="f-from">{t('cases.from')}</label>
                <input id="f-from" type="date" name="f-from" />
              </div>
              <div className="tool">
                <label htmlFor="f-to">{t('cases.to')}</label>
                <input id="f-to" type="date" name="f-to" />
              </div>
              <Select id="f-view" label={t('cases.assigned')} onChange={() => reload(true)}>
                <option value="all">{t('cases.all')}</option>
                <option value="mine">{t('cases.mine')}</option>
                <option value="unassigned">{t('cases.unassigned')}</option>
              </Select>
              <div className="tool buttons">
                <button type="submit" id="case-search-go">
                  {t('cases.go')}
                </button>
                <button type="reset" className="quiet" id="case-search-reset">
                  {t('cases.reset')}
                </button>
              </div>
            </form>
            <div className="table-scroll">
              <table id="cases" className="grid cases">
                <caption>{t('cases.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('cases.receiptNo')}</th>
                    <th scope="col">{t('cases.applicant')}</th>
                    <th scope="col">{t('cases.item')}</th>
                    <th scope="col">{t('cases.window')}</th>
                    <th scope="col">{t('cases.status')}</th>
                    <th scope="col" data-col="received" aria-sort={ariaSort('received')}>
                      <button
                        type="button"
                        className="sort"
                        data-sort="received"
                        onClick={() => sortBy('received')}
                      >
                        {t('cases.received')}
                      </button>
                    </th>
                    <th scope="col" data-col="promised" aria-sort={ariaSort('promised')}>
                      <button
                        type="button"
                        className="sort"
                        data-sort="promised"
                        onClick={() => sortBy('promised')}
                      >
                        {t('cases.promised')}
                      </button>
                    </th>
                    <th scope="col">{t('cases.kiosk')}</th>
                    <th scope="col">
                      <span className="sr-only">{t('cases.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown && shown.rows.length === 0 ? (
                    <tr>
                      <td colSpan={9} className="empty">
                        {t('cases.none')}
                      </td>
                    </tr>
                  ) : null}
                  {(shown?.rows ?? []).map((c) => (
                    <Row key={c.id} c={c} tz={tz} desk={desk} language={language} onOpen={onOpen} />
                  ))}
                </tbody>
              </table>
            </div>
            <nav className="pager" aria-label={t('cases.pages')}>
              <button
                type="button"
                id="page-prev"
                className="quiet"
                disabled={!shown?.hasPrev}
                onClick={() => {
                  paging.current.cursor = paging.current.back.pop() ?? null;
                  reload(false);
                }}
              >
                {t('cases.prev')}
              </button>
              <span id="page-no" aria-live="polite">
                {shown ? t('cases.pageNo', { n: shown.pageNo }) : ''}
              </span>
              <button
                type="button"
                id="page-next"
                className="quiet"
                disabled={!shown?.hasNext}
                onClick={() => {
                  const p = paging.current;
                  if (p.next === null) return;
                  p.back.push(p.cursor);
                  p.cursor = p.next;
                  reload(false);
                }}
              >
                {t('cases.next')}
              </button>
            </nav>
          </>
        ) : null}
      </div>
    </>
  );
}

function Select(props: { id: string; label: string; onChange: () => void; children: ReactNode }): ReactNode {
  return (
    <div className="tool">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} name={props.id} onChange={props.onChange}>
        {props.children}
      </select>
    </div>
  );
}

function Row(props: {
  c: CaseListRow;
  tz: string;
  desk: Desk;
  language: DeskLanguage;
  onOpen: (id: string) => Promise<void>;
}): ReactNode {
  const { c, tz, language } = props;
  const { t } = useDeskText();
  const label = c.receiptNo ?? c.id.slice(0, 8);
  return (
    <tr data-case={c.id} className={props.desk.state.selectedCase === c.id ? 'selected' : undefined}>
      <td className="mono" data-testid="receipt-no">
        {label}
      </td>
      <td>{c.applicant ?? '—'}</td>
      <td title={c.itemCode}>
        {c.itemName ? inLanguage(c.itemName, language) : <span className="mono">{c.itemCode}</span>}
      </td>
      <td>{c.windowName ? inLanguage(c.windowName, language) : (c.window ?? '—')}</td>
      <td>
        <StatusText status={c.status} language={language} />
        {c.caseType === 'immediate' ? <small className="tag"> {t('cases.immediate')}</small> : null}
      </td>
      <td>{formatTime(c.receivedAt, tz)}</td>
      <td>
        {c.deadline ?? '—'} <LevelBadge level={c.light} language={language} />
      </td>
      <td className="mono">{c.kioskId}</td>
      <td>
        <button
          type="button"
          className="quiet"
          data-open={c.id}
          aria-label={t('cases.openCase', { label })}
          onClick={() => void props.onOpen(c.id)}
        >
          {t('cases.open')}
        </button>
      </td>
    </tr>
  );
}
