/**
 * Sealing personal data at rest (docs/security.md, "Personal data at rest"): field values in the
 * databases and whole files (scans, archive PDFs, hall blobs) are encrypted with one key held in a
 * root-only key file (key-file.ts). Two algorithms:
 *
 * - `aes-256-gcm` (default): AEAD, 12-byte IV, 16-byte tag; the envelope header is the AAD.
 * - `sm4-cbc-hmac-sm3` (国密, GB/T 32907 SM4 + GB/T 32905 SM3): SM4-CBC with PKCS#7 padding, then an
 *   HMAC-SM3 over header ‖ IV ‖ ciphertext (encrypt-then-MAC). Encryption and MAC keys are derived
 *   from the one key with HMAC-SM3 so they are never the same bytes.
 *
 * Binary envelope (version 1): `ZKS1` ‖ alg (1 byte) ‖ keyId length (1) ‖ keyId (ASCII) ‖ iv length
 * (1) ‖ iv ‖ tag length (1) ‖ tag ‖ ciphertext. The key id (first 8 hex digits of the key's SHA-256)
 * names which key sealed it, so a keyring can open values sealed before a rotation.
 * Text envelope (database columns): `"zk1:<base64 of the binary envelope>"` — a JSON string, so
 * columns with `CHECK (json_valid(…))` accept it unchanged.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { err, ok, type Result } from '../result.js';

export const SEAL_ALGORITHMS = ['aes-256-gcm', 'sm4-cbc-hmac-sm3'] as const;
export type SealAlgorithm = (typeof SEAL_ALGORITHMS)[number];

const MAGIC = Buffer.from('ZKS1', 'ascii');
const ALG_ID: Record<SealAlgorithm, number> = { 'aes-256-gcm': 1, 'sm4-cbc-hmac-sm3': 2 };
const TEXT_PREFIX = '"zk1:';

export const KEY_BYTES = 32;

export type OpenError =
  | { kind: 'not-sealed' }
  | { kind: 'unknown-key'; keyId: string }
  | { kind: 'unknown-algorithm'; id: number }
  | { kind: 'tampered' };

export interface Sealer {
  readonly algorithm: SealAlgorithm;
  /** The id of the key new values are sealed with. */
  readonly keyId: string;
  seal(plain: Uint8Array): Buffer;
  open(sealed: Uint8Array): Result<Buffer, OpenError>;
  /** Seals a column value; null stays null. */
  sealText(plain: string): string;
  sealText(plain: string | null): string | null;
  /**
   * Opens a column value; a value that is not sealed (null, or a stub written in clear such as the
   * purged outbox payload) is returned as it is. A sealed value that does not open is a corrupted
   * database or a missing key, not an expected state: it throws.
   */
  openText(value: string): string;
  openText(value: string | null): string | null;
}

export const isSealedText = (v: string): boolean => v.startsWith(TEXT_PREFIX) && v.endsWith('"');
export const isSealedBytes = (b: Uint8Array): boolean =>
  b.length >= MAGIC.length && Buffer.from(b.buffer, b.byteOffset, MAGIC.length).equals(MAGIC);

/** The id of the key a sealed value (bytes or column text) was sealed with; null when it is not sealed. */
export function sealedKeyId(value: Uint8Array | string): string | null {
  let b: Buffer;
  if (typeof value === 'string') {
    if (!isSealedText(value)) return null;
    b = Buffer.from(value.slice(TEXT_PREFIX.length, -1), 'base64');
  } else b = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return parse(b)?.keyId ?? null;
}

export const keyIdOf = (key: Uint8Array): string =>
  createHash('sha256').update(key).digest('hex').slice(0, 8);

const sm3Derive = (key: Uint8Array, label: string): Buffer => createHmac('sm3', key).update(label).digest();

function header(alg: SealAlgorithm, keyId: string): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  return Buffer.concat([MAGIC, Buffer.from([ALG_ID[alg], id.length]), id]);
}

/** Unused CSPRNG bytes for IVs: one randomFillSync per IV_POOL_BYTES, not one per sealed value. */
const IV_POOL_BYTES = 4096;
let ivPool = Buffer.alloc(0);
let ivAt = 0;

/**
 * A fresh random IV of `n` bytes. Every IV is bytes of the pool never handed out before (a used
 * pool is dropped, never refilled in place), so no two sealed values share an IV.
 */
export function freshIv(n: number): Buffer {
  if (ivAt + n > ivPool.length) {
    ivPool = randomBytes(Math.max(IV_POOL_BYTES, n));
    ivAt = 0;
  }
  const iv = ivPool.subarray(ivAt, ivAt + n);
  ivAt += n;
  return iv;
}

