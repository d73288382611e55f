/**
 * Renders the hall's case documents in a worker thread (document-pdf.ts): parsing the Noto CJK
 * collection and laying out a page takes a few hundred milliseconds of CPU, which on the main
 * thread would hold up every kiosk push and staff request behind it. One long-lived worker, started
 * on first use, renders one document at a time; a worker that dies is replaced on the next request.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CjkFonts } from '../shared/cjk-font.js';
import type { CaseDocumentInput, DocumentWording } from './document-pdf.js';

export type DocumentJob = { input: CaseDocumentInput; wording: DocumentWording; fonts: CjkFonts };
type Reply = { id: number; ok: true; pdf: Uint8Array } | { id: number; ok: false; error: string };

/** The compiled .js beside this file, or from the TypeScript sources (tests, tsx) a bootstrap that registers tsx. */
function spawnWorker(): Worker {
  const js = fileURLToPath(new URL('./document-worker-main.js', import.meta.url));
  if (existsSync(js)) return new Worker(js);
  const ts = new URL('./document-worker-main.ts', import.meta.url).href;
  return new Worker(
    `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`,
    { eval: true },
  );
}

export function createDocumentWorker() {
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
    w.on('exit', () => {
      if (worker === w) worker = null;
      failAll(new Error('the document worker stopped'));
    });
    w.unref();
    worker = w;
    return w;
  }

  return {
    render(job: DocumentJob): Promise<Buffer> {
      const id = next++;
      return new Promise<Buffer>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const w = start();
        w.ref();
        w.postMessage({ id, job });
      });
    },
    async close(): Promise<void> {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
export type DocumentWorker = ReturnType<typeof createDocumentWorker>;
