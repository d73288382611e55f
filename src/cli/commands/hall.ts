/**
 * `hall …`: operator commands run on the hall machine against HALL_DATA_DIR — licences, staff
 * tokens, kiosk enrolment codes and the hall-owned documents every kiosk pulls
 * (docs/sync-protocol.md, 5 "Streams"). The hall's modules load when one of these runs.
 */
import { join } from 'node:path';
import { CliExit, type CliContext, type RegisterCommands } from '../context.js';
import type { HallDatabase, HallService } from '../../hall/index.js';
import type { Publishable } from '../hall-publish.js';
import { printRotation } from './db.js';
import { registerHallRecoveryCommands } from './hall-recovery.js';
import { registerStaffAccountCommands } from './hall-accounts.js';
import { registerHallBlobCommands } from './hall-blobs.js';

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

type HallModules = Awaited<ReturnType<typeof loadHall>>['hall'];
type OpenHall = {
  hall: HallModules;
  db: HallDatabase;
  service: HallService;
  clock: () => Date;
};

/**
 * Opens the hall's database (HALL_DATA_DIR's hall.db, or PostgreSQL with HALL_DATABASE_URL), runs `fn`
 * with its service, and closes it; a database that cannot be opened is reported as the command's failure.
 */
async function withHall(
  ctx: CliContext,
  json: boolean | undefined,
  fn: (h: OpenHall) => Promise<void> | void,
): Promise<void> {
  const { hall, config } = await loadHall(ctx);
  const opened = await hall.openHallStore(config);
  if (!opened.ok) return ctx.fail(json, opened.message);
  const db = opened.store.sql;
  try {
    const clock = () => new Date();
    await fn({
      hall,
      db,
      service: await hall.createHallService({ db, dataDir: config.dataDir, clock }),
      clock,
    });
  } finally {
    await opened.store.close();
  }
}

