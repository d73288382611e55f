/**
 * Renders application forms (PDF) in a worker thread: loading the Noto CJK font and laying out a
 * form with its scanned pages takes seconds of CPU, which on the main thread would freeze the
 * screen's API and the printer's status checks (a receipt refused because its status query timed
 * out). One long-lived worker, started on first use, renders one form at a time.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ApplicationPdfInput } from './application-pdf.js';

type Reply = { id: number; ok: true; pdf: Uint8Array } | { id: number; ok: false; error: string };

/**
 * The worker: the compiled .js next to this file, or — running from the TypeScript sources (tests,
 * `npm run cli`) — a tiny bootstrap that registers tsx in the thread and imports the .ts source.
 */
function spawnWorker(): Worker {
  const js = fileURLToPath(new URL('./pdf-worker-main.js', import.meta.url));
  if (existsSync(js)) return new Worker(js);
  const ts = new URL('./pdf-worker-main.ts', import.meta.url).href;
  return new Worker(
    `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`,
    { eval: true },
  );
}

export function createPdfWorker() {
  let worker: Worker | null = null;
  let next = 1;
  const waiting = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();

  const failAll = (e: Error) => {
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };

  function start(): Worker {
    if (worker) return worker;
    const w = spawnWorker();
    w.on('message', (m: Reply) => {
      const p = waiting.get(m.id);
      if (!p) return;
      waiting.delete(m.id);
      if (waiting.size === 0) w.unref();
      if (m.ok) p.resolve(Buffer.from(m.pdf));
      else p.reject(new Error(m.error));
    });
    w.on('error', (e) => failAll(e));
    // A worker that died is replaced on the next request.
    w.on('exit', () => {
      worker = null;
      failAll(new Error('the PDF worker stopped'));
    });
    w.unref();
    worker = w;
    return w;
  }

  return {
    render(input: ApplicationPdfInput): Promise<Buffer> {
      const id = next++;
      return new Promise<Buffer>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const w = start();
        // Keep the process alive while a form is being rendered (a CLI would otherwise exit).
        w.ref();
        w.postMessage({ id, input });
      });
    },
    async close(): Promise<void> {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
export type PdfWorker = ReturnType<typeof createPdfWorker>;
