import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeDocument } from './escpos/document.js';
import { backoffDelay } from './driver.js';
import { createPrinter } from './factory.js';
import { startPrinterSimulator, type RunningPrinterSimulator } from './simulator/start.js';
import { applicationReceipt } from './templates/application-receipt.js';
import { sampleApplicationReceipt } from './templates/fixtures.js';
import { testPage } from './templates/test-page.js';
import type { PrinterStatusReport, ReceiptPrinter } from './types.js';

const silent = pino({ level: 'silent' });
const RECEIPT = applicationReceipt(sampleApplicationReceipt());
/** Four `DLE EOT n` requests of three bytes each. */
const STATUS_QUERY_BYTES = 12;

let sim: RunningPrinterSimulator;
let printer: ReceiptPrinter | null = null;

async function connect(
  options: { pollIntervalMs?: number | null; logger?: pino.Logger } = {},
): Promise<ReceiptPrinter> {
  const created = await createPrinter({
    uri: sim.uri,
    mode: 'production', // a tcp:// address is a real printer address: allowed in production
    logger: options.logger ?? silent,
    paperWidth: 80,
    pollIntervalMs: options.pollIntervalMs ?? null,
    statusTimeoutMs: 300,
    connectTimeoutMs: 500,
    backoff: { initialMs: 20, maxMs: 100 },
  });
  if (!created.ok) throw new Error(created.error);
  printer = created.value.printer;
  return printer;
}

function waitForStatus(
  p: ReceiptPrinter,
  want: (r: PrinterStatusReport) => boolean,
  timeoutMs: number,
): Promise<PrinterStatusReport | null> {
  const last = p.lastStatus();
  if (last !== null && want(last)) return Promise.resolve(last);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(null);
    }, timeoutMs);
    const off = p.onStatus((r) => {
      if (want(r)) {
        clearTimeout(timer);
        off();
        resolve(r);
      }
    });
  });
}

beforeEach(async () => {
  sim = await startPrinterSimulator({ transport: 'tcp', paperWidth: 80 });
});

afterEach(async () => {
  await printer?.close();
  printer = null;
  await sim.stop();
});

