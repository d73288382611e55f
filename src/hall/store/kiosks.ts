/**
 * Kiosks and how they reach the hall: one-time enrolment codes, the kiosks with their credentials
 * and last applied seq, replay nonces, and the heartbeats the fleet view shows.
 */
import type { StorageSpace } from '../../shared/storage-space.js';
import type { DeviceHealth } from '../../shared/wire/index.js';
import type { HallSql } from './sql.js';
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

const KIOSK =
  'SELECT id, jurisdiction, secret, last_applied_seq AS "lastAppliedSeq" FROM kiosks WHERE id = ?';
const CODE_COLUMNS =
  'code, jurisdiction, expires_at AS "expiresAt", used_at AS "usedAt", kiosk_id AS "kioskId", kiosk_public_key AS "kioskPublicKey"';
const FLEET = `SELECT k.id, k.jurisdiction, k.enrolled_at AS "enrolledAt", k.last_contact_at AS "lastContactAt",
         k.last_applied_seq AS "lastAppliedSeq",
         (SELECT max(e.received_at) FROM entries e WHERE e.kiosk_id = k.id) AS "lastPushAt",
         h.at AS "heartbeatAt", h.backlog, h.app_version AS "appVersion", h.devices,
         h.storage_free_bytes AS "freeBytes", h.storage_total_bytes AS "totalBytes"
  FROM kiosks k LEFT JOIN kiosk_heartbeats h ON h.kiosk_id = k.id ORDER BY k.jurisdiction, k.enrolled_at, k.id`;

type KioskRow = Omit<Kiosk, 'secret'> & { secret: string };

