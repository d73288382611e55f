/**
 * `hall …`: operator commands run on the hall machine against HALL_DATA_DIR — licences, staff
 * tokens, kiosk enrolment codes and the hall-owned documents every kiosk pulls
 * (docs/sync-protocol.md, 5 "Streams"). The hall's modules load when one of these runs.
 */
import { join } from 'node:path';
import { CliExit, type CliContext, type RegisterCommands } from '../context.js';
import type { Publishable } from '../hall-publish.js';

/** The hall modules and its configuration from the environment; exit 2 when it is invalid. */
async function loadHall({ io, env }: CliContext) {
  const hall = await import('../../hall/index.js');
  const hc = hall.loadHallConfig(env);
  if (!hc.ok) {
    io.err(`hall configuration error: ${hc.error}`);
    throw new CliExit(2);
  }
  return { hall, config: hc.config };
}

/** Hall-owned documents every kiosk pulls and applies (docs/sync-protocol.md, 5 "Streams"). */
const PUBLISH_COMMANDS: readonly { name: string; stream: Publishable; arg: string; what: string }[] = [
  {
    name: 'publish-catalog',
    stream: 'catalog',
    arg: '<dir>',
    what: 'a service catalog (a seed directory like resources/catalog)',
  },
  {
    name: 'publish-calendar',
    stream: 'calendar',
    arg: '<file>',
    what: 'the holiday calendar (JSON like resources/calendar/cn-holidays.json)',
  },
  {
    name: 'publish-evaluation-items',
    stream: 'evaluation-items',
    arg: '<file>',
    what: 'the evaluation content items (JSON like resources/evaluation/items.json)',
  },
  {
    name: 'publish-config',
    stream: 'kiosk-config',
    arg: '<file>',
    what: 'kiosk settings (JSON or YAML: hallName, hallNameEn, hallPhone, idleSeconds, countdownSeconds)',
  },
];

export const registerHallCommands: RegisterCommands = (program, ctx) => {
  const { io, env, fail } = ctx;
  const hallCmd = program.command('hall').description('the reference hall server (HALL_DATA_DIR)');
  hallCmd
    .command('licence-add')
    .description('record a shared electronic licence (电子证照) the hall can vouch for')
    .requiredOption('--id-number <id>', 'holder’s ID number')
    .requiredOption('--material <code>', 'material code in the catalog, e.g. sfz, hkb, yyzz')
    .requiredOption('--licence-no <no>', 'the licence’s own number')
    .option('--json', 'print JSON')
    .action(async (o: { idNumber: string; material: string; licenceNo: string; json?: boolean }) => {
      const { hall, config } = await loadHall(ctx);
      if (!/^[0-9A-Za-z]{15,18}$/.test(o.idNumber))
        return fail(o.json, 'the ID number is 15–18 letters or digits');
      const opened = hall.openHallDatabase(join(config.dataDir, 'hall.db'));
      if (!opened.ok) return fail(o.json, opened.message);
      try {
        hall
          .createHallService({ db: opened.db, dataDir: config.dataDir, clock: () => new Date() })
          .addLicence(o.idNumber, o.material, o.licenceNo);
        if (o.json) io.out(JSON.stringify({ ok: true, material: o.material }));
        else io.out(`licence ${o.material} recorded`);
      } finally {
        opened.db.close();
      }
    });

  hallCmd
    .command('staff-token')
    .description('create a bearer token for a staff member of one jurisdiction (staff API)')
    .requiredOption('--jurisdiction <code>', '属地 code whose cases the staff member handles')
    .requiredOption('--name <name>', 'staff member, as recorded with each action')
    .option('--json', 'print JSON')
    .action(async (o: { jurisdiction: string; name: string; json?: boolean }) => {
      const { hall, config } = await loadHall(ctx);
      if (!/^[0-9A-Za-z-]{1,32}$/.test(o.jurisdiction)) {
        io.err(`bad jurisdiction code "${o.jurisdiction}"`);
        throw new CliExit(2);
      }
      const opened = hall.openHallDatabase(join(config.dataDir, 'hall.db'));
      if (!opened.ok) return fail(o.json, opened.message);
      try {
        const clock = () => new Date();
        const service = hall.createHallService({ db: opened.db, dataDir: config.dataDir, clock });
        const token = hall
          .createStaffDesk({ db: opened.db, service, clock })
          .createToken(o.name, o.jurisdiction);
        if (o.json) io.out(JSON.stringify({ token, name: o.name, jurisdiction: o.jurisdiction }));
        else io.out(token);
      } finally {
        opened.db.close();
      }
    });
  hallCmd
    .command('enrollment-code')
    .description('create a one-time kiosk enrolment code')
    .option('--jurisdiction <code>', '属地 code of the kiosk (default: $HALL_JURISDICTION, else 000000)')
    .option('--ttl-hours <n>', 'hours until the code expires', '24')
    .option('--json', 'print JSON')
    .action(async (o: { jurisdiction?: string; ttlHours: string; json?: boolean }) => {
      const { hall, config } = await loadHall(ctx);
      const jurisdiction = o.jurisdiction ?? (env.HALL_JURISDICTION || '000000');
      if (!/^[0-9A-Za-z-]{1,32}$/.test(jurisdiction)) {
        io.err(`bad jurisdiction code "${jurisdiction}"`);
        throw new CliExit(2);
      }
      const ttl = Number(o.ttlHours);
      if (!Number.isFinite(ttl) || ttl <= 0) {
        io.err('--ttl-hours must be a positive number');
        throw new CliExit(2);
      }
      const opened = hall.openHallDatabase(join(config.dataDir, 'hall.db'));
      if (!opened.ok) return fail(o.json, opened.message);
      try {
        const service = hall.createHallService({
          db: opened.db,
          dataDir: config.dataDir,
          clock: () => new Date(),
        });
        const r = service.createEnrollmentCode(jurisdiction, ttl * 3600_000);
        if (o.json) io.out(JSON.stringify(r));
        else io.out(`${r.code}  (jurisdiction ${r.jurisdiction}, valid until ${r.expiresAt})`);
      } finally {
        opened.db.close();
      }
    });

  for (const p of PUBLISH_COMMANDS) {
    hallCmd
      .command(`${p.name} ${p.arg}`)
      .description(`validate ${p.what} and publish it to every kiosk`)
      .option('--json', 'print JSON')
      .action(async (path: string, o: { json?: boolean }) => {
        const { hall, config } = await loadHall(ctx);
        const { publishDocument, readPublishable } = await import('../hall-publish.js');
        const doc = readPublishable(p.stream, path);
        if (!doc.ok) return fail(o.json, doc.error);
        const opened = hall.openHallDatabase(join(config.dataDir, 'hall.db'));
        if (!opened.ok) return fail(o.json, opened.message);
        try {
          const service = hall.createHallService({
            db: opened.db,
            dataDir: config.dataDir,
            clock: () => new Date(),
          });
          const r = publishDocument(service, p.stream, doc.data);
          if (o.json) io.out(JSON.stringify({ ok: true, ...r, label: doc.label }));
          else
            io.out(
              `published ${r.stream}/${r.key} version ${r.version}${doc.label ? ` (${doc.label})` : ''} to every kiosk`,
            );
        } finally {
          opened.db.close();
        }
      });
  }
};
