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

/** Input fields a console action's audit entry keeps (no codes, PINs or camera frames). */
const AUDITED_INPUT = ['kind', 'uri', 'which', 'window', 'lang', 'timeoutMs'] as const;

function auditedInput(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null) return {};
  const input = raw as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const k of AUDITED_INPUT) {
    const v = input[k];
    if (typeof v === 'string') kept[k] = v.slice(0, 300);
    else if (typeof v === 'number' || typeof v === 'boolean') kept[k] = v;
  }
  // Other fields are named but not kept (an enrolment code, an image).
  for (const k of Object.keys(input)) if (!(k in kept)) kept[k] = '(not recorded)';
  return kept;
}

/** The outcome of a console action: `ok`, the refusal's kind, or `error` for a thrown failure. */
function outcomeOf(result: { ok: boolean; data?: unknown }): string {
  if (!result.ok) return 'error';
  const d = result.data;
  if (typeof d === 'object' && d !== null && 'ok' in d && d.ok === false) {
    const e = (d as { error?: { kind?: unknown } }).error;
    return typeof e?.kind === 'string' ? e.kind : 'refused';
  }
  return 'ok';
}

/**
 * Procedures of the technician console: a live technician session is required, and every action
 * (mutation) is written to the audit log with its input and outcome (docs/security.md, "Technician
 * powers"); actions that change settings record their before/after themselves.
 */
export const techProcedure = t.procedure.use(async ({ ctx, next, type, path, getRawInput }) => {
  if (!ctx.tech.check(ctx.techSession)) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'technician session missing or expired: enter the PIN again',
    });
  }
  const result = await next();
  if (type === 'mutation') {
    const input = auditedInput(await getRawInput().catch(() => null));
    ctx.tech.recordAction('tech-action', path, { input, outcome: outcomeOf(result) });
  }
  return result;
});

/** Simulator controls: development mode only (docs/architecture.md, "Simulator control"). */
export const simProcedure = t.procedure.use(({ ctx, next }) => {
  if (ctx.mode !== 'development') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'simulator control is refused in production mode' });
  }
  return next();
});
