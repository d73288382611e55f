/**
 * Prints the standard documents through the real TCP driver to the simulator and keeps its PNG
 * renderings: in a temp dir (cleaned up) and as e2e/artifacts/printer-*.png (git-ignored) for people
 * to look at.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrintDocument } from './escpos/document.js';
import type { PaperWidth } from './escpos/layout.js';
import { createPrinter, printTestPage } from './factory.js';
import type { PrinterSimulator } from './simulator/core.js';
import { applicationReceipt } from './templates/application-receipt.js';
import { sampleApplicationReceipt, sampleQueueTicket } from './templates/fixtures.js';
import { queueTicket } from './templates/queue-ticket.js';
import type { ReceiptPrinter } from './types.js';

const ARTIFACTS = fileURLToPath(new URL('../../../e2e/artifacts/', import.meta.url));
let dir: string;
const open: Array<{ printer: ReceiptPrinter }> = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-printer-png-'));
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  for (const o of open) await o.printer.close();
  rmSync(dir, { recursive: true, force: true });
});

async function simulated(
  paperWidth: PaperWidth,
): Promise<{ printer: ReceiptPrinter; simulator: PrinterSimulator }> {
  const created = await createPrinter({
    uri: 'sim:',
    mode: 'development',
    logger: pino({ level: 'silent' }),
    paperWidth,
    pollIntervalMs: null,
  });
  if (!created.ok || created.value.simulator === null) throw new Error('simulator did not start');
  open.push(created.value);
  return { printer: created.value.printer, simulator: created.value.simulator };
}

async function printAndSave(name: string, doc: PrintDocument, paperWidth: PaperWidth): Promise<PNG> {
  const { printer, simulator } = await simulated(paperWidth);
  expect(await printer.print(doc)).toMatchObject({ kind: 'printed' });
  expect(await simulator.waitForReceipts(1, 3000)).toBe(true);
  const receipt = simulator.receipts()[0]!;
  expect(receipt.model.warnings).toEqual([]);
  const png = receipt.png();
  writeFileSync(join(dir, `${name}.png`), png);
  writeFileSync(join(ARTIFACTS, `${name}.png`), png);
  return PNG.sync.read(readFileSync(join(dir, `${name}.png`)));
}

/** Share of dark pixels in a horizontal band: proves something was drawn there. */
function inkIn(png: PNG, top: number, bottom: number): number {
  let dark = 0;
  for (let y = top; y < bottom; y++)
    for (let x = 0; x < png.width; x++) if (png.data[(y * png.width + x) * 4]! < 128) dark++;
  return dark / ((bottom - top) * png.width);
}

describe('printed previews (simulator → SVG → PNG)', () => {
  it('application receipt, 80 mm, zh', async () => {
    const png = await printAndSave(
      'printer-application-receipt',
      applicationReceipt(sampleApplicationReceipt()),
      80,
    );
    expect(png.width).toBe(576 + 32);
    expect(png.height).toBeGreaterThan(900);
    expect(inkIn(png, 0, 100)).toBeGreaterThan(0.02); // hall name and title
    expect(inkIn(png, 0, png.height)).toBeLessThan(0.3); // a receipt, not a black box
  });

  it('application receipt, 58 mm, en, with a rare name character printed as raster', async () => {
    const png = await printAndSave(
      'printer-application-receipt-en-58mm',
      applicationReceipt(
        sampleApplicationReceipt({
          lang: 'en',
          applicantMasked: '𠮷*三',
          delivery: { method: 'pickup', place: 'Window 3' },
        }),
      ),
      58,
    );
    expect(png.width).toBe(384 + 32);
  });

  it('queue ticket, 80 mm, zh', async () => {
    const png = await printAndSave('printer-queue-ticket', queueTicket(sampleQueueTicket()), 80);
    expect(png.width).toBe(576 + 32);
    expect(inkIn(png, 0, png.height)).toBeGreaterThan(0.01);
  });

  it('queue ticket, 58 mm, en, taken offline', async () => {
    const png = await printAndSave(
      'printer-queue-ticket-en-offline',
      queueTicket(sampleQueueTicket({ lang: 'en', waiting: 'unknown', number: 'K901' })),
      58,
    );
    expect(png.width).toBe(384 + 32);
  });

  it('technician test page, 80 mm, as printTestPage prints it (its simulator preview is the PNG)', async () => {
    const r = await printTestPage({
      uri: 'sim:',
      mode: 'development',
      logger: pino({ level: 'silent' }),
      paperWidth: 80,
      kioskId: 'XX-KIOSK-001',
    });
    if (!r.ok) throw new Error(r.error);
    expect(r.value.outcome).toMatchObject({
      kind: 'printed',
      before: { source: 'printer', status: 'ready' },
    });
    const preview = r.value.preview;
    expect(preview?.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    writeFileSync(join(dir, 'printer-test-page.png'), preview!);
    writeFileSync(join(ARTIFACTS, 'printer-test-page.png'), preview!);
    const png = PNG.sync.read(preview!);
    expect(png.width).toBe(576 + 32);
    expect(png.height).toBeGreaterThan(1000);
  });
});