export function createKioskStore(sql: HallSql) {
  const opened = (r: KioskRow | undefined): Kiosk | undefined =>
    r === undefined ? undefined : { ...r, secret: sql.open(r.secret) };
  return {
    get: async (id: string): Promise<Kiosk | undefined> => opened(await sql.get<KioskRow>(KIOSK, [id])),
    /**
     * The kiosk, its row locked until the caller's transaction ends (PostgreSQL: FOR UPDATE, so two
     * hall nodes pushing for one kiosk take turns; SQLite: the transaction is already IMMEDIATE).
     */
    getForUpdate: async (id: string): Promise<Kiosk | undefined> =>
      opened(await sql.get<KioskRow>(KIOSK + sql.dialect({ sqlite: '', postgres: ' FOR UPDATE' }), [id])),
    count: async (): Promise<number> => Number(await sql.value<number>('SELECT count(*) FROM kiosks')),
    async insert(k: {
      id: string;
      jurisdiction: string;
      secretHash: string;
      secret: string;
      enrolledAt: string;
    }): Promise<void> {
      await sql.run(
        'INSERT INTO kiosks (id, jurisdiction, secret_hash, secret, enrolled_at) VALUES (?, ?, ?, ?, ?)',
        [k.id, k.jurisdiction, k.secretHash, sql.seal(k.secret), k.enrolledAt],
      );
    },
    /** A new kiosk that re-enrolled: the rows before `seq + 1` were acknowledged by another hall. */
    async startAfterSeq(id: string, seq: number): Promise<void> {
      await sql.run('UPDATE kiosks SET last_applied_seq = ? WHERE id = ?', [seq, id]);
    },
    async setLastAppliedSeq(id: string, seq: number, at: string): Promise<void> {
      await sql.run('UPDATE kiosks SET last_applied_seq = ?, last_contact_at = ? WHERE id = ?', [
        seq,
        at,
        id,
      ]);
    },

    async addEnrollmentCode(c: {
      code: string;
      jurisdiction: string;
      createdAt: string;
      expiresAt: string;
    }): Promise<void> {
      await sql.run(
        'INSERT INTO enrollment_codes (code, jurisdiction, created_at, expires_at) VALUES (?, ?, ?, ?)',
        [c.code, c.jurisdiction, c.createdAt, c.expiresAt],
      );
    },
    enrollmentCode: (code: string): Promise<EnrollmentCode | undefined> =>
      sql.get<EnrollmentCode>(`SELECT ${CODE_COLUMNS} FROM enrollment_codes WHERE code = ?`, [code]),
    // Sealed enrolment finds the code by its proof (the code never travels): the newest first.
    enrollmentCodes: (): Promise<EnrollmentCode[]> =>
      sql.all<EnrollmentCode>(`SELECT ${CODE_COLUMNS} FROM enrollment_codes ORDER BY created_at DESC`),
    async useEnrollmentCode(
      code: string,
      kioskId: string,
      kioskPublicKey: string,
      at: string,
    ): Promise<void> {
      await sql.run(
        'UPDATE enrollment_codes SET used_at = ?, kiosk_id = ?, kiosk_public_key = ? WHERE code = ? AND used_at IS NULL',
        [at, kioskId, kioskPublicKey, code],
      );
    },

    /**
     * Claims a request's nonce and records the kiosk's last contact: false when this kiosk already
     * used the nonce (a replay). One statement on PostgreSQL (a round trip per request saved); two on
     * SQLite, inside the caller's transaction either way.
     */
    async claimNonce(kioskId: string, nonce: string, seenMs: number, at: string): Promise<boolean> {
      if (sql.engine === 'postgres')
        return (
          (
            await sql.run(
              `WITH claimed AS (INSERT INTO nonces (kiosk_id, nonce, seen_ms) VALUES (@kioskId, @nonce, @seenMs)
                 ON CONFLICT DO NOTHING RETURNING kiosk_id)
               UPDATE kiosks SET last_contact_at = @at WHERE id IN (SELECT kiosk_id FROM claimed)`,
              { kioskId, nonce, seenMs, at },
            )
          ).changes > 0
        );
      const fresh =
        (
          await sql.run(
            'INSERT INTO nonces (kiosk_id, nonce, seen_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
            [kioskId, nonce, seenMs],
          )
        ).changes > 0;
      if (fresh) await sql.run('UPDATE kiosks SET last_contact_at = ? WHERE id = ?', [at, kioskId]);
      return fresh;
    },
    async forgetNoncesSeenBefore(ms: number): Promise<void> {
      await sql.run('DELETE FROM nonces WHERE seen_ms < ?', [ms]);
    },

    async saveHeartbeat(h: {
      kioskId: string;
      at: string;
      backlog: number;
      appVersion: string;
      devices: readonly DeviceHealth[];
      storage: StorageSpace | null;
    }): Promise<void> {
      await sql.run(
        `INSERT INTO kiosk_heartbeats (kiosk_id, at, backlog, app_version, devices, storage_free_bytes, storage_total_bytes)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(kiosk_id) DO UPDATE SET at = excluded.at, backlog = excluded.backlog,
           app_version = excluded.app_version, devices = excluded.devices,
           storage_free_bytes = excluded.storage_free_bytes, storage_total_bytes = excluded.storage_total_bytes`,
        [
          h.kioskId,
          h.at,
          h.backlog,
          h.appVersion,
          JSON.stringify(h.devices),
          h.storage?.freeBytes ?? null,
          h.storage?.totalBytes ?? null,
        ],
      );
    },
    fleet: async (): Promise<FleetRow[]> =>
      (
        await sql.all<
          Omit<FleetRow, 'devices' | 'storage'> & {
            devices: string | null;
            freeBytes: number | null;
            totalBytes: number | null;
          }
        >(FLEET)
      ).map(({ freeBytes, totalBytes, ...r }) => ({
        ...r,
        devices: r.devices === null ? null : readDevices(r.devices),
        storage: freeBytes === null || totalBytes === null ? null : { freeBytes, totalBytes },
      })),
  };
}

export type KioskStore = ReturnType<typeof createKioskStore>;
