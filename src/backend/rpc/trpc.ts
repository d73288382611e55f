import { initTRPC, TRPCError } from '@trpc/server';
import type { DeviceManager } from '../../devices/index.js';
import type { CatalogService } from '../services/catalog.js';
import type { DeviceConsole } from '../services/device-console.js';
import type { QueueService } from '../services/queue.js';
import type { TechnicianAuth } from '../services/technician.js';
import type { SyncService } from '../../sync/index.js';
import type { StatusService } from '../services/status.js';
import type { ResidentServices } from '../services/resident.js';
import type { EventBus } from '../events.js';
import type { HelpCallService } from '../services/help-call.js';
import type { Logger } from '../logger.js';

/** What every procedure can reach. Built once per backend, shared by all requests. */
export type RpcContext = {
  catalog: CatalogService;
  status: StatusService;
  bus: EventBus;
  logger: Logger;
  clock: () => Date;
  version: string;
  mode: 'production' | 'development';
  devices: DeviceManager;
  queue: QueueService;
  tech: TechnicianAuth;
  deviceConsole: DeviceConsole;
  /** The sync loop; null where none runs (unit tests of the server). */
  sync: SyncService | null;
  resident: ResidentServices;
  /** 呼叫帮助 (services/help-call.ts). */
  help: HelpCallService;
};

/** Per request: the technician session presented in the x-tech-session header, if any. */
export type RequestContext = RpcContext & { techSession: string | undefined };

export const t = initTRPC.context<RequestContext>().create({
  /**
   * No stack traces in answers unless the kiosk itself is in development mode: tRPC adds them
   * whenever NODE_ENV is not "production", which a kiosk started in production mode need not set
   * (issue 13; docs/security.md, "Production mode"). Without a context (it failed), none either.
   */
  errorFormatter({ shape, ctx }) {
    if (ctx?.mode === 'development') return shape;
    const data: Partial<typeof shape.data> = { ...shape.data };
    delete data.stack;
    return { ...shape, data };
  },
  sse: {
    // Keep the stream alive through idle hours; the client reconnects by itself after a drop.
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 30_000 },
  },
});

/** Procedures of the technician console: a live technician session is required. */
export const techProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.tech.check(ctx.techSession)) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'technician session missing or expired: enter the PIN again',
    });
  }
  return next();
});

/** Simulator controls: development mode only (docs/architecture.md, "Simulator control"). */
export const simProcedure = t.procedure.use(({ ctx, next }) => {
  if (ctx.mode !== 'development') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'simulator control is refused in production mode' });
  }
  return next();
});