describe('ESC/POS driver ↔ simulator over TCP', () => {
  it('prints an application receipt: the simulator reads back its text, QR payload and cut', async () => {
    const p = await connect();
    const outcome = await p.print(RECEIPT);
    expect(outcome).toMatchObject({
      kind: 'printed',
      before: { source: 'printer', status: 'ready' },
      after: { status: 'ready' },
    });
    expect(await sim.simulator.waitForReceipts(1, 2000)).toBe(true);
    const [receipt] = sim.simulator.receipts();
    expect(receipt!.model.cut).toBe('partial');
    expect(receipt!.model.warnings).toEqual([]);
    expect(receipt!.text).toContain('收件材料接收凭证');
    expect(receipt!.text).toMatch(/办件编号 +XA202611260001/);
    expect(receipt!.text).toMatch(/申请人 +张\*三/);
    expect(receipt!.text).toContain('[QR:https://zwfw.example.gov.cn/progress/XA202611260001]');
    expect(outcome.kind === 'printed' && outcome.bytes).toBe(
      encodeDocument(RECEIPT, { paperWidth: 80 }).length,
    );
  });

  it('paper out: refuses with a clear value and sends nothing; prints the same document in full once paper is loaded', async () => {
    const p = await connect();
    sim.simulator.setStatus('paper-out');
    const before = sim.simulator.bytesReceived();
    const refused = await p.print(RECEIPT);
    expect(refused).toMatchObject({ kind: 'refused', status: { source: 'printer', status: 'paper-out' } });
    expect(refused.kind === 'refused' && refused.status.detail).toMatch(/paper end/);
    expect(sim.simulator.bytesReceived() - before).toBe(STATUS_QUERY_BYTES); // the status check only
    expect(sim.simulator.pending().lines).toEqual([]);

    sim.simulator.setStatus('ready');
    expect(sim.simulator.receipts()).toHaveLength(0); // nothing was held back to spill out either
    const printed = await p.print(RECEIPT);
    expect(printed.kind).toBe('printed');
    expect(await sim.simulator.waitForReceipts(1, 2000)).toBe(true);
    expect(sim.simulator.receipts()).toHaveLength(1);
    expect(sim.simulator.receipts()[0]!.text).toContain(
      '[QR:https://zwfw.example.gov.cn/progress/XA202611260001]',
    );
  });

  it('cover open and errors are refused; paper near end still prints and says so', async () => {
    const p = await connect();
    sim.simulator.setStatus('cover-open');
    expect(await p.print(RECEIPT)).toMatchObject({ kind: 'refused', status: { status: 'cover-open' } });
    sim.simulator.setStatus('error', { errorCause: 'autocutter' });
    const err = await p.print(RECEIPT);
    expect(err).toMatchObject({ kind: 'refused', status: { status: 'error' } });
    expect(err.kind === 'refused' && err.status.detail).toMatch(/auto-cutter error/);
    sim.simulator.setStatus('offline');
    expect(await p.print(RECEIPT)).toMatchObject({
      kind: 'refused',
      status: { status: 'offline', source: 'printer' },
    });
    sim.simulator.setStatus('paper-near-end');
    expect(await p.print(RECEIPT)).toMatchObject({ kind: 'printed', before: { status: 'paper-near-end' } });
    expect(sim.simulator.receipts()).toHaveLength(1);
  });

  it('the printer vanishes mid-job: an interrupted value, offline while gone, reconnects with backoff when back', async () => {
    const p = await connect({ pollIntervalMs: 40 });
    const big = testPage({
      address: sim.uri,
      paperWidth: 80,
      status: { status: 'ready', detail: '' },
      printedAt: new Date(),
    });
    sim.simulator.vanishAfter(500);
    const outcome = await p.print(big);
    expect(outcome).toMatchObject({ kind: 'interrupted', cause: 'transport' });
    expect(outcome.kind === 'interrupted' && outcome.bytesTotal).toBeGreaterThan(500);
    expect(sim.simulator.receipts()).toHaveLength(0);
    const gone = await p.status();
    expect(gone).toMatchObject({ source: 'unreachable', status: 'offline' });

    await sim.simulator.reappear();
    const back = await waitForStatus(p, (r) => r.source === 'printer' && r.status === 'ready', 3000);
    expect(back).not.toBeNull();
    expect(await p.print(big)).toMatchObject({ kind: 'printed' });
    expect(await sim.simulator.waitForReceipts(1, 2000)).toBe(true);
    expect(sim.simulator.receipts()[0]!.text).toContain('政务服务自助终端');
  });

  it('a printer that stops answering is a timeout value (offline), and is ready again when it answers', async () => {
    const p = await connect();
    sim.simulator.setResponsive(false);
    const silentReport = await p.status();
    expect(silentReport).toMatchObject({
      source: 'unreachable',
      status: 'offline',
      fault: { kind: 'timeout' },
    });
    expect(await p.print(RECEIPT)).toMatchObject({ kind: 'refused', status: { source: 'unreachable' } });
    sim.simulator.setResponsive(true);
    expect(await p.status()).toMatchObject({ source: 'printer', status: 'ready' });
  });

  it('skips ASB messages and garbage before a reply using the 0xx1xx10 mask', async () => {
    const p = await connect();
    sim.simulator.setStatus('cover-open');
    sim.simulator.injectBeforeNextReply(Uint8Array.of(0x10, 0x00, 0x00, 0x00, 0xff, 0x00, 0x13));
    expect(await p.status()).toMatchObject({ source: 'printer', status: 'cover-open' });
  });

  it('polls while idle and reports each change once', async () => {
    const p = await connect({ pollIntervalMs: 30 });
    const seen: string[] = [];
    p.onStatus((r) => seen.push(r.status));
    expect(await waitForStatus(p, (r) => r.status === 'ready', 2000)).not.toBeNull();
    sim.simulator.setStatus('paper-near-end');
    expect(await waitForStatus(p, (r) => r.status === 'paper-near-end', 2000)).not.toBeNull();
    sim.simulator.setStatus('cover-open');
    expect(await waitForStatus(p, (r) => r.status === 'cover-open', 2000)).not.toBeNull();
    const requests = sim.simulator.statusRequests();
    await new Promise((r) => setTimeout(r, 150));
    expect(sim.simulator.statusRequests()).toBeGreaterThan(requests); // still polling
    expect(seen.filter((s) => s === 'cover-open')).toHaveLength(1); // unchanged polls are not re-reported
  });

  it('never puts a status request inside a job, even when asked concurrently', async () => {
    const p = await connect({ pollIntervalMs: 5 });
    const doc = testPage({
      address: sim.uri,
      paperWidth: 80,
      status: { status: 'ready', detail: '' },
      printedAt: new Date(),
    });
    const results = await Promise.all([p.print(doc), p.status(), p.print(doc), p.status()]);
    expect(results.map((r) => ('kind' in r ? r.kind : r.status))).toEqual([
      'printed',
      'ready',
      'printed',
      'ready',
    ]);
    expect(await sim.simulator.waitForReceipts(2, 2000)).toBe(true);
    for (const r of sim.simulator.receipts()) {
      expect(r.model.warnings).toEqual([]);
      expect(r.model.lines.filter((l) => l.kind === 'raster')).toHaveLength(1);
    }
  });

  it('an address where nothing listens is offline (unreachable), and printing there is refused', async () => {
    const port = Number(new URL(sim.uri).port);
    await sim.stop();
    const created = await createPrinter({
      uri: `tcp://127.0.0.1:${port}`,
      mode: 'production',
      logger: silent,
      pollIntervalMs: null,
      connectTimeoutMs: 500,
    });
    if (!created.ok) throw new Error(created.error);
    printer = created.value.printer;
    const report = await printer.status();
    expect(report).toMatchObject({
      source: 'unreachable',
      status: 'offline',
      fault: { kind: 'unreachable' },
    });
    expect(report.detail).toMatch(/ECONNREFUSED/);
    expect(await printer.print(RECEIPT)).toMatchObject({ kind: 'refused' });
  });

  it('never logs personal data (masked name, address) even at debug level', async () => {
    let logged = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logged += chunk.toString();
        cb();
      },
    });
    const p = await connect({ logger: pino({ level: 'debug' }, sink) });
    sim.simulator.setStatus('paper-near-end');
    await p.print(RECEIPT);
    sim.simulator.setStatus('paper-out');
    await p.print(RECEIPT);
    expect(logged).toMatch(/printed/);
    expect(logged).toMatch(/print refused/);
    for (const secret of ['张', '科技路', 'XA202611260001']) expect(logged).not.toContain(secret);
  });
});

describe('reconnect backoff', () => {
  it('doubles from the initial delay up to the cap', () => {
    const b = { initialMs: 500, maxMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100].map((n) => backoffDelay(b, n))).toEqual([
      500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});