/** A 属地 code as the contract has it (6, 9 or 12 digits); exit 2 otherwise. */
async function jurisdictionOf({ io }: CliContext, code: string): Promise<string> {
  const { jurisdictionSchema } = await import('../../shared/wire/index.js');
  if (!jurisdictionSchema.safeParse(code).success) {
    io.err(`bad jurisdiction code "${code}": expected a 6, 9 or 12 digit administrative division code`);
    throw new CliExit(2);
  }
  return code;
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
  {
    name: 'publish-window-hours',
    stream: 'window-hours',
    arg: '<file>',
    what: 'the windows’ opening hours (JSON or YAML like resources/calendar/window-hours.json)',
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
      if (!/^[0-9A-Za-z]{15,18}$/.test(o.idNumber))
        return fail(o.json, 'the ID number is 15–18 letters or digits');
      await withHall(ctx, o.json, async ({ service }) => {
        await service.addLicence(o.idNumber, o.material, o.licenceNo);
        if (o.json) io.out(JSON.stringify({ ok: true, material: o.material }));
        else io.out(`licence ${o.material} recorded`);
      });
    });

  const dbCmd = hallCmd.command('db').description('the hall database and its at-rest key');
  registerHallRecoveryCommands(dbCmd, ctx);
  dbCmd
    .command('reseal')
    .description(
      'rotate the hall at-rest key: seal every sealed value (hall.db, or PostgreSQL with HALL_DATABASE_URL) and blob again under a new key (stop every hall node first; run again to finish an interrupted one; unfinished uploads restart)',
    )
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const { hall, config } = await loadHall(ctx);
      if (config.databaseUrl !== undefined) {
        // PostgreSQL (HALL_DATABASE_URL): every node stopped; the values resealed in the process.
        const r = await hall.resealPostgresHall({
          dataDir: config.dataDir,
          databaseUrl: config.databaseUrl,
          atRest: hall.hallAtRestOptions(config),
        });
        if (!r.ok) return fail(o.json, r.error);
        return printRotation(io, o.json, r.value);
      }
      const { rotateAtRestKey } = await import('../../sqlite/index.js');
      const { rmSync } = await import('node:fs');
      const path = join(config.dataDir, 'hall.db');
      const options = hall.hallAtRestOptions(config);
      const r = await rotateAtRestKey({
        keyFile: hall.hallKeyFileFor(path, options.keyFile).path,
        open: () => hall.openHallDatabase(path, options),
        roots: [join(config.dataDir, 'blobs')],
        beforeFiles: async (db) => {
          // Blobs an older hall kept in clear are sealed (with the new key); unfinished uploads
          // are frames of the old key: dropped, and the kiosks upload those blobs again from 0.
          // Packed blobs are records inside pack files (not sealed files of their own): the packs
          // holding blobs of the old key are rewritten under the new one (docs/blob-store.md).
          const blobs = hall.createHallBlobs({
            sql: hall.hallSqlOf(db),
            dataDir: config.dataDir,
            clock: () => new Date(),
          });
          blobs.blobStore.sealClearBlobs();
          await blobs.blobMaintenance.resealPacks();
          rmSync(join(config.dataDir, 'blobs', '.partial'), { recursive: true, force: true });
        },
      });
      if (!r.ok) return fail(o.json, r.error);
      printRotation(io, o.json, r.value);
    });

  registerHallBlobCommands(hallCmd, ctx, (json, fn) => withHall(ctx, json, ({ service }) => fn(service)));

  hallCmd
    .command('staff-token')
    .description('create a bearer token for a staff member of one jurisdiction (staff API)')
    .requiredOption('--jurisdiction <code>', '属地 code whose cases the staff member handles')
    .requiredOption('--name <name>', 'staff member, as recorded with each action')
    .option('--json', 'print JSON')
    .action(async (o: { jurisdiction: string; name: string; json?: boolean }) => {
      const jurisdiction = await jurisdictionOf(ctx, o.jurisdiction);
      await withHall(ctx, o.json, async ({ hall, db, service, clock }) => {
        const token = await hall.createStaffDesk({ db, service, clock }).createToken(o.name, jurisdiction);
        if (o.json) io.out(JSON.stringify({ token, name: o.name, jurisdiction }));
        else io.out(token);
      });
    });
  // Listing and revoking staff tokens (docs/security.md, "The hall as an Internet-facing service").
  const staffCmd = hallCmd
    .command('staff')
    .description('staff accounts (add, reset, disable, accounts) and bearer tokens (list, revoke)');
  registerStaffAccountCommands(staffCmd, ctx);
  const tokenHours = (config: { limits?: { staffTokenHours?: number } }) => config.limits?.staffTokenHours;
  staffCmd
    .command('list')
    .description('list staff tokens: id, name, jurisdiction, created, expires, state (never the token)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const { config } = await loadHall(ctx);
      await withHall(ctx, o.json, async ({ hall, db, service, clock }) => {
        const hours = tokenHours(config);
        const desk = hall.createStaffDesk({ db, service, clock, ...(hours ? { tokenHours: hours } : {}) });
        const tokens = await desk.listTokens();
        if (o.json) io.out(JSON.stringify({ tokens }));
        else if (tokens.length === 0) io.out('no staff tokens');
        else
          for (const t of tokens)
            io.out(`${t.id}  ${t.state.padEnd(7)}  ${t.jurisdiction}  ${t.name}  (expires ${t.expiresAt})`);
      });
    });
  staffCmd
    .command('revoke <id>')
    .description('revoke a staff token by its id (as listed); it is refused from the next request on')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await withHall(ctx, o.json, async ({ hall, db, service, clock }) => {
        const r = await hall.createStaffDesk({ db, service, clock }).revokeToken(id.trim().toLowerCase());
        if (!r.ok) {
          const why = {
            'bad-id': 'a token id is the 12 hex digits shown by `hall staff list`',
            'not-found': `no staff token with id ${id}`,
            ambiguous: `more than one token has id ${id}; nothing was revoked`,
            'already-revoked': `staff token ${id} was already revoked`,
          }[r.error];
          return fail(o.json, why);
        }
        if (o.json) io.out(JSON.stringify({ ok: true, id }));
        else io.out(`staff token ${id} revoked`);
      });
    });

  hallCmd
    .command('enrollment-code')
    .description('create a one-time kiosk enrolment code')
    .option('--jurisdiction <code>', '属地 code of the kiosk (default: $HALL_JURISDICTION, else 000000)')
    .option('--ttl-hours <n>', 'hours until the code expires', '24')
    .option('--json', 'print JSON')
    .action(async (o: { jurisdiction?: string; ttlHours: string; json?: boolean }) => {
      const jurisdiction = await jurisdictionOf(ctx, o.jurisdiction ?? (env.HALL_JURISDICTION || '000000'));
      const ttl = Number(o.ttlHours);
      if (!Number.isFinite(ttl) || ttl <= 0) {
        io.err('--ttl-hours must be a positive number');
        throw new CliExit(2);
      }
      await withHall(ctx, o.json, async ({ service }) => {
        const r = await service.createEnrollmentCode(jurisdiction, ttl * 3600_000);
        if (o.json) io.out(JSON.stringify(r));
        else io.out(`${r.code}  (jurisdiction ${r.jurisdiction}, valid until ${r.expiresAt})`);
      });
    });

  for (const p of PUBLISH_COMMANDS) {
    hallCmd
      .command(`${p.name} ${p.arg}`)
      .description(`validate ${p.what} and publish it to every kiosk`)
      .option('--json', 'print JSON')
      .action(async (path: string, o: { json?: boolean }) => {
        const { publishDocument, readPublishable } = await import('../hall-publish.js');
        const doc = readPublishable(p.stream, path);
        if (!doc.ok) return fail(o.json, doc.error);
        await withHall(ctx, o.json, async ({ service }) => {
          const r = await publishDocument(service, p.stream, doc.data);
          if (o.json) io.out(JSON.stringify({ ok: true, ...r, label: doc.label }));
          else
            io.out(
              `published ${r.stream}/${r.key} version ${r.version}${doc.label ? ` (${doc.label})` : ''} to every kiosk`,
            );
        });
      });
  }
};
