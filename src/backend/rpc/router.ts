/**
 * The typed RPC API (tRPC over HTTP at /api, events over SSE). One method per call, one input
 * object validated with zod. Documented in docs/api.md — keep the two in step.
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { windowCodeSchema, type KioskEvent } from '../../shared/index.js';
import { t } from './trpc.js';

const codeInput = z.object({ code: z.string().min(1).max(64) });

export const appRouter = t.router({
  system: t.router({
    /** Product name, version and the server's clock (the renderer's clock follows it). */
    info: t.procedure.query(({ ctx }) => ({ name: 'zizhu-kiosk', version: ctx.version, now: ctx.clock().toISOString() })),
    /** Devices, network and catalog as the home screen shows them. */
    status: t.procedure.query(({ ctx }) => ctx.status.snapshot()),
  }),
  catalog: t.router({
    windows: t.procedure.query(({ ctx }) => ctx.catalog.windows()),
    items: t.procedure.input(z.object({ window: windowCodeSchema })).query(({ ctx, input }) => ctx.catalog.items(input.window)),
    search: t.procedure
      .input(z.object({ query: z.string().trim().min(1).max(40), limit: z.number().int().min(1).max(100).default(50) }))
      .query(({ ctx, input }) => ctx.catalog.search(input.query, input.limit)),
    item: t.procedure.input(codeInput).query(({ ctx, input }) => {
      const item = ctx.catalog.item(input.code);
      if (!item) throw new TRPCError({ code: 'NOT_FOUND', message: `no service item ${input.code}` });
      return item;
    }),
    bundles: t.procedure.query(({ ctx }) => ctx.catalog.bundles()),
    bundle: t.procedure.input(codeInput).query(({ ctx, input }) => {
      const bundle = ctx.catalog.bundle(input.code);
      if (!bundle) throw new TRPCError({ code: 'NOT_FOUND', message: `no bundle ${input.code}` });
      return bundle;
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
