/**
 * Renders application forms (PDF) in a worker thread: loading the Noto CJK font and laying out a
 * form with its scanned pages takes seconds of CPU, which on the main thread would freeze the
 * screen's API and the printer's status checks (a receipt refused because its status query timed
 * out). The worker's life is src/shared/render-worker.ts.
 */
import { createRenderWorker, type RenderWorker } from '../../shared/render-worker.js';
import type { ApplicationPdfInput } from './application-pdf.js';

export function createPdfWorker(): RenderWorker<ApplicationPdfInput> {
  return createRenderWorker<ApplicationPdfInput>(import.meta.url, 'pdf-worker-main', 'the PDF worker');
}
export type PdfWorker = RenderWorker<ApplicationPdfInput>;
