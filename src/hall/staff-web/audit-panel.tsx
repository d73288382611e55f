/**
 * 审计日志 (React): the hall's audit log for 督查 (GET /v1/staff/audit, their jurisdictions; the
 * whole hall for 管理员) — who did what, when, from where — newest first, 50 at a time with 更早的记录
 * for older ones.
 */
import { useCallback, useImperativeHandle, useRef, useState, type ReactNode, type Ref } from 'react';
import { ok } from '../../shared/result.js';
import type { StaffAuditEntry } from '../../shared/wire/staff.js';
import type { Answer } from './api.js';
import { problemMessage } from './case-detail-text.js';
import type { Desk } from './desk.js';
import { useDeskText } from './desk-i18n.js';
import type { ReloadHandle } from './fleet-panel.js';
import { formatTime } from './format.js';
import { GridTable } from './panel-parts.js';
import { auditActionKey, auditDetailText } from './panels-text.js';

export function AuditPanel(props: { ref: Ref<ReloadHandle>; desk: Desk }): ReactNode {
  const { desk } = props;
  const { ref } = props;
  const { t } = useDeskText();
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
      <GridTable
        id="audit"
        caption={t('audit.caption')}
        columns={[
          t('audit.when'),
          t('audit.who'),
          t('audit.what'),
          t('audit.case'),
          t('audit.jurisdiction'),
          t('audit.address'),
          t('audit.detail'),
        ]}
        empty={entries && entries.length === 0 ? t('audit.none') : null}
      >
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
      </GridTable>
      <div className="toolbar">
        <button
          type="button"
          id="audit-more"
          className="quiet"
          hidden={next === null}
          onClick={() => {
            void load(true).then((r) => {
              if (!r.ok && r.error.kind !== 'unauthenticated') desk.say(problemMessage(r.error), true);
            });
          }}
        >
          {t('audit.older')}
        </button>
      </div>
    </>
  );
}
