/**
 * 审计日志 (React): the hall's audit log for 督查 (GET /v1/staff/audit, their jurisdictions; the
 * whole hall for 管理员) — who did what, when, from where — newest first, 50 at a time with 更早的记录
 * for older ones.
 */
import { useCallback, useImperativeHandle, useRef, useState, type ReactNode, type Ref } from 'react';
import { ok } from '../../shared/result.js';
import type { StaffAuditEntry } from '../../shared/wire/staff.js';
import type { Answer } from './api.js';
import { problemWords } from './case-detail-text.js';
import type { Desk } from './desk.js';
import { useDeskText } from './desk-i18n.js';
import type { ReloadHandle } from './fleet-panel.js';
import { formatTime } from './format.js';
import { auditActionKey, auditDetailText } from './panels-text.js';

export function AuditPanel(props: { ref: Ref<ReloadHandle>; desk: Desk }): ReactNode {
  const { desk } = props;
  const { ref } = props;
  const { t, language } = useDeskText();
  const [entries, setEntries] = useState<StaffAuditEntry[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const nextRef = useRef<number | null>(null);

  const load = useCallback(
    async (more: boolean): Promise<Answer<void>> => {
      const r = await desk.api.audit(more && nextRef.current !== null ? nextRef.current : undefined);
      if (!r.ok) return r;
      nextRef.current = r.value.next;
      setNext(r.value.next);
      setEntries((old) => (more ? [...(old ?? []), ...r.value.entries] : r.value.entries));
      return ok(undefined);
    },
    [desk],
  );
  useImperativeHandle(ref, () => ({ reload: () => load(false) }), [load]);

  const tz = desk.state.timeZone;
  return (
    <>
      <div className="table-scroll">
        <table id="audit" className="grid">
          <caption>{t('audit.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.when')}</th>
              <th scope="col">{t('audit.who')}</th>
              <th scope="col">{t('audit.what')}</th>
              <th scope="col">{t('audit.case')}</th>
              <th scope="col">{t('audit.jurisdiction')}</th>
              <th scope="col">{t('audit.address')}</th>
              <th scope="col">{t('audit.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {entries && entries.length === 0 ? (
              <tr>
                <td colSpan={7} className="empty">
                  {t('audit.none')}
                </td>
              </tr>
            ) : null}
            {(entries ?? []).map((e) => {
              const key = auditActionKey(e.action);
              return (
                <tr key={e.id} data-action={e.action}>
                  <td>{formatTime(e.at, tz)}</td>
                  <td>{e.actor}</td>
                  <td>{key ? t(key) : <span className="mono">{e.action}</span>}</td>
                  <td className="mono">{e.caseId ? e.caseId.slice(0, 8) : '—'}</td>
                  <td>{e.jurisdiction ?? '—'}</td>
                  <td className="mono">{e.address ?? '—'}</td>
                  <td className="detail">{auditDetailText(e.detail) || '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="toolbar">
        <button
          type="button"
          id="audit-more"
          className="quiet"
          hidden={next === null}
          onClick={() => {
            void load(true).then((r) => {
              if (!r.ok && r.error.kind !== 'unauthenticated')
                desk.say(problemWords(r.error, t, language), true);
            });
          }}
        >
          {t('audit.older')}
        </button>
      </div>
    </>
  );
}
