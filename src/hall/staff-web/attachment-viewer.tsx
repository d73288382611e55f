/**
 * The attachment viewer: the scanned pages of one material of a case, fetched through the hall's
 * authorised blob route (each view on the audit log) and shown from blob: URLs — the page never
 * holds a public address of a document. Zoom, rotate and next/previous by buttons or keys
 * (← → PageUp PageDown, + −, R, 0 to reset; Esc closes), in an accessible modal (modal.tsx).
 */
import { useCallback, useEffect, useReducer, useState, type ReactNode } from 'react';
import type { Attachment } from '../case-detail.js';
import type { Answer, Problem } from './api.js';
import { problemWords } from './case-detail-text.js';
import { useDeskText } from './desk-i18n.js';
import { Modal } from './modal.js';

export const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;
const ZOOM_100 = 2;

/** Where the viewer is: which page, which zoom step (an index into ZOOMS), how far turned. */
export type ViewerState = { index: number; zoom: number; rotation: number };
export type ViewerMove = 'prev' | 'next' | 'zoom-in' | 'zoom-out' | 'rotate' | 'reset';

export const VIEWER_START: ViewerState = { index: 0, zoom: ZOOM_100, rotation: 0 };

/** One step of the viewer, bounded by the pages and zoom steps there are (pure, unit-tested). */
export function viewerStep(s: ViewerState, move: ViewerMove, pages: number): ViewerState {
  const clamp = (n: number, max: number) => Math.min(max, Math.max(0, n));
  switch (move) {
    case 'prev':
      return { ...s, index: clamp(s.index - 1, pages - 1) };
    case 'next':
      return { ...s, index: clamp(s.index + 1, pages - 1) };
    case 'zoom-in':
      return { ...s, zoom: clamp(s.zoom + 1, ZOOMS.length - 1) };
    case 'zoom-out':
      return { ...s, zoom: clamp(s.zoom - 1, ZOOMS.length - 1) };
    case 'rotate':
      return { ...s, rotation: (s.rotation + 90) % 360 };
    case 'reset':
      return { ...s, zoom: ZOOM_100, rotation: 0 };
    default: {
      const never: never = move;
      return never;
    }
  }
}

/** The viewer's keys (no modifier): what each one does. */
export const VIEWER_KEYS: Readonly<Record<string, ViewerMove>> = {
  ArrowLeft: 'prev',
  PageUp: 'prev',
  ArrowRight: 'next',
  PageDown: 'next',
  '+': 'zoom-in',
  '=': 'zoom-in',
  '-': 'zoom-out',
  r: 'rotate',
  R: 'rotate',
  '0': 'reset',
};

/** What is on the stage for the page `index` (another index: that page is still loading). */
type Shown = { index: number } & (
  { kind: 'failed'; problem: Problem } | { kind: 'image' | 'pdf'; url: string }
);

export function AttachmentViewer(props: {
  /** GET /v1/staff/cases/{id}/blobs/{sha256} as a Blob. */
  load: (sha256: string) => Promise<Answer<Blob>>;
  code: string;
  /** The material's name in the language shown (its code when the catalog does not know it). */
  name: string;
  pages: readonly Attachment[];
  onClose: () => void;
}): ReactNode {
  const { t, language } = useDeskText();
  const { pages, load } = props;
  const [s, move] = useReducer(
    (state: ViewerState, m: ViewerMove) => viewerStep(state, m, pages.length),
    VIEWER_START,
  );
  const [loaded, setShown] = useState<Shown | null>(null);
  const page = pages[s.index];

  useEffect(() => {
    if (!page) return undefined;
    let live = true;
    let url: string | null = null;
    const index = s.index;
    void load(page.sha256).then((r) => {
      if (!live) return;
      if (!r.ok) {
        setShown({ index, kind: 'failed', problem: r.error });
        return;
      }
      url = URL.createObjectURL(r.value);
      setShown({ index, kind: page.mime === 'application/pdf' ? 'pdf' : 'image', url });
    });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [page, load, s.index]);

  const onKey = useCallback((ev: KeyboardEvent) => {
    const target = ev.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
    const m = VIEWER_KEYS[ev.key];
    if (m && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
      ev.preventDefault();
      move(m);
    }
  }, []);

  const zoom = ZOOMS[s.zoom] ?? 1;
  const shown = loaded !== null && loaded.index === s.index ? loaded : null;
  const tool = (m: ViewerMove, key: string, label: string, disabled = false): ReactNode => (
    <button
      type="button"
      className="quiet"
      aria-keyshortcuts={key}
      data-viewer={m}
      disabled={disabled}
      onClick={() => move(m)}
    >
      {label}
    </button>
  );
  return (
    <Modal
      title={t('viewer.title', { name: props.name })}
      className="viewer"
      onClose={props.onClose}
      onKey={onKey}
    >
      <div className="viewer-tools" role="toolbar" aria-label={t('viewer.tools')}>
        {tool('prev', 'ArrowLeft', t('viewer.prev'), s.index === 0)}
        <span className="viewer-counter" aria-live="polite" data-testid="viewer-counter">
          {t('viewer.counter', { n: s.index + 1, total: pages.length })}
        </span>
        {tool('next', 'ArrowRight', t('viewer.next'), s.index >= pages.length - 1)}
        {tool('zoom-out', '-', t('viewer.zoomOut'), s.zoom === 0)}
        <span className="viewer-zoom" data-testid="viewer-zoom">
          {`${Math.round(zoom * 100)}%`}
        </span>
        {tool('zoom-in', '+', t('viewer.zoomIn'), s.zoom === ZOOMS.length - 1)}
        {tool('rotate', 'R', t('viewer.rotate'))}
        {tool('reset', '0', t('viewer.reset'))}
        <button
          type="button"
          className="quiet"
          aria-keyshortcuts="Escape"
          data-viewer="close"
          onClick={props.onClose}
        >
          {t('viewer.close')}
        </button>
      </div>
      <p className="hint viewer-keys">{t('viewer.keys')}</p>
      <div className="viewer-stage" data-testid="viewer-stage">
        {shown === null ? <p className="hint">{t('viewer.loading')}</p> : null}
        {shown?.kind === 'failed' ? (
          <p className="error" role="alert">
            {problemWords(shown.problem, t, language)}
          </p>
        ) : null}
        {shown?.kind === 'pdf' ? (
          <a href={shown.url} download={`${props.code}-${shown.index + 1}.pdf`} className="button">
            {t('viewer.pdf')}
          </a>
        ) : null}
        {shown?.kind === 'image' ? (
          <img
            src={shown.url}
            alt={t('viewer.alt', { name: props.name, n: shown.index + 1 })}
            data-testid="viewer-image"
            data-rotation={s.rotation}
            // Set through the CSSOM (allowed by the page's CSP, unlike a style attribute in markup).
            style={{ transform: `rotate(${s.rotation}deg) scale(${zoom})` }}
          />
        ) : null}
      </div>
    </Modal>
  );
}
