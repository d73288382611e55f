/** `ticket issue`: take and print a queue ticket with the configured ticket printer. */
import { join } from 'node:path';
import { windowCodeSchema } from '../../shared/index.js';
import { CliExit, type RegisterCommands } from '../context.js';

export const registerTicketCommands: RegisterCommands = (program, { io, config, quiet, fail }) => {
  program
    .command('ticket')
    .description('queue tickets')
    .command('issue')
    .description('issue and print a queue ticket with the configured ticket printer')
    .requiredOption('--category <window>', `window category: ${windowCodeSchema.options.join(', ')}`)
    .option('--lang <lang>', 'zh or en', 'zh')
    .option('--json', 'print JSON')
    .action(async (o: { category: string; lang: string; json?: boolean }) => {
      const window = windowCodeSchema.safeParse(o.category);
      if (!window.success)
        return fail(
          o.json,
          `unknown category "${o.category}" (expected ${windowCodeSchema.options.join(', ')})`,
        );
      const c = config();
      const {
        createQueueService,
        deviceUris,
        ensureCatalog,
        atRestOptions,
        openDatabase,
        resourcesDir,
        loadSeedCalendar,
        loadWindowHours,
      } = await import('../../backend/index.js');
      const { createDeviceManager } = await import('../../devices/index.js');
      const opened = openDatabase(join(c.dataDir, 'kiosk.db'), atRestOptions(c));
      if (!opened.ok) return fail(o.json, opened.message);
      const db = opened.db;
      const seeded = ensureCatalog(db, join(resourcesDir(), 'catalog'), new Date());
      if (!seeded.ok) {
        db.close();
        return fail(o.json, seeded.error);
      }
      const hours = loadWindowHours(
        c.queue.hoursFile ?? join(resourcesDir(), 'calendar', 'window-hours.json'),
      );
      const calendar = loadSeedCalendar(resourcesDir());
      const manager = createDeviceManager({
        uris: { ...deviceUris(db, c), idcard: 'none', printer: 'none', scanner: 'none', codeReader: 'none' },
        mode: c.mode,
        logger: await quiet(),
        printerPollMs: null,
      });
      try {
        await manager.start();
        const queue = createQueueService({
          db,
          clock: () => new Date(),
          logger: await quiet(),
          config: { ...c.queue, timeZone: c.timeZone, progressUrl: c.resident.progressUrl },
          hallName: () => ({ zh: c.kiosk.hallName, en: c.kiosk.hallNameEn }),
          ticketPrinter: () => manager.ticketPrinter(),
          hours: () => hours,
          calendar: () => calendar,
        });
        const r = await queue.issue({
          window: window.data,
          idempotencyKey: `cli-${Date.now()}-${process.pid}`,
          lang: o.lang === 'en' ? 'en' : 'zh',
          // A technician's test at a terminal: the printer is tested whatever the hour.
          outsideHours: 'allow',
        });
        if (!r.ok)
          return fail(
            o.json,
            `no ticket: ${r.error.kind}${'detail' in r.error ? ` (${r.error.detail})` : ''}`,
            { error: r.error },
          );
        const { ticket } = r.value;
        if (o.json) io.out(JSON.stringify({ ok: true, ticket }));
        else io.out(`${ticket.number} — ${ticket.windowName.zh} — ${ticket.printState}`);
        if (ticket.printState !== 'printed') throw new CliExit(1);
      } finally {
        await manager.close();
        db.close();
      }
    });
};
