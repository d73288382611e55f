/**
 * Enrolment that a listener on the wire learns nothing from (docs/sync-protocol.md, 2 "Enrolment",
 * schema version 2), for the kiosk that enrols and the hall that answers:
 *
 * - The one-time code never crosses the wire. The kiosk sends an ephemeral X25519 public key and a
 *   **proof**: HMAC-SHA256 keyed with the code over the public key and the first seq the new hall is
 *   to expect. Only someone who knows the code can make it, so a man in the middle can neither
 *   swap in his own key nor change the start seq.
 * - The hall answers with its own ephemeral X25519 public key and the new kiosk secret **sealed**:
 *   AES-256-GCM under HKDF-SHA256(X25519 shared secret, salt = the code, info = context + both public
 *   keys), with the kiosk id and jurisdiction as additional data. A passive listener lacks both
 *   private keys; an active one lacks the code, so a forged answer fails the GCM tag.
 *
 * Node only (node:crypto). Keys and sealed parts travel as base64url (an X25519 key is its 32 raw
 * bytes, the JWK `x`).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';

export const ENROL_CONTEXT = 'zizhu-enrol-v2';

/** Codes are typed case-insensitively with stray spaces (docs/sync-protocol.md, 2). */
export const normaliseEnrolCode = (code: string): string => code.trim().toUpperCase();

export type EnrolKeyPair = { publicKey: string; privateKey: KeyObject };
export type SealedSecret = { iv: string; ciphertext: string; tag: string };

const rawPublic = (key: KeyObject): string => {
  const x = key.export({ format: 'jwk' }).x;
  if (typeof x !== 'string') throw new Error('not an X25519 public key');
  return x;
};

/** The X25519 public key from its base64url bytes, or null when it is not one. */
function publicFromRaw(x: string): KeyObject | null {
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x }, format: 'jwk' });
  } catch {
    return null;
  }
}

/** A fresh ephemeral key pair (one per enrolment attempt; never stored). */
export function enrolKeyPair(): EnrolKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { publicKey: rawPublic(publicKey), privateKey };
}

const proofText = (kioskPublicKey: string, firstSeq: number): string =>
  [ENROL_CONTEXT, 'proof', kioskPublicKey, String(firstSeq)].join('\n');

/** The kiosk's proof that it holds the code, bound to its public key and start seq (hex). */
export const enrolProof = (code: string, kioskPublicKey: string, firstSeq: number): string =>
  createHmac('sha256', normaliseEnrolCode(code)).update(proofText(kioskPublicKey, firstSeq)).digest('hex');

/** Constant-time check of a proof against one candidate code. */
export function verifyEnrolProof(
  code: string,
  kioskPublicKey: string,
  firstSeq: number,
  proof: string,
): boolean {
  if (!/^[0-9a-f]{64}$/.test(proof)) return false;
  return timingSafeEqual(
    Buffer.from(enrolProof(code, kioskPublicKey, firstSeq), 'hex'),
    Buffer.from(proof, 'hex'),
  );
}

function sealingKey(
  privateKey: KeyObject,
  peer: KeyObject,
  code: string,
  kioskPublicKey: string,
  hallPublicKey: string,
): Buffer {
  const shared = diffieHellman({ privateKey, publicKey: peer });
  return Buffer.from(
    hkdfSync(
      'sha256',
      shared,
      Buffer.from(normaliseEnrolCode(code)),
      Buffer.from([ENROL_CONTEXT, 'seal', kioskPublicKey, hallPublicKey].join('\n')),
      32,
    ),
  );
}

const additionalData = (kioskId: string, jurisdiction: string): Buffer =>
  Buffer.from([ENROL_CONTEXT, kioskId, jurisdiction].join('\n'));

/** Hall side: seals the kiosk's new secret; null when the kiosk's public key is not a usable X25519 key. */
export function sealEnrolSecret(a: {
  code: string;
  kioskPublicKey: string;
  kioskId: string;
  jurisdiction: string;
  secret: string;
}): { hallPublicKey: string; sealedSecret: SealedSecret } | null {
  const peer = publicFromRaw(a.kioskPublicKey);
  if (!peer) return null;
  const hall = enrolKeyPair();
  let key: Buffer;
  try {
    key = sealingKey(hall.privateKey, peer, a.code, a.kioskPublicKey, hall.publicKey);
  } catch {
    return null; // a low-order point: no shared secret to derive
  }
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(additionalData(a.kioskId, a.jurisdiction));
  const ciphertext = Buffer.concat([cipher.update(a.secret, 'utf8'), cipher.final()]);
  return {
    hallPublicKey: hall.publicKey,
    sealedSecret: {
      iv: iv.toString('base64url'),
      ciphertext: ciphertext.toString('base64url'),
      tag: cipher.getAuthTag().toString('base64url'),
    },
  };
}

/** Kiosk side: the secret, or null when the answer was not sealed for this key pair and code. */
export function openEnrolSecret(a: {
  code: string;
  keyPair: EnrolKeyPair;
  hallPublicKey: string;
  kioskId: string;
  jurisdiction: string;
  sealedSecret: SealedSecret;
}): string | null {
  const peer = publicFromRaw(a.hallPublicKey);
  if (!peer) return null;
  try {
    const key = sealingKey(a.keyPair.privateKey, peer, a.code, a.keyPair.publicKey, a.hallPublicKey);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(a.sealedSecret.iv, 'base64url'));
    decipher.setAAD(additionalData(a.kioskId, a.jurisdiction));
    decipher.setAuthTag(Buffer.from(a.sealedSecret.tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(a.sealedSecret.ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return null;
  }
}
