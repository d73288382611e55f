/**
 * Fleet view: every enrolled kiosk with its last contact (kiosks.last_contact_at, touched by every
 * authenticated request), what the hall has taken from it (last applied seq, last push), and what
 * the kiosk itself reported in its last heartbeat (`POST /v1/heartbeat`: outbox backlog, the devices
 * that are not fine, app version, the data directory's free space).
 */
import { storageLow } from '../shared/storage-space.js';
import { describeIssues, heartbeatSchema, type Heartbeat } from '../shared/wire/index.js';
import { badRequest, type HttpAnswer } from './answers.js';
import { createKioskStore, hallSqlOf, type HallDatabase } from './store/index.js';

/** A kiosk heard from within this window counts as online (an idle kiosk long-polls every ≤ 25 s). */
export const ONLINE_WITHIN_MS = 2 * 60_000;

export { heartbeatSchema, type Heartbeat };

/** ok: nothing reported; degraded: a warning (e.g. paper near end); fault: a device failed or is gone. */
export type FleetHealth = 'ok' | 'degraded' | 'fault' | 'unknown';

export function healthOf(devices: Heartbeat['devices'] | null): FleetHealth {
  if (devices === null) return 'unknown';
  if (devices.some((d) => d.state === 'fault' || d.state === 'disconnected' || d.state === 'error'))
    return 'fault';
  return devices.length > 0 ? 'degraded' : 'ok';
}

export function createFleet(deps: { db: HallDatabase; clock: () => Date }) {
  const kiosks = createKioskStore(hallSqlOf(deps.db));

  /** POST /v1/heartbeat from an authenticated kiosk. */
  async function heartbeat(kioskId: string, raw: unknown): Promise<HttpAnswer> {
    const b = heartbeatSchema.safeParse(raw);
    if (!b.success) return badRequest(describeIssues(b.error));
    const at = deps.clock().toISOString();
    await kiosks.saveHeartbeat({
      kioskId,
      at,
      backlog: b.data.backlog,
      appVersion: b.data.appVersion,
      devices: b.data.devices,
      storage: b.data.storage ?? null,
    });
    return { status: 200, body: { ok: true, at } };
  }

  /** GET /v1/staff/fleet. */
  async function report() {
    const now = deps.clock();
    return {
      generatedAt: now.toISOString(),
      onlineWithinMs: ONLINE_WITHIN_MS,
      kiosks: (await kiosks.fleet()).map((r) => ({
        id: r.id,
        jurisdiction: r.jurisdiction,
        enrolledAt: r.enrolledAt,
        lastContactAt: r.lastContactAt,
        connection:
          r.lastContactAt === null
            ? ('never' as const)
            : now.getTime() - Date.parse(r.lastContactAt) <= ONLINE_WITHIN_MS
              ? ('online' as const)
              : ('offline' as const),
        lastAppliedSeq: r.lastAppliedSeq,
        lastPushAt: r.lastPushAt,
        backlog: r.backlog,
        heartbeatAt: r.heartbeatAt,
        appVersion: r.appVersion,
        devices: r.devices ?? [],
        health: healthOf(r.devices),
        /** The data directory's free space (null: not reported); `low` as the kiosk's console says it. */
        storage: r.storage && { ...r.storage, low: storageLow(r.storage.freeBytes, r.storage.totalBytes) },
      })),
    };
  }

  return { heartbeat, report };
}

export type Fleet = ReturnType<typeof createFleet>;

/** The body of GET /v1/staff/fleet (docs/sync-protocol.md, section 8.5); the staff page reads it. */
export type FleetReport = Awaited<ReturnType<Fleet['report']>>;
