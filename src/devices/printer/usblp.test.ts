import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPrinter } from './factory.js';
import { SimulatorCore } from './simulator/core.js';
import { queueTicket } from './templates/queue-ticket.js';
import { sampleQueueTicket } from './templates/fixtures.js';

const silent = pino({ level: 'silent' });
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-usblp-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

// A regular file stands in for /dev/usb/lp0: the same open/write/read calls, and, like a
// unidirectional printer, it never answers a status request.
describe('usblp device-file transport', () => {
  it('writes the job to the device file; status is honestly "unverified"', async () => {
    const path = join(dir, 'lp0');
    writeFileSync(path, '');
    const created = await createPrinter({
      uri: `usblp:${path}`,
      mode: 'production',
      logger: silent,
      paperWidth: 80,
      pollIntervalMs: null,
      statusTimeoutMs: 50,
    });
    if (!created.ok) throw new Error(created.error);
    const printer = created.value.printer;
    try {
      const status = await printer.status();
      expect(status).toMatchObject({ source: 'unverified', status: 'ready' });
      expect(status.detail).toMatch(/no status reply.*not checked/);
      const outcome = await printer.print(queueTicket(sampleQueueTicket()));
      expect(outcome).toMatchObject({ kind: 'printed', before: { source: 'unverified' } });
    } finally {
      await printer.close();
    }
    const core = new SimulatorCore({ paperWidth: 80 });
    core.receive(readFileSync(path), () => undefined);
    const [ticket] = core.receipts();
    expect(ticket!.text).toContain('A005');
    expect(ticket!.text).toContain('前方等待 3 人');
    expect(ticket!.model.warnings).toEqual([]);
  });

  it('a missing device file is unreachable with a hint, and printing is refused', async () => {
    const created = await createPrinter({
      uri: `usblp:${join(dir, 'missing')}`,
      mode: 'production',
      logger: silent,
      pollIntervalMs: null,
    });
    if (!created.ok) throw new Error(created.error);
    const printer = created.value.printer;
    try {
      const status = await printer.status();
      expect(status).toMatchObject({ source: 'unreachable', status: 'offline' });
      expect(status.detail).toMatch(/ENOENT \(printer not plugged in\?\)/);
      expect(await printer.print(queueTicket(sampleQueueTicket()))).toMatchObject({ kind: 'refused' });
    } finally {
      await printer.close();
    }
  });
});
