import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshIv } from './sealer.js';
import {
  createSealer,
  ensurePrivateDir,
  isSealedBytes,
  isSealedText,
  loadKeyFile,
  SEAL_ALGORITHMS,
  tightenTree,
} from './index.js';

const ID = '11010519491231002X';
/** 'ZKS1', the sealed envelope's magic (sealer.ts). */
const MAGIC_LENGTH = 4;

describe.each(SEAL_ALGORITHMS)('sealer %s', (algorithm) => {
  const key = randomBytes(32);
  const sealer = createSealer({ key, algorithm });

  it('round-trips bytes and text, and the sealed form holds no plaintext', () => {
    const sealed = sealer.seal(Buffer.from(ID));
    expect(isSealedBytes(sealed)).toBe(true);
    expect(sealed.includes(Buffer.from(ID))).toBe(false);
    const opened = sealer.open(sealed);
    expect(opened.ok && opened.value.toString()).toBe(ID);
    const text = sealer.sealText(`李秀英 ${ID}`);
    expect(isSealedText(text)).toBe(true);
    expect(text).not.toContain(ID);
    expect(JSON.parse(text)).toMatch(/^zk1:/); // valid JSON: json_valid() columns accept it
    expect(sealer.openText(text)).toBe(`李秀英 ${ID}`);
    expect(sealer.sealText(null)).toBeNull();
  });

  it('seals the same value differently each time (random IV)', () => {
    expect(sealer.sealText(ID)).not.toBe(sealer.sealText(ID));
  });

  it('refuses a changed byte, a foreign key and passes unsealed text through', () => {
    const sealed = sealer.seal(Buffer.from(ID));
    for (const at of [5, sealed.length - 1, sealed.length - 20]) {
      const bad = Buffer.from(sealed);
      bad[at] = (bad[at] ?? 0) ^ 0x01;
      expect(sealer.open(bad).ok).toBe(false);
    }
    const other = createSealer({ key: randomBytes(32), algorithm });
    expect(other.open(sealed)).toMatchObject({ ok: false, error: { kind: 'unknown-key' } });
    expect(() => other.openText(sealer.sealText(ID))).toThrow(/does not open.*key/);
    expect(sealer.openText('{"purged":true}')).toBe('{"purged":true}');
    expect(sealer.open(Buffer.from('plain')).ok).toBe(false);
  });

  it('opens values sealed with a previous key after a rotation', () => {
    const next = createSealer({ key: randomBytes(32), algorithm, previous: [key] });
    expect(next.keyId).not.toBe(sealer.keyId);
    expect(next.openText(sealer.sealText(ID))).toBe(ID);
  });
});

describe('IVs from the pooled CSPRNG bytes', () => {
  it('are never handed out twice, across pool refills, and never change once handed out', () => {
    const first = freshIv(12);
    const kept = Buffer.from(first);
    const seen = new Set<string>([kept.toString('hex')]);
    // 3,000 × 12–16 bytes: about ten 4 KiB pools.
    for (let i = 0; i < 3000; i++) {
      const iv = freshIv(i % 2 === 0 ? 12 : 16);
      expect(iv.length).toBe(i % 2 === 0 ? 12 : 16);
      seen.add(iv.toString('hex'));
    }
    expect(seen.size).toBe(3001);
    expect(first.equals(kept)).toBe(true);
  });

  it('seals 2,000 values of one plaintext to 2,000 different IVs', () => {
    const sealer = createSealer({ key: randomBytes(32), algorithm: 'aes-256-gcm' });
    // The envelope: magic, algorithm, key id (length-prefixed), then the IV's length and the IV.
    const ivs = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const sealed = sealer.seal(Buffer.from(ID));
      const idLen = sealed[MAGIC_LENGTH + 1]!;
      const at = MAGIC_LENGTH + 2 + idLen;
      ivs.add(sealed.subarray(at + 1, at + 1 + sealed[at]!).toString('hex'));
    }
    expect(ivs.size).toBe(2000);
  });
});

describe('the envelope names its algorithm', () => {
  it('an SM4 value opens with the AES sealer of the same key (the envelope says which)', () => {
    const key = randomBytes(32);
    const sm4 = createSealer({ key, algorithm: 'sm4-cbc-hmac-sm3' });
    const aes = createSealer({ key });
    expect(aes.openText(sm4.sealText(ID))).toBe(ID);
  });
});

describe('key file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zizhu-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is created 0600 with 32 random bytes on first start and read again after', () => {
    const path = join(dir, 'data', 'kiosk.key');
    const first = loadKeyFile(path, { create: true });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.created).toBe(true);
    expect(readFileSync(path)).toHaveLength(32);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = loadKeyFile(path, { create: true });
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value.created).toBe(false);
    expect(again.value.sealer.openText(first.value.sealer.sealText(ID))).toBe(ID);
  });

  it('refuses a configured key file that is missing or malformed', () => {
    expect(loadKeyFile(join(dir, 'none.key'), { create: false })).toMatchObject({
      ok: false,
      error: { kind: 'missing' },
    });
    writeFileSync(join(dir, 'short.key'), 'abc');
    expect(loadKeyFile(join(dir, 'short.key'), { create: false })).toMatchObject({
      ok: false,
      error: { kind: 'malformed' },
    });
  });

  it('tightens a data tree left 0755/0644 by an older release', () => {
    if (process.platform === 'win32') return;
    const data = join(dir, 'data');
    ensurePrivateDir(join(data, 'blobs'));
    writeFileSync(join(data, 'blobs', 'f'), 'x', { mode: 0o644 });
    tightenTree(data);
    expect(statSync(join(data, 'blobs')).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'blobs', 'f')).mode & 0o777).toBe(0o600);
  });
});
