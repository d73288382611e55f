/**
 * Kiosks and how they reach the hall: one-time enrolment codes, the kiosks with their credentials
 * and last applied seq, replay nonces, and the heartbeats the fleet view shows.
 */
import type { StorageSpace } from '../../shared/storage-space.js';
import type { DeviceHealth } from '../../shared/wire/index.js';
import type { HallDb } from './db.js';
import { readDevices } from './stored.js';

export type Kiosk = { id: string; jurisdiction: string; secret: string; lastAppliedSeq: number };

export type EnrollmentCode = {
  code: string;
  jurisdiction: string;
  expiresAt: string;
  usedAt: string | null;
  /** The kiosk that used it and the public key it enrolled with (migration 16: a lost answer is answered again). */
  kioskId: string | null;
  kioskPublicKey: string | null;
};

/** One kiosk as the fleet view shows it: what the hall knows and what its last heartbeat said. */
export type FleetRow = {
  id: string;
  jurisdiction: string;
  enrolledAt: string;
  lastContactAt: string | null;
  lastAppliedSeq: number;
  lastPushAt: string | null;
  heartbeatAt: string | null;
  backlog: number | null;
  appVersion: string | null;
  /** null: no heartbeat yet. */
  devices: DeviceHealth[] | null;
  /** The data directory's free space; null: no heartbeat yet, or one without it (an older kiosk). */
  storage: StorageSpace | null;
};

export function createKioskStore(db: HallDb) {
  const q = {
    kiosk: db.prepare(
      'SELECT id, jurisdiction, zk_open(secret) AS secret, last_applied_seq AS lastAppliedSeq FROM kiosks WHERE id = ?',
    ),
    count: db.prepare('SELECT count(*) FROM kiosks').pluck(),
    insKiosk: db.prepare(
      'INSERT INTO kiosks (id, jurisdiction, secret_hash, secret, enrolled_at) VALUES (?, ?, ?, zk_seal(?), ?)',
    ),
    touch: db.prepare('UPDATE kiosks SET last_contact_at = ? WHERE id = ?'),
    startAfter: db.prepare('UPDATE kiosks SET last_applied_seq = ? WHERE id = ?'),
    setSeq: db.prepare('UPDATE kiosks SET last_applied_seq = ?, last_contact_at = ? WHERE id = ?'),
    insCode: db.prepare(
      'INSERT INTO enrollment_codes (code, jurisdiction, created_at, expires_at) VALUES (?, ?, ?, ?)',
    ),
    code: db.prepare(
      'SELECT code, jurisdiction, expires_at AS expiresAt, used_at AS usedAt, kiosk_id AS kioskId, kiosk_public_key AS kioskPublicKey FROM enrollment_codes WHERE code = ?',
    ),
    // Sealed enrolment finds the code by its proof (the code never travels): the newest first.
    allCodes: db.prepare(
      'SELECT code, jurisdiction, expires_at AS expiresAt, used_at AS usedAt, kiosk_id AS kioskId, kiosk_public_key AS kioskPublicKey FROM enrollment_codes ORDER BY created_at DESC',
    ),
    useCode: db.prepare(
      'UPDATE enrollment_codes SET used_at = ?, kiosk_id = ?, kiosk_public_key = ? WHERE code = ? AND used_at IS NULL',
    ),
    insNonce: db.prepare('INSERT OR IGNORE INTO nonces (kiosk_id, nonce, seen_ms) VALUES (?, ?, ?)'),
    purgeNonces: db.prepare('DELETE FROM nonces WHERE seen_ms < ?'),
    upsertHeartbeat: db.prepare(
      `INSERT INTO kiosk_heartbeats (kiosk_id, at, backlog, app_version, devices, storage_free_bytes, storage_total_bytes)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(kiosk_id) DO UPDATE SET at = excluded.at, backlog = excluded.backlog,
         app_version = excluded.app_version, devices = excluded.devices,
         storage_free_bytes = excluded.storage_free_bytes, storage_total_bytes = excluded.storage_total_bytes`,
    ),
    fleet: db.prepare(
      `SELECT k.id, k.jurisdiction, k.enrolled_at AS enrolledAt, k.last_contact_at AS lastContactAt,
              k.last_applied_seq AS lastAppliedSeq,
              (SELECT max(e.received_at) FROM entries e WHERE e.kiosk_id = k.id) AS lastPushAt,
              h.at AS heartbeatAt, h.backlog, h.app_version AS appVersion, h.devices,
              h.storage_free_bytes AS freeBytes, h.storage_total_bytes AS totalBytes
       FROM kiosks k LEFT JOIN kiosk_heartbeats h ON h.kiosk_id = k.id ORDER BY k.jurisdiction, k.enrolled_at, k.id`,
    ),
  };

  return {
    get: (id: string): Kiosk | undefined => q.kiosk.get(id) as Kiosk | undefined,
    count: (): number => q.count.get() as number,
    insert(k: {
      id: string;
      jurisdiction: string;
      secretHash: string;
      secret: string;
      enrolledAt: string;
    }): void {
      q.insKiosk.run(k.id, k.jurisdiction, k.secretHash, k.secret, k.enrolledAt);
    },
    touch(id: string, at: string): void {
      q.touch.run(at, id);
    },
    /** A new kiosk that re-enrolled: the rows before `seq + 1` were acknowledged by another hall. */
    startAfterSeq(id: string, seq: number): void {
      q.startAfter.run(seq, id);
    },
    setLastAppliedSeq(id: string, seq: number, at: string): void {
      q.setSeq.run(seq, at, id);
    },

    addEnrollmentCode(c: { code: string; jurisdiction: string; createdAt: string; expiresAt: string }): void {
      q.insCode.run(c.code, c.jurisdiction, c.createdAt, c.expiresAt);
    },
    enrollmentCode: (code: string): EnrollmentCode | undefined =>
      q.code.get(code) as EnrollmentCode | undefined,
    enrollmentCodes: (): EnrollmentCode[] => q.allCodes.all() as EnrollmentCode[],
    useEnrollmentCode(code: string, kioskId: string, kioskPublicKey: string, at: string): void {
      q.useCode.run(at, kioskId, kioskPublicKey, code);
    },

    /** false when this kiosk already used the nonce (a replay). */
    rememberNonce: (kioskId: string, nonce: string, seenMs: number): boolean =>
      q.insNonce.run(kioskId, nonce, seenMs).changes > 0,
    forgetNoncesSeenBefore(ms: number): void {
      q.purgeNonces.run(ms);
    },

    saveHeartbeat(h: {
      kioskId: string;
      at: string;
      backlog: number;
      appVersion: string;
      devices: readonly DeviceHealth[];
      storage: StorageSpace | null;
    }): void {
      q.upsertHeartbeat.run(
        h.kioskId,
        h.at,
        h.backlog,
        h.appVersion,
        JSON.stringify(h.devices),
        h.storage?.freeBytes ?? null,
        h.storage?.totalBytes ?? null,
      );
    },
    fleet: (): FleetRow[] =>
      (
        q.fleet.all() as (Omit<FleetRow, 'devices' | 'storage'> & {
          devices: string | null;
          freeBytes: number | null;
          totalBytes: number | null;
        })[]
      ).map(({ freeBytes, totalBytes, ...r }) => ({
        ...r,
        devices: r.devices === null ? null : readDevices(r.devices),
        storage: freeBytes === null || totalBytes === null ? null : { freeBytes, totalBytes },
      })),
  };
}

export type KioskStore = ReturnType<typeof createKioskStore>;
