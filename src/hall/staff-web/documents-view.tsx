/**
 * 文书: the documents a case's decisions give the resident (受理通知书, 补正告知书, 不予受理决定书),
 * offered on the case detail once the case has been through that decision. 打开 fetches the PDF
 * with the desk's credentials and opens it in a new tab, where staff print it; the tab is opened on
 * the click itself so no pop-up blocker stops it while the hall renders.
 */
import { useState, type ReactNode } from 'react';
import type { CaseDocumentKind } from '../../shared/wire/desk-reports.js';
import type { CaseDetail } from '../case-detail.js';
import { problemWords } from './case-detail-text.js';
import type { Desk, Say } from './desk.js';
import { useDeskText } from './desk-i18n.js';

const DOCUMENT_KINDS = ['acceptance', 'correction', 'refusal'] as const satisfies readonly CaseDocumentKind[];

/** The documents this case has: the decision was taken (补正 and 受理 stay), 不予受理 while refused. */
export function caseDocuments(c: Pick<CaseDetail, 'status' | 'events'>): CaseDocumentKind[] {
  const did = (action: string) => c.events.some((e) => e.action === action);
  return DOCUMENT_KINDS.filter((kind) => {
    switch (kind) {
      case 'acceptance':
        return did('accept');
      case 'correction':
        return did('request-correction');
      case 'refusal':
        return c.status === 'refused' && did('refuse');
      default: {
        const never: never = kind;
        return never;
      }
    }
  });
}

/** A blob as a file: opened in `win` when there is one, else saved. */
export function showFile(blob: Blob, name: string, win: Window | null): void {
  const url = URL.createObjectURL(blob);
  if (win && !win.closed) win.location.href = url;
  else {
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  // Long enough for the tab or the download to read it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function CaseDocuments(props: { desk: Desk; c: CaseDetail; say: Say }): ReactNode {
  const { t } = useDeskText();
  const { desk, c, say } = props;
  const [busy, setBusy] = useState<CaseDocumentKind | null>(null);
  const kinds = caseDocuments(c);
  if (kinds.length === 0) return <p className="hint">{t('detail.noDocuments')}</p>;
  const open = async (kind: CaseDocumentKind): Promise<void> => {
    const win = window.open('', '_blank');
    const name = `detail.doc.${kind}` as const;
    setBusy(kind);
    say({ words: (tt) => tt('detail.rendering', { name: tt(name) }) });
    const r = await desk.api.file(`/v1/staff/cases/${encodeURIComponent(c.id)}/documents/${kind}.pdf`);
    setBusy(null);
    if (!r.ok) {
      win?.close();
      const p = r.error;
      if (p.kind !== 'unauthenticated') say({ words: (tt, lang) => problemWords(p, tt, lang) }, true);
      return;
    }
    say({ words: (tt) => tt('detail.opened', { name: tt(name) }) });
    showFile(r.value, `${kind}-${c.receiptNo ?? c.id}.pdf`, win);
  };
  return (
    <div className="documents" data-testid="case-documents">
      {kinds.map((kind) => (
        <button
          key={kind}
          type="button"
          className="quiet"
          data-document={kind}
          disabled={busy === kind}
          onClick={() => void open(kind)}
        >
          {t('detail.openDocument', { name: t(`detail.doc.${kind}`) })}
        </button>
      ))}
    </div>
  );
}
