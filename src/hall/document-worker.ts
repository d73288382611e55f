/**
 * Renders the hall's case documents (document-pdf.ts) in a worker thread, so laying out a page with
 * the CJK font does not hold up kiosk pushes and staff requests (src/shared/render-worker.ts).
 */
import type { CjkFonts } from '../shared/cjk-font.js';
import { createRenderWorker, type RenderWorker } from '../shared/render-worker.js';
import type { CaseDocumentInput, DocumentWording } from './document-pdf.js';

export type DocumentJob = { input: CaseDocumentInput; wording: DocumentWording; fonts: CjkFonts };

export function createDocumentWorker(): RenderWorker<DocumentJob> {
  return createRenderWorker<DocumentJob>(import.meta.url, 'document-worker-main', 'the document worker');
}
export type DocumentWorker = RenderWorker<DocumentJob>;
