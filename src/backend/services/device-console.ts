/**
 * What the technician console does with devices: live overview, choosing a device's address (kept
 * in device_config), and the test actions — read a card, print the test page, scan a page, issue a
 * test ticket — plus the simulator controls of the development dev panel.
 */
import { sealerFor } from '../../shared/at-rest/index.js';
import { statfsSync } from 'node:fs';
import { join } from 'node:path';
import { idcard, printer as printers, scanner as scanners, parseDeviceUri } from '../../devices/index.js';
import type { DeviceManager } from '../../devices/index.js';
import { maskIdNumber, maskName, type DeviceKind, type WindowCode } from '../../shared/index.js';
import { err, ok, type Result } from '../../shared/result.js';
import type { Logger } from '../logger.js';
import { createAuditStore } from '../store/audit-store.js';
import { createConfigStore } from '../store/config-store.js';
import type { Db } from '../store/db.js';
import type { QueueService } from './queue.js';

export type MaskedCard = {
  cardType: idcard.IdentityRecord['cardType'];
  name: string;
  idNumber: string;
  validTo: string;
};

export type SerialPortInfo = {
  path: string;
  manufacturer: string | null;
  vendorId: string | null;
  productId: string | null;
};

/**
 * Why a console action did nothing (or not all of it). Each kind carries a message for the
 * technician: the console shows it as it is (it is written for people).
 */
export type ConsoleError<K extends string> = { kind: K; message: string };

export type DataDirStorage =
  { ok: true; freeBytes: number; totalBytes: number } | { ok: false; message: string };

/**
 * Free and total bytes of the file system holding the data directory: the technician console shows
 * them and the heartbeat reports them to the hall's fleet view (docs/sync-protocol.md, 5c).
 */
export function dataDirStorage(dataDir: string): DataDirStorage {
  try {
    const fs = statfsSync(dataDir);
    return { ok: true, freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize };
  } catch (e) {
    return { ok: false, message: `cannot read the free space of ${dataDir}: ${(e as Error).message}` };
  }
}

export type TestPage = { sha256: string; width: number; height: number; size: number };

export async function listSerialPorts(): Promise<SerialPortInfo[]> {
  try {
    const { SerialPort } = await import('serialport');
    const ports = await SerialPort.list();
    return ports.map((p) => ({
      path: p.path,
      manufacturer: p.manufacturer ?? null,
      vendorId: p.vendorId ?? null,
      productId: p.productId ?? null,
    }));
  } catch {
    // No udev (containers) or no permission: an empty list, not an error screen.
    return [];
  }
}

