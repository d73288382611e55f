/**
 * Sealed enrolment (docs/sync-protocol.md, 2): only the key pair that asked, with the code, opens the
 * hall's answer; the proof binds the code to the kiosk's key and start seq.
 */
import { describe, expect, it } from 'vitest';
import { enrolKeyPair, enrolProof, openEnrolSecret, sealEnrolSecret, verifyEnrolProof } from './enrolment.js';

const SECRET = 'ab'.repeat(32);

describe('sealed enrolment', () => {
  it('proves the code without sending it, bound to the public key and the first seq', () => {
    const k = enrolKeyPair();
    const proof = enrolProof(' k7m2q9xw4htp ', k.publicKey, 1);
    expect(proof).not.toContain('K7M2Q9XW4HTP');
    expect(verifyEnrolProof('K7M2Q9XW4HTP', k.publicKey, 1, proof)).toBe(true);
    expect(verifyEnrolProof('K7M2Q9XW4HTQ', k.publicKey, 1, proof)).toBe(false);
    expect(verifyEnrolProof('K7M2Q9XW4HTP', enrolKeyPair().publicKey, 1, proof)).toBe(false);
    expect(verifyEnrolProof('K7M2Q9XW4HTP', k.publicKey, 2, proof)).toBe(false);
    expect(verifyEnrolProof('K7M2Q9XW4HTP', k.publicKey, 1, 'not hex')).toBe(false);
  });

  it('opens only for the asking key pair, the right code and the identity it was sealed with', () => {
    const k = enrolKeyPair();
    const ids = { kioskId: 'K-1', jurisdiction: '610113' };
    const sealed = sealEnrolSecret({
      code: 'K7M2Q9XW4HTP',
      kioskPublicKey: k.publicKey,
      secret: SECRET,
      ...ids,
    });
    if (!sealed) throw new Error('not sealed');
    expect(JSON.stringify(sealed)).not.toContain(SECRET);
    const open = (over: Partial<Parameters<typeof openEnrolSecret>[0]>) =>
      openEnrolSecret({ code: 'K7M2Q9XW4HTP', keyPair: k, ...sealed, ...ids, ...over });
    expect(open({})).toBe(SECRET);
    expect(open({ keyPair: enrolKeyPair() })).toBeNull();
    expect(open({ code: 'K7M2Q9XW4HTQ' })).toBeNull();
    expect(open({ kioskId: 'K-2' })).toBeNull();
    expect(open({ hallPublicKey: enrolKeyPair().publicKey })).toBeNull();
    expect(open({ hallPublicKey: 'not a key' })).toBeNull();
    expect(sealEnrolSecret({ code: 'X', kioskPublicKey: 'A'.repeat(43), secret: SECRET, ...ids })).toBeNull();
  });
});
