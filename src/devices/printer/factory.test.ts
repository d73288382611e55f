import net from 'node:net';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createPrinter, printerStatusOnce } from './factory.js';
import { queueTicket } from './templates/queue-ticket.js';
import { sampleQueueTicket } from './templates/fixtures.js';

const silent = pino({ level: 'silent' });

describe('createPrinter', () => {
  it('sim: in development starts the TCP simulator and connects the real TCP driver to it', async () => {
    const created = await createPrinter({
      uri: 'sim:',
      mode: 'development',
      logger: silent,
      paperWidth: 58,
      pollIntervalMs: null,
    });
    if (!created.ok) throw new Error(created.error);
    const { printer, simulator } = created.value;
    expect(printer.address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(simulator).not.toBeNull();
    expect(await printer.print(queueTicket(sampleQueueTicket()))).toMatchObject({ kind: 'printed' });
    expect(await simulator!.waitForReceipts(1, 2000)).toBe(true);
    expect(simulator!.receipts()[0]!.text).toContain('A005');
    await printer.close();
    // closing the printer stops its simulator: nothing listens there any more
    const port = Number(new URL(printer.address).port);
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(false);
      });
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it('sim:?transport=pty&status=paper-near-end uses a pseudo-terminal and the scripted status', async () => {
    const created = await createPrinter({
      uri: 'sim:?transport=pty&status=paper-near-end',
      mode: 'development',
      logger: silent,
      pollIntervalMs: null,
    });
    if (!created.ok) throw new Error(created.error);
    try {
      expect(created.value.printer.address).toMatch(/^serial:\/dev\/pts\/\d+/);
      expect(await created.value.printer.status()).toMatchObject({
        source: 'printer',
        status: 'paper-near-end',
      });
    } finally {
      await created.value.printer.close();
    }
  });

  it('refuses sim: in production mode', async () => {
    const r = await createPrinter({ uri: 'sim:', mode: 'production', logger: silent });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/refused in production/);
  });

  it.each([
    ['hid:0483:5750', /not a receipt printer address/],
    ['sane:test', /not a receipt printer address/],
    ['serial:/dev/ttyS0?flow=magic', /flow must be one of/],
    ['sim:?transport=usb', /transport must be tcp or pty/],
    ['sim:?status=jammed', /status must be one of/],
    ['sim:?paper=58', /unknown option paper/],
    ['lpt1', /not a device address/],
  ])('refuses %s with a message', async (uri, message) => {
    const r = await createPrinter({ uri, mode: 'development', logger: silent });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('none: a printer that is not fitted reports so and refuses every job', async () => {
    const created = await createPrinter({ uri: 'none', mode: 'production', logger: silent });
    if (!created.ok) throw new Error(created.error);
    const { printer } = created.value;
    expect(await printer.status()).toMatchObject({ source: 'not-configured', status: 'offline' });
    expect(await printer.print(queueTicket(sampleQueueTicket()))).toMatchObject({
      kind: 'refused',
      status: { source: 'not-configured' },
    });
  });
});

describe('CLI helpers', () => {
  it('printerStatusOnce reads the status from the simulator through the real driver', async () => {
    const r = await printerStatusOnce({ uri: 'sim:?status=cover-open', mode: 'development', logger: silent });
    expect(r).toMatchObject({ ok: true, value: { status: 'cover-open', source: 'printer' } });
    expect(r.ok && r.value.detail).toMatch(/cover open/);
  });

  it('printerStatusOnce reports an unreachable printer as a value, and bad addresses as errors', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const r = await printerStatusOnce({ uri: `tcp://127.0.0.1:${port}`, mode: 'production', logger: silent });
    expect(r).toMatchObject({ ok: true, value: { status: 'offline', source: 'unreachable' } });
    expect((await printerStatusOnce({ uri: 'sim:', mode: 'production', logger: silent })).ok).toBe(false);
  });
});
