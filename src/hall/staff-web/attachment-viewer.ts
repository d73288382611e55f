/**
 * The attachment viewer: the scanned pages of one material of a case, fetched through the hall's
 * authorised blob route (each view on the audit log) and shown from blob: URLs — the page never
 * holds a public address of a document. Zoom, rotate and next/previous by buttons or keys
 * (← → PageUp PageDown, + −, R, 0 to reset; Esc closes), in an accessible modal.
 */
import type { Localized } from '../../shared/catalog.js';
import type { Attachment } from '../case-detail.js';
import { problemText, type Answer } from './api.js';
import { bi, clear, h } from './dom.js';
import { openModal } from './modal.js';

export type ViewerDeps = {
  /** GET /v1/staff/cases/{id}/blobs/{sha256} as a Blob. */
  load: (sha256: string) => Promise<Answer<Blob>>;
};

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;
const w = (zh: string, en: string): Localized => ({ zh, en });

export function openViewer(
  deps: ViewerDeps,
  material: { code: string; name: Localized | null },
  pages: readonly Attachment[],
): void {
  let index = 0;
  let zoom = 2; // index into ZOOMS: 100 %
  let rotation = 0;
  let url: string | null = null;
  let generation = 0;
  const title = material.name ?? w(material.code, material.code);
  const counter = h('span', {
    className: 'viewer-counter',
    'aria-live': 'polite',
    'data-testid': 'viewer-counter',
  });
  const stage = h('div', { className: 'viewer-stage', 'data-testid': 'viewer-stage' });
  const button = (words: Localized, key: string, act: () => void, testid: string) => {
    const b = h(
      'button',
      { type: 'button', className: 'quiet', 'aria-keyshortcuts': key, 'data-viewer': testid },
      bi(words),
    );
    b.addEventListener('click', act);
    return b;
  };
  const prev = button(w('上一页', 'Previous'), 'ArrowLeft', () => go(-1), 'prev');
  const next = button(w('下一页', 'Next'), 'ArrowRight', () => go(1), 'next');
  const zoomOut = button(w('缩小', 'Zoom out'), '-', () => setZoom(-1), 'zoom-out');
  const zoomIn = button(w('放大', 'Zoom in'), '+', () => setZoom(1), 'zoom-in');
  const rotate = button(w('旋转', 'Rotate'), 'R', () => turn(), 'rotate');
  const zoomText = h('span', { className: 'viewer-zoom', 'data-testid': 'viewer-zoom' });
  const closeButton = button(w('关闭', 'Close'), 'Escape', () => modal.close(), 'close');

  const transform = () => {
    const img = stage.querySelector('img');
    // Set through the CSSOM (allowed by the page's CSP, unlike a style attribute).
    if (img) img.style.transform = `rotate(${rotation}deg) scale(${ZOOMS[zoom]})`;
    if (img) img.setAttribute('data-rotation', String(rotation));
    zoomText.textContent = `${Math.round((ZOOMS[zoom] ?? 1) * 100)}%`;
  };
  const setZoom = (d: number) => {
    zoom = Math.min(ZOOMS.length - 1, Math.max(0, zoom + d));
    transform();
  };
  const turn = () => {
    rotation = (rotation + 90) % 360;
    transform();
  };
  const go = (d: number) => {
    const to = Math.min(pages.length - 1, Math.max(0, index + d));
    if (to === index) return;
    index = to;
    void show();
  };

  async function show(): Promise<void> {
    const mine = (generation += 1);
    const page = pages[index];
    if (!page) return;
    counter.textContent = `第 ${index + 1} / ${pages.length} 页 (page ${index + 1} of ${pages.length})`;
    prev.disabled = index === 0;
    next.disabled = index === pages.length - 1;
    clear(stage);
    stage.appendChild(h('p', { className: 'hint' }, bi(w('正在加载…', 'Loading…'))));
    const r = await deps.load(page.sha256);
    if (mine !== generation) return;
    clear(stage);
    if (url) URL.revokeObjectURL(url);
    url = null;
    if (!r.ok) {
      stage.appendChild(h('p', { className: 'error', role: 'alert' }, problemText(r.error)));
      return;
    }
    url = URL.createObjectURL(r.value);
    if (page.mime === 'application/pdf') {
      stage.appendChild(
        h(
          'a',
          { href: url, download: `${material.code}-${index + 1}.pdf`, className: 'button' },
          bi(w('下载 PDF 查看', 'Download the PDF')),
        ),
      );
    } else {
      stage.appendChild(
        h('img', {
          src: url,
          alt: `${title.zh} 第 ${index + 1} 页 (${title.en}, page ${index + 1})`,
          'data-testid': 'viewer-image',
        }),
      );
    }
    transform();
  }

  const modal = openModal({
    title: { zh: `材料查看：${title.zh}`, en: `Pages: ${title.en}` },
    className: 'viewer',
    body: [
      h(
        'div',
        { className: 'viewer-tools', role: 'toolbar', 'aria-label': '页面工具 Page tools' },
        prev,
        counter,
        next,
        zoomOut,
        zoomText,
        zoomIn,
        rotate,
        closeButton,
      ),
      stage,
    ],
    onClose: () => {
      generation += 1;
      if (url) URL.revokeObjectURL(url);
    },
    onKey: (ev) => {
      const target = ev.target;
      if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
      const keys: Record<string, () => void> = {
        ArrowLeft: () => go(-1),
        PageUp: () => go(-1),
        ArrowRight: () => go(1),
        PageDown: () => go(1),
        '+': () => setZoom(1),
        '=': () => setZoom(1),
        '-': () => setZoom(-1),
        r: turn,
        R: turn,
        '0': () => {
          zoom = 2;
          rotation = 0;
          transform();
        },
      };
      const act = keys[ev.key];
      if (act && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
        ev.preventDefault();
        act();
      }
    },
  });
  void show();
}