export function createDeviceConsole(deps: {
  db: Db;
  devices: DeviceManager;
  queue: QueueService;
  logger: Logger;
  clock: () => Date;
  dataDir: string;
  mode: 'production' | 'development';
  kioskName: string;
}) {
  const { db, devices, clock } = deps;
  const config = createConfigStore(db);
  const audit = createAuditStore(db);
  const pipeline = scanners.createPagePipeline({
    store: scanners.createBlobStore({ root: join(deps.dataDir, 'blobs'), sealer: sealerFor(db) }),
    logger: deps.logger,
  });

  return {
    /**
     * Free and total bytes of the file system holding the data directory (docs/store.md, "Disk
     * full"): the console shows it so a technician sees a filling disk before submissions fail.
     */
    storage: (): DataDirStorage => dataDirStorage(deps.dataDir),
    recordFault(kind: DeviceKind, uri: string, detail: unknown): void {
      audit.record('device-fault', kind, { uri, state: detail }, clock().toISOString());
    },
    /** Device events and failures from the audit log (audit-events.ts marks which), newest first. */
    recentErrors(limit = 20) {
      return audit.recentErrors(limit);
    },
    async setDevice(
      kind: DeviceKind,
      uri: string,
    ): Promise<Result<null, ConsoleError<'invalid-address' | 'simulator-refused'>>> {
      const parsed = parseDeviceUri(uri);
      if (!parsed.ok) return err({ kind: 'invalid-address', message: parsed.error });
      if (parsed.value.scheme === 'sim' && deps.mode === 'production')
        return err({
          kind: 'simulator-refused',
          message: 'simulated devices are refused in production mode',
        });
      const at = clock().toISOString();
      const before = devices.statuses().find((d) => d.kind === kind)?.uri ?? null;
      db.transaction(() => {
        config.saveDevice(kind, uri.trim(), at);
        audit.record('device-configured', kind, { before, uri: uri.trim() }, at);
      })();
      await devices.reconfigure(kind, uri.trim());
      return ok(null);
    },

    /** Waits for the next card on the reader; the console only ever sees it masked. */
    async readCard(
      timeoutMs: number,
    ): Promise<Result<{ card: MaskedCard }, ConsoleError<'no-reader' | 'read-failed'>>> {
      const reader = devices.idcardReader();
      if (!reader) return err({ kind: 'no-reader', message: 'no ID-card reader is open' });
      // A card already lying on the reader counts: it will not be "found" again until lifted.
      const present = devices.currentCard();
      let identity: idcard.IdentityRecord;
      if (present) identity = present.identity;
      else {
        const r = await idcard.readOneCard(reader, { timeoutMs });
        if (!r.ok) return err({ kind: 'read-failed', message: r.error.message });
        identity = r.value.identity;
      }
      const idNumber = 'idNumber' in identity ? identity.idNumber : '';
      return ok({
        card: {
          cardType: identity.cardType,
          name: maskName(identity.name),
          idNumber: maskIdNumber(idNumber),
          validTo: identity.validTo,
        },
      });
    },

    async printTest(
      which: 'printer' | 'ticketPrinter',
      lang: 'zh' | 'en',
    ): Promise<Result<{ outcome: printers.PrintOutcome['kind']; text: string }, ConsoleError<'no-printer'>>> {
      const p = which === 'printer' ? devices.receiptPrinter() : devices.ticketPrinter();
      if (!p) return err({ kind: 'no-printer', message: 'this printer is not open' });
      const status = await p.status();
      const outcome = await p.print(
        printers.testPage({
          kioskId: deps.kioskName,
          address: devices.uri(which),
          paperWidth: p.paperWidth,
          status: { status: status.status, detail: status.detail },
          printedAt: clock(),
        }),
      );
      if (outcome.kind !== 'printed') {
        audit.record('test-print-failed', which, { kind: outcome.kind }, clock().toISOString());
      }
      return ok({ outcome: outcome.kind, text: printers.printOutcomeText(outcome, lang) });
    },

    /** One page from the flatbed; pages scanned before a fault are reported with it. */
    async scanTest(): Promise<
      Result<
        { pages: TestPage[]; blankPages: number[] },
        ConsoleError<'no-scanner'> | (ConsoleError<'scanner'> & { pages: TestPage[] })
      >
    > {
      const s = devices.documentScanner();
      if (!s) return err({ kind: 'no-scanner', message: 'no scanner is open' });
      const result = await s.scan({ source: 'flatbed', colorMode: 'color', resolution: 150, maxPages: 1 });
      const raw = result.ok ? result.pages : result.pagesBeforeFault;
      const stored = await pipeline.processPages(
        raw.map((p) => p.data),
        { pagesSoFar: 0 },
      );
      const pages = stored.stored.map((p) => ({
        sha256: p.sha256,
        width: p.width,
        height: p.height,
        size: p.size,
      }));
      if (!result.ok) return err({ kind: 'scanner', message: result.error.message, pages });
      return ok({ pages, blankPages: stored.blankPages });
    },

    /**
     * A frame from the document camera (高拍仪), captured in the screen with getUserMedia and sent
     * as a data URL, goes through the same page pipeline as scanner pages.
     */
    async cameraTest(
      dataUrl: string,
    ): Promise<Result<{ blank: boolean; page: TestPage | null }, ConsoleError<'image'>>> {
      const m = /^data:image\/(jpeg|png);base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
      if (!m?.[2]) return err({ kind: 'image', message: 'not a JPEG or PNG data URL' });
      const r = await pipeline.processPage(Buffer.from(m[2], 'base64'), { pagesSoFar: 0 });
      if (!r.ok) return err({ kind: 'image', message: r.error.message });
      if (r.value.kind === 'blank') return ok({ blank: true, page: null });
      const { sha256, width, height, size } = r.value.page;
      return ok({ blank: false, page: { sha256, width, height, size } });
    },

    testTicket(window: WindowCode, lang: 'zh' | 'en') {
      return deps.queue.issue({
        window,
        idempotencyKey: `tech-test-${clock().getTime()}`,
        lang,
        outsideHours: 'allow',
      });
    },

    /** What the simulated printers printed, newest first, as PNG data URLs. */
    previews(limit = 6) {
      const sims = devices.simulators();
      const all = (['printer', 'ticketPrinter'] as const).flatMap((which) =>
        (sims[which]?.receipts() ?? []).map((receipt) => ({ which, receipt })),
      );
      all.sort((a, b) => a.receipt.at.getTime() - b.receipt.at.getTime());
      return all
        .slice(-limit)
        .reverse()
        .map(({ which, receipt }) => ({
          which,
          id: receipt.id,
          at: receipt.at.toISOString(),
          text: receipt.text,
          png: `data:image/png;base64,${receipt.png().toString('base64')}`,
        }));
    },
  };
}
export type DeviceConsole = ReturnType<typeof createDeviceConsole>;
