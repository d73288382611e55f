/** The document worker thread (see document-worker.ts): renders one case document per message, in order. */
import { serveRenders } from '../shared/render-worker.js';
import { renderCaseDocument } from './document-pdf.js';
import type { DocumentJob } from './document-worker.js';

serveRenders<DocumentJob>((job) => renderCaseDocument(job.input, job.wording, job.fonts));
