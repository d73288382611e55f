/** The PDF worker thread (see pdf-worker.ts): renders one application form per message. */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { serveRenders } from '../../shared/render-worker.js';
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

// Buffers arrive as plain Uint8Arrays after the structured clone.
serveRenders<ApplicationPdfInput>((input) =>
  renderApplicationPdf({
    ...input,
    materials: input.materials.map((mat) => ({
      ...mat,
      pages: mat.pages.map((p) => ({ ...p, jpeg: Buffer.from(p.jpeg) })),
    })),
  }),
);
