/**
 * The typed RPC API (tRPC over HTTP at /api, events over SSE). One method per call, one input
 * object validated with zod. Documented in docs/api.md — keep the two in step.
 *
 * One way to say "it failed": a procedure with expected failures answers a `Result`
 * (src/shared/result.ts) whose error is a tagged union with a `kind`; it never throws for them.
 * TRPCError is left for what no screen should meet: a missing technician session (UNAUTHORIZED),
 * simulator controls outside development (FORBIDDEN), on a real device (PRECONDITION_FAILED) or
 * with a card the simulator refuses (BAD_REQUEST), and bugs; tRPC answers BAD_REQUEST itself for
 * input zod refuses.
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { idcard } from '../../devices/index.js';
import {
  DEVICE_KINDS,
  PRIORITY_KINDS,
  offeredElderlyPriority,
  windowCodeSchema,
  type KioskEvent,
} from '../../shared/index.js';
import { calendarDay } from '../../shared/working-days.js';
import { err, found, ok, sessionExpired } from '../../shared/result.js';
import { listSerialPorts } from '../services/device-console.js';
import { helpRouter } from './help-router.js';
import { describeError } from '../../sync/index.js';
import { residentRouter } from './resident-router.js';
import { simProcedure, t, techProcedure } from './trpc.js';

const langInput = z.enum(['zh', 'en']).default('zh');
const PRINTER_STATUSES = ['ready', 'paper-near-end', 'paper-out', 'cover-open', 'offline', 'error'] as const;

function simulatorOrThrow<T>(sim: T | null, what: string): T {
  if (sim === null)
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: `the ${what} is not a simulator (its address is not sim:)`,
    });
  return sim;
}

const codeInput = z.object({ code: z.string().min(1).max(64) });

/** The sync service; a server built without one (unit tests of the server) has a bug to report. */
function syncOf<T>(sync: T | null): T {
  if (sync === null) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'sync is not running' });
  return sync;
}

