/**
 * 文书: the documents a case's decisions give the resident (受理通知书, 补正告知书, 不予受理决定书),
 * offered on the case detail once the case has been through that decision. 打开 fetches the PDF
 * with the desk's credentials and opens it in a new tab, where staff print it; the tab is opened on
 * the click itself so no pop-up blocker stops it while the hall renders.
 */
import type { Localized } from '../../shared/catalog.js';
import type { CaseDocumentKind } from '../../shared/wire/desk-reports.js';
import type { CaseDetail } from '../case-detail.js';
import { problemText } from './api.js';
import type { Desk } from './desk.js';
import { bi, h, later } from './dom.js';

const DOCUMENTS = {
  acceptance: { zh: '受理通知书', en: 'Notice of acceptance' },
  correction: { zh: '补正告知书', en: 'Notice to supply materials' },
  refusal: { zh: '不予受理决定书', en: 'Decision not to accept' },
} as const satisfies Record<CaseDocumentKind, Localized>;

/** The documents this case has: the decision was taken (补正 and 受理 stay), 不予受理 while refused. */
export function caseDocuments(c: Pick<CaseDetail, 'status' | 'events'>): CaseDocumentKind[] {
  const did = (action: string) => c.events.some((e) => e.action === action);
  return (Object.keys(DOCUMENTS) as CaseDocumentKind[]).filter((kind) => {
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
    const a = h('a', { href: url, download: name, hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  // Long enough for the tab or the download to read it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function documentsSection(desk: Desk, c: CaseDetail): HTMLElement {
  const kinds = caseDocuments(c);
  if (kinds.length === 0)
    return h('p', { className: 'hint' }, bi({ zh: '尚无可出具的文书', en: 'No documents yet' }));
  return h(
    'div',
    { className: 'documents', 'data-testid': 'case-documents' },
    kinds.map((kind) => {
      const button = h(
        'button',
        { type: 'button', className: 'quiet', 'data-document': kind },
        `打开${DOCUMENTS[kind].zh} `,
        h('small', { lang: 'en' }, `Open ${DOCUMENTS[kind].en} (PDF)`),
      );
      button.addEventListener(
        'click',
        later(async () => {
          const win = window.open('', '_blank');
          button.disabled = true;
          desk.say(`正在生成${DOCUMENTS[kind].zh}… (rendering)`);
          const r = await desk.api.file(`/v1/staff/cases/${encodeURIComponent(c.id)}/documents/${kind}.pdf`);
          button.disabled = false;
          if (!r.ok) {
            win?.close();
            if (r.error.kind !== 'unauthenticated') desk.say(problemText(r.error), true);
            return;
          }
          desk.say(`已打开${DOCUMENTS[kind].zh}，可在新标签页中打印 (opened in a new tab to print)`);
          showFile(r.value, `${kind}-${c.id}.pdf`, win);
        }),
      );
      return button;
    }),
  );
}
