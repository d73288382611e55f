/**
 * Fleet view: every enrolled kiosk with its last contact (kiosks.last_contact_at, touched by every
 * authenticated request), what the hall has taken from it (last applied seq, last push), and what
 * the kiosk itself reported in its last heartbeat (`POST /v1/heartbeat`: outbox backlog, the devices
 * that are not fine, app version).
 */
import { describeIssues, heartbeatSchema, type Heartbeat } from '../shared/wire/index.js';
import type { HttpAnswer } from './service.js';
import type { HallDb } from './store/index.js';

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

export function createFleet(deps: { db: HallDb; clock: () => Date }) {
  const { db } = deps;
  const q = {
    upsert: db.prepare(
      `INSERT INTO kiosk_heartbeats (kiosk_id, at, backlog, app_version, devices) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(kiosk_id) DO UPDATE SET at = excluded.at, backlog = excluded.backlog,
         app_version = excluded.app_version, devices = excluded.devices`,
    ),
    kiosks: db.prepare(
      `SELECT k.id, k.jurisdiction, k.enrolled_at AS enrolledAt, k.last_contact_at AS lastContactAt,
              k.last_applied_seq AS lastAppliedSeq,
              (SELECT max(e.received_at) FROM entries e WHERE e.kiosk_id = k.id) AS lastPushAt,
              h.at AS heartbeatAt, h.backlog, h.app_version AS appVersion, h.devices
       FROM kiosks k LEFT JOIN kiosk_heartbeats h ON h.kiosk_id = k.id ORDER BY k.jurisdiction, k.enrolled_at, k.id`,
    ),
  };

  /** POST /v1/heartbeat from an authenticated kiosk. */
  function heartbeat(kioskId: string, raw: unknown): HttpAnswer {
    const b = heartbeatSchema.safeParse(raw);
    if (!b.success) {
      return {
        status: 400,
        body: {
          error: 'bad-request',
          message: describeIssues(b.error),
        },
      };
    }
    const at = deps.clock().toISOString();
    q.upsert.run(kioskId, at, b.data.backlog, b.data.appVersion, JSON.stringify(b.data.devices));
    return { status: 200, body: { ok: true, at } };
  }

  /** GET /v1/staff/fleet. */
  function report() {
    const now = deps.clock();
    const rows = q.kiosks.all() as {
      id: string;
      jurisdiction: string;
      enrolledAt: string;
      lastContactAt: string | null;
      lastAppliedSeq: number;
      lastPushAt: string | null;
      heartbeatAt: string | null;
      backlog: number | null;
      appVersion: string | null;
      devices: string | null;
    }[];
    return {
      generatedAt: now.toISOString(),
      onlineWithinMs: ONLINE_WITHIN_MS,
      kiosks: rows.map((r) => {
        const devices = r.devices === null ? null : (JSON.parse(r.devices) as Heartbeat['devices']);
        return {
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
          devices: devices ?? [],
          health: healthOf(devices),
        };
      }),
    };
  }

  return { heartbeat, report };
}

export type Fleet = ReturnType<typeof createFleet>;

/** The body of GET /v1/staff/fleet (docs/sync-protocol.md, section 8.5); the staff page reads it. */
export type FleetReport = ReturnType<Fleet['report']>;
