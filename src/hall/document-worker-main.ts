/** The document worker thread (see document-worker.ts): renders one case document per message, in order. */
import { parentPort } from 'node:worker_threads';
import { renderCaseDocument } from './document-pdf.js';
import type { DocumentJob } from './document-worker.js';

let chain: Promise<void> = Promise.resolve();

parentPort?.on('message', (m: { id: number; job: DocumentJob }) => {
  chain = chain.then(() =>
    renderCaseDocument(m.job.input, m.job.wording, m.job.fonts).then(
      (pdf) => parentPort?.postMessage({ id: m.id, ok: true, pdf }),
      (e: unknown) =>
        parentPort?.postMessage({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
    ),
  );
});
