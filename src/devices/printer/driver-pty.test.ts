import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrinter } from './factory.js';
import { startPrinterSimulator, type RunningPrinterSimulator } from './simulator/start.js';
import { applicationReceipt } from './templates/application-receipt.js';
import { sampleApplicationReceipt } from './templates/fixtures.js';
import type { ReceiptPrinter } from './types.js';

const silent = pino({ level: 'silent' });

// One socat pair for the file: starting socat is the slow part.
let sim: RunningPrinterSimulator;
let printer: ReceiptPrinter;

beforeAll(async () => {
  sim = await startPrinterSimulator({ transport: 'pty', paperWidth: 58 });
  const created = await createPrinter({
    uri: sim.uri,
    mode: 'production',
    logger: silent,
    paperWidth: 58,
    pollIntervalMs: null,
    statusTimeoutMs: 300,
  });
  if (!created.ok) throw new Error(created.error);
  printer = created.value.printer;
});

afterAll(async () => {
  await printer.close();
  await sim.stop();
});

describe('ESC/POS driver ↔ simulator over a pseudo-terminal (serial)', () => {
  it('is addressed as a serial port', () => {
    expect(sim.uri).toMatch(/^serial:\/dev\/pts\/\d+\?baud=115200$/);
    expect(printer.address).toBe(sim.uri);
  });

  it('prints a 58 mm receipt in English: text, QR and cut arrive through the serial link', async () => {
    const doc = applicationReceipt(sampleApplicationReceipt({ lang: 'en', applicantMasked: '𠮷*三' }));
    expect(await printer.print(doc)).toMatchObject({
      kind: 'printed',
      before: { source: 'printer', status: 'ready' },
    });
    expect(await sim.simulator.waitForReceipts(1, 3000)).toBe(true);
    const r = sim.simulator.receipts().at(-1)!;
    expect(r.model.warnings).toEqual([]);
    expect(r.model.cut).toBe('partial');
    expect(r.text).toContain('APPLICATION RECEIPT');
    expect(r.text).toMatch(/Receipt no\. +XA202611260001/);
    // the applicant line has a four-byte character: it arrived as a 384-dot raster image, not text
    expect(r.text).toContain('[raster 384x30]');
    expect(r.text).not.toContain('Applicant');
    expect(r.text).toContain('[QR:https://zwfw.example.gov.cn/progress/XA202611260001]');
  });

  it('refuses on paper out and on cover open, with the status read over the serial link', async () => {
    sim.simulator.setStatus('paper-out');
    expect(await printer.print(applicationReceipt(sampleApplicationReceipt()))).toMatchObject({
      kind: 'refused',
      status: { source: 'printer', status: 'paper-out' },
    });
    sim.simulator.setStatus('cover-open');
    expect(await printer.status()).toMatchObject({ source: 'printer', status: 'cover-open' });
    sim.simulator.setStatus('ready');
    expect(await printer.status()).toMatchObject({ status: 'ready' });
  });

  it('a printer switched off on its cable times out as a value and comes back', async () => {
    sim.simulator.vanish();
    expect(await printer.status()).toMatchObject({
      source: 'unreachable',
      status: 'offline',
      fault: { kind: 'timeout' },
    });
    await sim.simulator.reappear();
    expect(await printer.status()).toMatchObject({ source: 'printer', status: 'ready' });
  });
});