export const appRouter = t.router({
  ...residentRouter,
  help: helpRouter,
  system: t.router({
    /** Product name, version and the server's clock (the renderer's clock follows it). */
    info: t.procedure.query(({ ctx }) => ({
      name: 'zizhu-kiosk',
      version: ctx.version,
      now: ctx.clock().toISOString(),
    })),
    /** Devices, network and catalog as the home screen shows them. */
    status: t.procedure.query(({ ctx }) => ctx.status.snapshot()),
  }),
  catalog: t.router({
    windows: t.procedure.query(({ ctx }) => ctx.catalog.windows()),
    items: t.procedure
      .input(z.object({ window: windowCodeSchema }))
      .query(({ ctx, input }) => ctx.catalog.items(input.window)),
    search: t.procedure
      .input(
        z.object({
          query: z.string().trim().min(1).max(40),
          limit: z.number().int().min(1).max(100).default(50),
        }),
      )
      .query(({ ctx, input }) => ctx.catalog.search(input.query, input.limit)),
    /** One item's guide; not-found when the catalog has no such item (any more: it was updated). */
    item: t.procedure.input(codeInput).query(({ ctx, input }) => found(ctx.catalog.item(input.code))),
    bundles: t.procedure.query(({ ctx }) => ctx.catalog.bundles()),
    /** One 一件事 bundle with its items; not-found as for `item`. */
    bundle: t.procedure.input(codeInput).query(({ ctx, input }) => found(ctx.catalog.bundle(input.code))),
  }),
  queue: t.router({
    /** People waiting per window today from the hall's queue service; null while it cannot be asked. */
    waiting: t.procedure.query(({ ctx }) => ctx.queue.waiting()),
    /** Takes a ticket for a window category and prints it (same key → same ticket, reprinted if needed). */
    issue: t.procedure
      .input(
        z.object({
          window: windowCodeSchema,
          idempotencyKey: z.string().min(8).max(80),
          lang: langInput,
          /** 优先号 (老年人 / 残疾人 / 孕妇), declared by the resident; absent: an ordinary number. */
          priority: z.enum(PRIORITY_KINDS).optional(),
        }),
      )
      .mutation(({ ctx, input }) => ctx.queue.issue(input)),
    /** Every window's hours today, open now or not, and when it opens next (the hall's time zone). */
    hours: t.procedure.query(({ ctx }) => ctx.queue.hours()),
    /**
     * Whether this session's ID card shows 60 or over, so the screen can offer an elderly priority
     * ticket by itself. Only the yes/no leaves the backend, never the birth date.
     */
    priorityOffer: t.procedure.input(z.object({ sessionId: z.uuid() })).query(({ ctx, input }) => {
      const held = ctx.resident.sessions.held(input.sessionId);
      if (!held) return sessionExpired();
      const birthDate = held.applicant?.birthDate;
      return ok({
        elderly:
          birthDate !== undefined &&
          offeredElderlyPriority(birthDate, calendarDay(ctx.clock(), ctx.queue.timeZone)),
      });
    }),
    /** Prints a ticket again with the same number; not-found when there is no such ticket. */
    reprint: t.procedure
      .input(z.object({ id: z.uuid(), lang: langInput }))
      .mutation(({ ctx, input }) => ctx.queue.reprint(input.id, input.lang)),
  }),
  tech: t.router({
    /** PIN → technician session (send it as the x-tech-session header). Five wrong PINs lock for 5 min. */
    login: t.procedure
      .input(z.object({ pin: z.string().regex(/^\d{1,12}$/) }))
      .mutation(({ ctx, input }) => ctx.tech.login(input.pin)),
    logout: t.procedure.mutation(({ ctx }) => {
      ctx.tech.logout(ctx.techSession);
      return null;
    }),
    overview: techProcedure.query(async ({ ctx }) => ({
      mode: ctx.mode,
      devices: ctx.devices.statuses(),
      serialPorts: await listSerialPorts(),
      recentErrors: ctx.deviceConsole.recentErrors(),
      /** Free space of the data directory's file system. */
      storage: ctx.deviceConsole.storage(),
      simulated: Object.fromEntries(
        Object.entries(ctx.devices.simulators()).map(([k, v]) => [k, v !== null]),
      ),
    })),
    setDevice: techProcedure
      .input(z.object({ kind: z.enum(DEVICE_KINDS), uri: z.string().trim().min(1).max(300) }))
      .mutation(({ ctx, input }) => ctx.deviceConsole.setDevice(input.kind, input.uri)),
    readCard: techProcedure
      .input(z.object({ timeoutMs: z.number().int().min(500).max(60_000).default(15_000) }))
      .mutation(({ ctx, input }) => ctx.deviceConsole.readCard(input.timeoutMs)),
    printTest: techProcedure
      .input(z.object({ which: z.enum(['printer', 'ticketPrinter']), lang: langInput }))
      .mutation(({ ctx, input }) => ctx.deviceConsole.printTest(input.which, input.lang)),
    scanTest: techProcedure.mutation(({ ctx }) => ctx.deviceConsole.scanTest()),
    /** A document-camera frame (data URL, JPEG or PNG, up to 6 MB) through the page pipeline. */
    cameraTest: techProcedure
      .input(z.object({ image: z.string().max(8_000_000) }))
      .mutation(({ ctx, input }) => ctx.deviceConsole.cameraTest(input.image)),
    ticketTest: techProcedure
      .input(z.object({ window: windowCodeSchema, lang: langInput }))
      .mutation(({ ctx, input }) => ctx.deviceConsole.testTicket(input.window, input.lang)),
    /**
     * Sync state: backlog, last success, last error, online (as `npm run cli -- sync status`). The
     * kiosk always runs the sync service; only a test server built without one throws here.
     */
    syncStatus: techProcedure.query(({ ctx }) => ({
      ...syncOf(ctx.sync).status(),
      /** Where an enrolment goes: the configuration file's hall.url (null when none is set). */
      configuredHallUrl: syncOf(ctx.sync).configuredHallUrl(),
    })),
    /**
     * Enrols this kiosk with the hall of the configuration file (`hall.url`; never a typed address)
     * using a one-time code from the hall's operator. Audited with identity and hall before and after.
     */
    syncEnroll: techProcedure
      .input(z.object({ code: z.string().trim().min(4).max(64) }))
      .mutation(async ({ ctx, input }) => {
        const sync = syncOf(ctx.sync);
        const before = sync.status();
        const r = await sync.enroll(input.code);
        if (!r.ok) {
          ctx.tech.recordAction('tech-sync-enrol-failed', null, {
            hallUrl: sync.configuredHallUrl(),
            error: describeError(r.error),
          });
          return err(r.error);
        }
        ctx.tech.recordAction('tech-sync-enrolled', r.kioskId, {
          before: { kioskId: before.kioskId, hallUrl: before.hallUrl },
          after: { kioskId: r.kioskId, hallUrl: r.hallUrl, firstSeq: r.firstSeq },
        });
        // The sync service answers its own shape (`kioskId` beside `ok`); said here the one way.
        return ok({ kioskId: r.kioskId, hallUrl: r.hallUrl });
      }),
    /** What the simulated printers printed, newest first, as PNG data URLs. */
    previews: techProcedure
      .input(z.object({ limit: z.number().int().min(1).max(20).default(6) }))
      .query(({ ctx, input }) => ctx.deviceConsole.previews(input.limit)),
  }),
  sim: t.router({
    state: simProcedure.query(({ ctx }) => {
      const s = ctx.devices.simulators();
      return {
        idcard: s.idcard ? { card: s.idcard.snapshot().card } : null,
        printer: s.printer ? { status: s.printer.status(), receipts: s.printer.receipts().length } : null,
        ticketPrinter: s.ticketPrinter
          ? { status: s.ticketPrinter.status(), receipts: s.ticketPrinter.receipts().length }
          : null,
        scanner: s.scanner ? { feederPages: s.scanner.feederCount() } : null,
        codeReader: s.codeReader !== null,
        sampleCards: Object.keys(idcard.SAMPLE_CARDS),
      };
    }),
    insertCard: simProcedure
      .input(
        z.object({
          sample: z
            .enum(Object.keys(idcard.SAMPLE_CARDS) as [idcard.SampleCardName, ...idcard.SampleCardName[]])
            .optional(),
          card: idcard.simCardSchema.optional(),
        }),
      )
      .mutation(({ ctx, input }) => {
        const sim = simulatorOrThrow(ctx.devices.simulators().idcard, 'ID-card reader');
        const card = input.card ?? idcard.SAMPLE_CARDS[input.sample ?? 'resident'];
        const r = sim.insertCard(card);
        if (!r.ok) throw new TRPCError({ code: 'BAD_REQUEST', message: r.error });
        return null;
      }),
    removeCard: simProcedure.mutation(({ ctx }) => {
      simulatorOrThrow(ctx.devices.simulators().idcard, 'ID-card reader').removeCard();
      return null;
    }),
    idcardFault: simProcedure
      .input(z.object({ kind: z.enum(idcard.SIM_FAULT_KINDS).nullable() }))
      .mutation(async ({ ctx, input }) => {
        const sim = simulatorOrThrow(ctx.devices.simulators().idcard, 'ID-card reader');
        if (input.kind === null) await sim.clearFaults();
        else await sim.injectFault(input.kind);
        return null;
      }),
    setPrinterStatus: simProcedure
      .input(z.object({ which: z.enum(['printer', 'ticketPrinter']), status: z.enum(PRINTER_STATUSES) }))
      .mutation(({ ctx, input }) => {
        simulatorOrThrow(ctx.devices.simulators()[input.which], 'printer').setStatus(input.status);
        return null;
      }),
    scanner: simProcedure
      .input(
        z.object({
          adfState: z.enum(['loaded', 'empty', 'jam', 'door-open']).optional(),
          unavailable: z.boolean().optional(),
          feedPages: z.number().int().min(1).max(20).optional(),
        }),
      )
      .mutation(async ({ ctx, input }) => {
        const sim = simulatorOrThrow(ctx.devices.simulators().scanner, 'scanner');
        if (input.adfState) sim.setAdfState(input.adfState);
        if (input.unavailable !== undefined) sim.setUnavailable(input.unavailable);
        if (input.feedPages) sim.feedPages(input.feedPages);
        await ctx.devices.refreshScanner();
        return null;
      }),
    scanCode: simProcedure
      .input(z.object({ code: z.string().min(1).max(512) }))
      .mutation(({ ctx, input }) => {
        simulatorOrThrow(ctx.devices.simulators().codeReader, 'code reader').scan(input.code);
        return null;
      }),
  }),
  events: t.router({
    /** Server-sent events: the current status first, then every event as it happens. */
    stream: t.procedure.subscription(async function* ({ ctx, signal }): AsyncGenerator<KioskEvent> {
      yield { type: 'status', status: ctx.status.snapshot() };
      yield* ctx.bus.subscribe(signal);
    }),
  }),
});

export type AppRouter = typeof appRouter;
