/**
 * TLS between kiosk and hall (docs/security.md, "Transport and enrolment"): the reference hall serves
 * HTTPS with a configured certificate; the kiosk trusts only the CA or certificate of its
 * configuration (`hall.ca`), so a hall with any other certificate is refused; a production kiosk
 * refuses a plain-http hall that is not on this machine, and an https hall without a pinned CA.
 * Throwaway self-signed certificates are made here with the openssl CLI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { loadHallConfig } from '../hall/config.js';
import { startHallServer, type HallServer } from '../hall/index.js';
import { createSyncService, readEnrollment, type SyncService } from './index.js';
import { kioskRecords, seedCatalogRow } from './testing/kiosk-fixture.js';
import { silentLogger } from './testing/fake-fetch.js';

let root: string;
let db: Db;
let hall: HallServer | null = null;
const services: SyncService[] = [];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-tls-'));
  const opened = openDatabase(join(root, 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
  seedCatalogRow(db);
});
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
  await hall?.close();
  hall = null;
  db.close();
  rmSync(root, { recursive: true, force: true });
});

/** A self-signed certificate for 127.0.0.1 (what a small deployment might pin directly). */
function selfSigned(name: string): { certPath: string; keyPath: string; pem: string } {
  const certPath = join(root, `${name}.crt`);
  const keyPath = join(root, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { certPath, keyPath, pem: readFileSync(certPath, 'utf8') };
}

function service(url: string, o: { ca?: string; mode?: 'production' | 'development' } = {}) {
  const s = createSyncService({
    db,
    records: kioskRecords(db),
    blobDir: join(root, 'blobs'),
    clock: () => new Date(),
    logger: silentLogger,
    mode: o.mode ?? 'development',
    hall: { url, ca: o.ca },
  });
  services.push(s);
  return s;
}

describe('TLS between kiosk and hall', () => {
  it('serves HTTPS from HALL_TLS_CERT / HALL_TLS_KEY; the kiosk pins its certificate and syncs', async () => {
    const cert = selfSigned('hall');
    const cfg = loadHallConfig({
      HALL_PORT: '0',
      HALL_DATA_DIR: join(root, 'hall'),
      HALL_TLS_CERT: cert.certPath,
      HALL_TLS_KEY: cert.keyPath,
    });
    if (!cfg.ok) throw new Error(cfg.error);
    hall = await startHallServer(cfg.config, { silent: true });
    expect(hall.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const sync = service(hall.url, { ca: cert.pem, mode: 'production' });
    const r = await sync.enroll((await hall.service.createEnrollmentCode('610113')).code);
    expect(r).toMatchObject({ ok: true });
    expect(await sync.runOnce()).toMatchObject({ ok: true });
    // Plain http to the HTTPS port gets nowhere.
    await expect(fetch(hall.url.replace('https:', 'http:') + 'healthz')).rejects.toThrow();
  });

  it('refuses a hall whose certificate is not the pinned one, and enrols nothing', async () => {
    const real = selfSigned('hall');
    const other = selfSigned('impostor');
    hall = await startHallServer(
      { host: '127.0.0.1', port: 0, dataDir: join(root, 'hall'), tls: real },
      { silent: true },
    );
    const sync = service(hall.url, { ca: other.pem });
    const r = await sync.enroll((await hall.service.createEnrollmentCode('610113')).code);
    expect(r).toMatchObject({ ok: false, error: { kind: 'network' } });
    expect(JSON.stringify(r)).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
    expect(readEnrollment(db)).toBeNull();
  });

  it('in production refuses plain http off this machine and https without a pinned CA', async () => {
    const offBox = await service('http://hall.example:8790/', { mode: 'production' }).enroll('ABCDABCDABCD');
    expect(offBox).toMatchObject({ ok: false, error: { kind: 'hall-refused' } });
    expect(JSON.stringify(offBox)).toMatch(/unencrypted hall address http:\/\/hall\.example:8790/);
    const noCa = await service('https://hall.example/', { mode: 'production' }).enroll('ABCDABCDABCD');
    expect(noCa).toMatchObject({ ok: false, error: { kind: 'hall-refused' } });
    expect(JSON.stringify(noCa)).toMatch(/hall\.ca/);
    const none = await createSyncService({
      db,
      records: kioskRecords(db),
      blobDir: join(root, 'blobs'),
      clock: () => new Date(),
      logger: silentLogger,
    }).enroll('ABCDABCDABCD');
    expect(none).toMatchObject({ ok: false, error: { kind: 'hall-refused' } });
    // Loopback (a TLS proxy beside the kiosk) stays allowed in production.
    hall = await startHallServer(
      { host: '127.0.0.1', port: 0, dataDir: join(root, 'hall') },
      { silent: true },
    );
    const local = await service(hall.url, { mode: 'production' }).enroll(
      (await hall.service.createEnrollmentCode('610113')).code,
    );
    expect(local).toMatchObject({ ok: true });
  });

  it('says clearly when only one of HALL_TLS_CERT and HALL_TLS_KEY is set, or a file is missing', () => {
    expect(loadHallConfig({ HALL_TLS_CERT: '/x.crt' })).toMatchObject({ ok: false, error: /go together/ });
    expect(loadHallConfig({ HALL_TLS_CERT: '/nope.crt', HALL_TLS_KEY: '/nope.key' })).toMatchObject({
      ok: false,
      error: /HALL_TLS_CERT: file not found/,
    });
  });
});
