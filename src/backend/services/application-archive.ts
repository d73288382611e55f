/**
 * The archived application form (PDF) of each application: for the hall's electronic archive and a
 * technician's reprint (`cli application pdf`). Rendered in the PDF worker after the submission is
 * durable and answered; one at a time, in submission order.
 */
import { isSealedBytes, sealerFor } from '../../shared/at-rest/index.js';
import { isStorageFull } from '../../shared/result.js';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { scanner as scanners } from '../../devices/index.js';
import { progressQrPayload } from '../../shared/index.js';
import type { Logger } from '../logger.js';
import { createApplicationsStore } from '../store/applications-store.js';
import { createAttachmentsStore } from '../store/attachments-store.js';
import type { Db } from '../store/db.js';
import { readDelivery, readForm, type ApplicationsConfig } from './application-common.js';
import type { CatalogService } from './catalog.js';
import { createPdfWorker, type PdfWorker } from './pdf-worker.js';

/** A form being written: `<receipt no>.pdf.tmp-<pid>`, renamed when complete (start-up removes leftovers). */
export const ARCHIVE_TEMP_MARK = '.tmp-';

/**
 * The plain PDF of an archived form (the file is sealed at rest; one written before sealing is
 * read as it is). Null when the file is missing or does not open.
 */
export async function readArchivedForm(db: Db, file: string): Promise<Buffer | null> {
  const bytes = await readFile(file).catch(() => null);
  if (bytes === null) return null;
  if (!isSealedBytes(bytes)) return bytes;
  const opened = sealerFor(db).open(bytes);
  return opened.ok ? opened.value : null;
}

/**
 * The application form as a PDF in <dataDir>/archive (written to a temp file, fsynced, renamed):
 * for the hall's electronic archive and a technician's reprint (`cli application pdf`).
 */
export function createArchiver(deps: {
  db: Db;
  catalog: CatalogService;
  config: Pick<ApplicationsConfig, 'hallName' | 'timeZone' | 'progressUrl' | 'kioskCode'>;
  dataDir: string;
  pdf?: PdfWorker;
}) {
  const { db, catalog, config } = deps;
  const pdfWorker = deps.pdf ?? createPdfWorker();
  const blobs = scanners.createBlobStore({ root: join(deps.dataDir, 'blobs'), sealer: sealerFor(db) });
  const archiveDir = join(deps.dataDir, 'archive');
  const applications = createApplicationsStore(db);
  const attachments = createAttachmentsStore(db);

  async function archive(id: string): Promise<string | null> {
    const r = applications.byId(id);
    if (!r || r.applicant_name === null || r.applicant_id_number === null) return null;
    const item = catalog.item(r.item_code);
    const form = readForm(r.form);
    const delivery = readDelivery(r.delivery) ?? { method: 'pickup' as const };
    const byMaterial = attachments.allPages(id);
    const materials = [];
    for (const m of item?.materials ?? []) {
      const shas = byMaterial.get(m.code) ?? [];
      const pages = [];
      for (const sha of shas) {
        const data = await blobs.read(sha);
        if (!data.ok) continue;
        const meta = await import('sharp').then((s) => s.default(data.value).metadata());
        pages.push({ jpeg: data.value, width: meta.width ?? 1, height: meta.height ?? 1, sha256: sha });
      }
      const kind =
        pages.length > 0
          ? ('scanned' as const)
          : form.licences?.includes(m.code)
            ? ('e-licence' as const)
            : ('missing' as const);
      materials.push({ name: m.name.zh, kind, pages });
    }
    const pdf = await pdfWorker.render({
      lang: 'zh',
      hallName: config.hallName.zh,
      receiptNo: r.receipt_no,
      itemName: item?.name.zh ?? r.item_code,
      itemCode: r.item_code,
      department: item?.department.zh ?? '',
      caseType: r.case_type,
      submittedAt: new Date(r.submitted_at),
      promisedDate: r.promised_date,
      timeZone: config.timeZone,
      applicant: { name: r.applicant_name, idNumber: r.applicant_id_number },
      helper:
        r.helper_name && r.helper_id_number ? { name: r.helper_name, idNumber: r.helper_id_number } : null,
      form: (item?.form ?? []).map((f) => ({
        label: f.label.zh,
        value:
          f.type === 'select'
            ? (f.options?.find((o) => o.value === form.values[f.key])?.label.zh ?? form.values[f.key] ?? '')
            : (form.values[f.key] ?? ''),
      })),
      delivery,
      materials,
      integrityAcknowledgedAt: new Date(r.integrity_ack_at ?? r.submitted_at),
      progressUrl: progressQrPayload(config.progressUrl, r.receipt_no),
      kioskName: config.kioskCode,
    });
    await mkdir(archiveDir, { recursive: true, mode: 0o700 });
    const file = join(archiveDir, `${r.receipt_no}.pdf`);
    const tmp = `${file}${ARCHIVE_TEMP_MARK}${process.pid}`;
    // The form carries the full name and ID number: sealed at rest, like the scans it holds.
    // A failed write (a full disk above all) leaves no temp file behind: it may hold personal data.
    try {
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(sealerFor(db).seal(pdf));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, file);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    applications.setArchive(id, file);
    return file;
  }

  return { archive, close: () => pdfWorker.close() };
}

export type Archiver = ReturnType<typeof createArchiver>;

/**
 * Archives in the background. One archive at a time, in submission order: a render holds the parsed
 * CJK font and the pages, so renders running side by side (a busy hour on a slow machine) would each
 * hold their own and memory would grow with the backlog. Queued ids cost nothing. The first step
 * waits for the event loop's next turn, so the submit's answer goes out before any archiving work.
 */
export function createArchiveQueue(deps: { db: Db; archiver: Archiver; logger: Logger }) {
  const applications = createApplicationsStore(deps.db);
  const pending = new Set<Promise<void>>();
  /** Forms not written because the disk was full: tried again with the next ones queued. */
  const full = new Set<string>();
  let chain: Promise<void> = Promise.resolve();
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const failed = (id: string, e: unknown) => {
    if (!isStorageFull(e)) {
      deps.logger.error({ err: e, application: id }, 'application form archive failed');
      return;
    }
    // The application itself is stored and acknowledged; only its archived form waits for space
    // (and is re-created at the next start if it never gets it).
    full.add(id);
    deps.logger.warn({ application: id }, 'application form not archived: storage full');
  };

  return {
    enqueue: (queued: readonly string[]): void => {
      const ids = [...full, ...queued.filter((id) => !full.has(id))];
      full.clear();
      for (const id of ids) {
        const p = chain.then(nextTurn).then(() =>
          deps.archiver.archive(id).then(
            () => undefined,
            (e: unknown) => failed(id, e),
          ),
        );
        chain = p;
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
    },
    /** The archived form, regenerated when it is missing (a technician's reprint). */
    file: async (id: string): Promise<string | null> => {
      const r = applications.byId(id);
      if (!r) return null;
      return r.archive_file ?? (await deps.archiver.archive(id));
    },
    /** Waits for the queued archives, then stops the PDF worker. */
    close: async (): Promise<void> => {
      await Promise.all([...pending]);
      await deps.archiver.close();
    },
  };
}
export type ArchiveQueue = ReturnType<typeof createArchiveQueue>;
