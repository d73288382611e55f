/** The PDF worker thread (see pdf-worker.ts): renders one application form per message. */
import { parentPort } from 'node:worker_threads';
import { renderApplicationPdf, type ApplicationPdfInput } from './application-pdf.js';

type Request = { id: number; input: ApplicationPdfInput };

parentPort?.on('message', (m: Request) => {
  // Buffers arrive as plain Uint8Arrays after the structured clone.
  const input: ApplicationPdfInput = {
    ...m.input,
    materials: m.input.materials.map((mat) => ({ ...mat, pages: mat.pages.map((p) => ({ ...p, jpeg: Buffer.from(p.jpeg) })) })),
  };
  renderApplicationPdf(input).then(
    (pdf) => parentPort?.postMessage({ id: m.id, ok: true, pdf }),
    (e: unknown) => parentPort?.postMessage({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});
