/**
 * The signed calls to the hall besides sync (docs/sync-protocol.md, section 5c and after): the
 * heartbeat for the fleet view, shared-licence lookup (电子证照) and the hall's queue. None of them
 * may hold a resident up: each has a short timeout and answers null (or, for the heartbeat,
 * nothing) when the hall cannot answer quickly, and the kiosk carries on offline.
 */
import type { StorageSpace } from '../shared/storage-space.js';
import {
  licenceLookupResponseSchema,
  queueStatusResponseSchema,
  takeTicketResponseSchema,
  type DeviceHealth,
  type Heartbeat,
  type LicenceLookupRequest,
  type TakeTicketRequest,
  type TakeTicketResponse,
} from './protocol.js';
import { describeError } from './sync-error.js';
import type { SyncLogger, Transport } from './transport.js';

export type { DeviceHealth };

/** How long a resident-facing call waits for the hall before the kiosk answers offline. */
const QUICK_TIMEOUT_MS = 3000;
const HEARTBEAT_TIMEOUT_MS = 5_000;

export type HallCalls = {
  heartbeatBody: (backlog: number) => Heartbeat;
  /** Best-effort: any failure is logged and forgotten, never the caller's. */
  heartbeat: (backlog: number) => Promise<void>;
  lookupLicences: (
    idNumber: string,
    materials: readonly string[],
    timeout?: number,
  ) => Promise<ReadonlySet<string> | null>;
  takeTicket: (body: TakeTicketRequest, timeout?: number) => Promise<TakeTicketResponse | null>;
  queueStatus: (serviceDate: string, timeout?: number) => Promise<Record<string, number> | null>;
};

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

export function createHallCalls(deps: {
  transport: Transport;
  logger: SyncLogger;
  /** Devices that are not fine, reported in the heartbeat. */
  health?: () => readonly DeviceHealth[];
  /** This kiosk's software version, reported in the heartbeat. */
  appVersion?: string;
  /** The data directory's free space, reported in the heartbeat (null: could not be read). */
  storage?: () => StorageSpace | null;
}): HallCalls {
  const { transport, logger } = deps;

  /** The heartbeat's body (section 5c): also carried by a batch-sync request (batch-sync.ts). */
  function heartbeatBody(backlog: number): Heartbeat {
    const devices = (deps.health?.() ?? []).map((d) => ({
      kind: d.kind,
      state: d.state,
      detail: d.detail,
    }));
    const storage = deps.storage?.() ?? null;
    return {
      backlog,
      devices,
      appVersion: deps.appVersion ?? 'unknown',
      ...(storage ? { storage: { freeBytes: storage.freeBytes, totalBytes: storage.totalBytes } } : {}),
    };
  }

  /** POST /v1/heartbeat: backlog, unhealthy devices and version for the hall's fleet view. */
  async function heartbeat(backlog: number): Promise<void> {
    try {
      const body = heartbeatBody(backlog);
      const r = await transport.send('POST', 'v1/heartbeat', {
        body: json(body),
        timeout: Math.min(transport.timeoutMs, HEARTBEAT_TIMEOUT_MS),
      });
      if (!r.ok) logger.debug({ error: describeError(r.error) }, 'heartbeat not delivered');
      else if (r.value.status !== 200) logger.debug({ status: r.value.status }, 'hall refused the heartbeat');
    } catch (e) {
      logger.warn({ err: e }, 'heartbeat failed');
    }
  }

  /**
   * 电子证照: the materials the hall holds as shared licences for this person, or null when the hall
   * cannot answer quickly (offline, slow, refusing) — the kiosk then asks for the papers.
   */
  async function lookupLicences(
    idNumber: string,
    materials: readonly string[],
    timeout = QUICK_TIMEOUT_MS,
  ): Promise<ReadonlySet<string> | null> {
    const body: LicenceLookupRequest = { idNumber, materials: [...materials] };
    const r = await transport.send('POST', 'v1/licences/lookup', { body: json(body), timeout });
    if (!r.ok || r.value.status !== 200) return null;
    const held = licenceLookupResponseSchema.safeParse(r.value.body);
    return held.success ? new Set(held.data.held.filter((m) => materials.includes(m))) : null;
  }

  /** Queue service: a number from the hall (null when it cannot answer quickly — use the offline range). */
  async function takeTicket(
    body: TakeTicketRequest,
    timeout = QUICK_TIMEOUT_MS,
  ): Promise<TakeTicketResponse | null> {
    const r = await transport.send('POST', 'v1/queue/tickets', { body: json(body), timeout });
    if (!r.ok || r.value.status !== 200) return null;
    const t = takeTicketResponseSchema.safeParse(r.value.body);
    return t.success ? t.data : null;
  }

  /** People waiting per window today, or null when the hall cannot answer quickly. */
  async function queueStatus(
    serviceDate: string,
    timeout = QUICK_TIMEOUT_MS,
  ): Promise<Record<string, number> | null> {
    const r = await transport.send('GET', `v1/queue/status?serviceDate=${encodeURIComponent(serviceDate)}`, {
      timeout,
    });
    if (!r.ok || r.value.status !== 200) return null;
    const t = queueStatusResponseSchema.safeParse(r.value.body);
    return t.success ? t.data.waiting : null;
  }

  return { heartbeatBody, heartbeat, lookupLicences, takeTicket, queueStatus };
}
