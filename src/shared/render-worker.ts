/**
 * One long-lived worker thread that renders documents (PDFs) off the main thread — the kiosk's
 * application forms (src/backend/services/pdf-worker.ts) and the hall's case documents
 * (src/hall/document-worker.ts). Parsing the Noto CJK collection and laying out pages takes from a
 * few hundred milliseconds to seconds of CPU, which on the main thread would hold up the kiosk's
 * screen API and printer checks, or every kiosk push and staff request at the hall.
 *
 * The parent side (createRenderWorker) starts the worker on first use, keeps the process alive only
 * while a render is outstanding (a CLI would otherwise exit; an idle worker must not keep a server
 * from stopping), and replaces a worker that died on the next request, failing what it held. The
 * worker side (serveRenders) renders one job per message, in order: each render holds the parsed
 * font, so two at once would double the memory for no gain on two cores.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';

type Reply = { id: number; ok: true; pdf: Uint8Array } | { id: number; ok: false; error: string };
type Request<J> = { id: number; job: J };

/**
 * The worker's entry: `<name>.js` beside the caller when compiled, or — running from the TypeScript
 * sources (tests, tsx) — a bootstrap that registers tsx in the thread and imports `<name>.ts`.
 */
function spawnWorker(besideUrl: string, name: string): Worker {
  const js = fileURLToPath(new URL(`./${name}.js`, besideUrl));
  if (existsSync(js)) return new Worker(js);
  const ts = new URL(`./${name}.ts`, besideUrl).href;
  return new Worker(
    `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`,
    { eval: true },
  );
}

export type RenderWorker<J> = {
  render(job: J): Promise<Buffer>;
  close(): Promise<void>;
};

/**
 * @param besideUrl the caller's `import.meta.url`; the worker module sits beside it
 * @param name the worker module's file name without extension
 * @param what how errors name this worker ("the PDF worker")
 */
export function createRenderWorker<J>(besideUrl: string, name: string, what: string): RenderWorker<J> {
  let worker: Worker | null = null;
  let next = 1;
  const waiting = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
  const failAll = (e: Error) => {
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };

  function start(): Worker {
    if (worker) return worker;
    const w = spawnWorker(besideUrl, name);
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
      failAll(new Error(`${what} stopped`));
    });
    w.unref();
    worker = w;
    return w;
  }

  return {
    render(job: J): Promise<Buffer> {
      const id = next++;
      return new Promise<Buffer>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const w = start();
        w.ref();
        w.postMessage({ id, job } satisfies Request<J>);
      });
    },
    async close(): Promise<void> {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}

/** The worker thread's side: renders each job with `render`, one at a time, in arrival order. */
export function serveRenders<J>(render: (job: J) => Promise<Uint8Array>): void {
  let chain: Promise<void> = Promise.resolve();
  parentPort?.on('message', (m: Request<J>) => {
    chain = chain.then(() =>
      render(m.job).then(
        (pdf) => parentPort?.postMessage({ id: m.id, ok: true, pdf } satisfies Reply),
        (e: unknown) =>
          parentPort?.postMessage({
            id: m.id,
            ok: false,
            error: e instanceof Error ? e.message : String(e),
          } satisfies Reply),
      ),
    );
  });
}