function sealWith(alg: SealAlgorithm, key: Buffer, keyId: string, plain: Uint8Array): Buffer {
  const head = header(alg, keyId);
  switch (alg) {
    case 'aes-256-gcm': {
      const iv = freshIv(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(head);
      const body = c.update(plain);
      const last = c.final();
      const tag = c.getAuthTag();
      // One copy of the ciphertext into the sealed value (a 50 KB scan is copied once, not twice).
      return Buffer.concat([head, Buffer.from([iv.length]), iv, Buffer.from([tag.length]), tag, body, last]);
    }
    case 'sm4-cbc-hmac-sm3': {
      const iv = freshIv(16);
      const c = createCipheriv('sm4-cbc', sm3Derive(key, 'zk1 sm4 enc').subarray(0, 16), iv);
      const ct = Buffer.concat([c.update(plain), c.final()]);
      const tag = createHmac('sm3', sm3Derive(key, 'zk1 sm3 mac'))
        .update(head)
        .update(iv)
        .update(ct)
        .digest();
      return Buffer.concat([head, Buffer.from([iv.length]), iv, Buffer.from([tag.length]), tag, ct]);
    }
    default: {
      const never: never = alg;
      throw new Error(`unknown algorithm ${String(never)}`);
    }
  }
}

type Parsed = {
  alg: SealAlgorithm | null;
  algId: number;
  keyId: string;
  head: Buffer;
  iv: Buffer;
  tag: Buffer;
  ct: Buffer;
};

function parse(b: Buffer): Parsed | null {
  try {
    if (!isSealedBytes(b)) return null;
    let p = MAGIC.length;
    const algId = b.readUInt8(p++);
    const idLen = b.readUInt8(p++);
    const keyId = b.subarray(p, p + idLen).toString('ascii');
    p += idLen;
    const head = b.subarray(0, p);
    const ivLen = b.readUInt8(p++);
    const iv = b.subarray(p, p + ivLen);
    p += ivLen;
    const tagLen = b.readUInt8(p++);
    const tag = b.subarray(p, p + tagLen);
    p += tagLen;
    if (p > b.length || iv.length !== ivLen || tag.length !== tagLen) return null;
    const alg = SEAL_ALGORITHMS.find((a) => ALG_ID[a] === algId) ?? null;
    return { alg, algId, keyId, head, iv, tag, ct: b.subarray(p) };
  } catch {
    return null;
  }
}

function openWith(p: Parsed & { alg: SealAlgorithm }, key: Buffer): Buffer | null {
  try {
    switch (p.alg) {
      case 'aes-256-gcm': {
        const d = createDecipheriv('aes-256-gcm', key, p.iv);
        d.setAAD(p.head);
        d.setAuthTag(p.tag);
        return Buffer.concat([d.update(p.ct), d.final()]);
      }
      case 'sm4-cbc-hmac-sm3': {
        const mac = createHmac('sm3', sm3Derive(key, 'zk1 sm3 mac'))
          .update(p.head)
          .update(p.iv)
          .update(p.ct)
          .digest();
        if (mac.length !== p.tag.length || !timingSafeEqual(mac, p.tag)) return null;
        const d = createDecipheriv('sm4-cbc', sm3Derive(key, 'zk1 sm4 enc').subarray(0, 16), p.iv);
        return Buffer.concat([d.update(p.ct), d.final()]);
      }
      default: {
        const never: never = p.alg;
        throw new Error(`unknown algorithm ${String(never)}`);
      }
    }
  } catch {
    return null;
  }
}

/**
 * A sealer over a keyring: `key` seals (and opens), `previous` keys only open — what a key
 * rotation leaves until every value is sealed again (`db reseal`).
 */
export function createSealer(opts: {
  key: Uint8Array;
  algorithm?: SealAlgorithm;
  previous?: readonly Uint8Array[];
}): Sealer {
  if (opts.key.length !== KEY_BYTES)
    throw new Error(`an at-rest key has ${KEY_BYTES} bytes, not ${opts.key.length}`);
  const algorithm = opts.algorithm ?? 'aes-256-gcm';
  const key = Buffer.from(opts.key);
  const keyId = keyIdOf(key);
  const ring = new Map<string, Buffer>([[keyId, key]]);
  for (const k of opts.previous ?? []) if (k.length === KEY_BYTES) ring.set(keyIdOf(k), Buffer.from(k));

  const seal = (plain: Uint8Array): Buffer => sealWith(algorithm, key, keyId, plain);
  const open = (sealed: Uint8Array): Result<Buffer, OpenError> => {
    const p = parse(Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength));
    if (p === null) return err({ kind: 'not-sealed' });
    if (p.alg === null) return err({ kind: 'unknown-algorithm', id: p.algId });
    const k = ring.get(p.keyId);
    if (k === undefined) return err({ kind: 'unknown-key', keyId: p.keyId });
    const plain = openWith({ ...p, alg: p.alg }, k);
    return plain === null ? err({ kind: 'tampered' }) : ok(plain);
  };

  function sealText(plain: string): string;
  function sealText(plain: string | null): string | null;
  function sealText(plain: string | null): string | null {
    if (plain === null) return null;
    return `${TEXT_PREFIX}${seal(Buffer.from(plain, 'utf8')).toString('base64')}"`;
  }
  function openText(value: string): string;
  function openText(value: string | null): string | null;
  function openText(value: string | null): string | null {
    if (value === null || !isSealedText(value)) return value;
    const r = open(Buffer.from(value.slice(TEXT_PREFIX.length, -1), 'base64'));
    if (!r.ok) throw new Error(`a sealed value does not open (${describeOpenError(r.error)})`);
    return r.value.toString('utf8');
  }

  return { algorithm, keyId, seal, open, sealText, openText };
}

export function describeOpenError(e: OpenError): string {
  switch (e.kind) {
    case 'not-sealed':
      return 'not a sealed value';
    case 'unknown-key':
      return `sealed with key ${e.keyId}, which this machine does not hold`;
    case 'unknown-algorithm':
      return `unknown algorithm id ${e.id}`;
    case 'tampered':
      return 'authentication failed: the bytes were changed or the key is wrong';
    default: {
      const never: never = e;
      return String(never);
    }
  }
}
