/** The PDF worker thread (see pdf-worker.ts): renders one application form per message. */
import { parentPort } from 'node:worker_threads';
import { renderApplicationPdf, type ApplicationPdfInput } from './application-pdf.js';

type Request = { id: number; input: ApplicationPdfInput };

// One render at a time (each holds the parsed font): requests queue here in order.
let chain: Promise<void> = Promise.resolve();

parentPort?.on('message', (m: Request) => {
  chain = chain.then(() => render(m));
});

function render(m: Request): Promise<void> {
  // Buffers arrive as plain Uint8Arrays after the structured clone.
  const input: ApplicationPdfInput = {
    ...m.input,
    materials: m.input.materials.map((mat) => ({
      ...mat,
      pages: mat.pages.map((p) => ({ ...p, jpeg: Buffer.from(p.jpeg) })),
    })),
  };
  return renderApplicationPdf(input).then(
    (pdf) => parentPort?.postMessage({ id: m.id, ok: true, pdf }),
    (e: unknown) =>
      parentPort?.postMessage({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
}
