/** The PDF worker thread (see pdf-worker.ts): renders one application form per message. */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { renderApplicationPdf, type ApplicationPdfInput } from './application-pdf.js';

/**
 * The lowest CPU priority for this thread: an archive can wait, the resident at the screen cannot —
 * on a two-core kiosk a render would otherwise take a core from the API while the next resident
 * scans and submits (the submit benchmark's median doubled with archives running beside it). Linux:
 * /proc/thread-self names this thread's id, and setpriority(2) takes it. Elsewhere, or if refused,
 * renders run at normal priority.
 */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 19);
  } catch {
    // Not Linux: nothing to lower.
  }
}
lowerPriority();

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
