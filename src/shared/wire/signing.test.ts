/**
 * The documented test vector of the request signature (docs/sync-protocol.md, section 1),
 * computed independently with coreutils and openssl:
 *   printf '{"entries":[]}' | sha256sum
 *   printf 'POST\n/v1/push\n1772438400000\nnonce-0123456789abcdef\n<body hash>' \
 *     | openssl dgst -sha256 -hmac <secret>
 * and of the answer signature (section 1.1):
 *   printf '{"ackedThroughSeq":0,"results":[]}' | sha256sum
 *   printf 'zizhu-answer-v2\nnonce-0123456789abcdef\n200\n<body hash>' | openssl dgst -sha256 -hmac <secret>
 * Another implementation of the protocol checks itself against these exact values.
 */
import { describe, expect, it } from 'vitest';
import {
  answerSigningString,
  sha256Hex,
  sign,
  signAnswer,
  signingString,
  verifyAnswer,
  verifySignature,
} from './signing.js';

const SECRET = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const BODY = new TextEncoder().encode('{"entries":[]}');
const BODY_SHA256 = 'd801aa1fb7ddcc330a5e3173372ea6af4a3d08ec58074478e85aa5603e926658';
const SIGNATURE = '47011f65ac144e0467f2dd3f91d4749cde396de1283b05e19eca61fdb8e24da3';

describe('request signing', () => {
  it('signs METHOD, path with query, timestamp, nonce and the body hash, one per line', () => {
    expect(sha256Hex(BODY)).toBe(BODY_SHA256);
    expect(signingString('post', '/v1/push?x=1', '1772438400000', 'nonce-0123456789abcdef', BODY)).toBe(
      `POST\n/v1/push?x=1\n1772438400000\nnonce-0123456789abcdef\n${BODY_SHA256}`,
    );
  });

  it('matches the documented vector and verifies only the exact signature', () => {
    const text = signingString('POST', '/v1/push', '1772438400000', 'nonce-0123456789abcdef', BODY);
    expect(sign(SECRET, text)).toBe(SIGNATURE);
    expect(verifySignature(SECRET, text, SIGNATURE)).toBe(true);
    expect(verifySignature(SECRET, text, `0${SIGNATURE.slice(1)}`)).toBe(false);
    expect(verifySignature(SECRET, `${text} `, SIGNATURE)).toBe(false);
    expect(verifySignature('another secret', text, SIGNATURE)).toBe(false);
    expect(verifySignature(SECRET, text, 'not hex')).toBe(false);
  });
});

const ANSWER = new TextEncoder().encode('{"ackedThroughSeq":0,"results":[]}');
const ANSWER_SHA256 = '256daab619b55ede82db3a354adb3fc47ddfb6d79a31843a7e1712a3ea9b4217';
const ANSWER_SIGNATURE = '91b48a97894fa505e279d47c15cdac468247914937f0426ceb9942adb8740bd7';
const NONCE = 'nonce-0123456789abcdef';

describe('answer signing', () => {
  it('signs the context, the request nonce, the status and the body hash, one per line', () => {
    expect(sha256Hex(ANSWER)).toBe(ANSWER_SHA256);
    expect(answerSigningString(NONCE, 200, ANSWER)).toBe(`zizhu-answer-v2\n${NONCE}\n200\n${ANSWER_SHA256}`);
  });

  it('matches the documented vector and refuses any other nonce, status, body or key', () => {
    expect(signAnswer(SECRET, NONCE, 200, ANSWER)).toBe(ANSWER_SIGNATURE);
    expect(verifyAnswer(SECRET, NONCE, 200, ANSWER, ANSWER_SIGNATURE)).toBe(true);
    expect(verifyAnswer(SECRET, NONCE, 200, ANSWER, ANSWER_SIGNATURE.toUpperCase())).toBe(true);
    expect(verifyAnswer(SECRET, 'nonce-another-request-0', 200, ANSWER, ANSWER_SIGNATURE)).toBe(false);
    expect(verifyAnswer(SECRET, NONCE, 409, ANSWER, ANSWER_SIGNATURE)).toBe(false);
    expect(verifyAnswer(SECRET, NONCE, 200, new TextEncoder().encode('{}'), ANSWER_SIGNATURE)).toBe(false);
    expect(verifyAnswer('another secret', NONCE, 200, ANSWER, ANSWER_SIGNATURE)).toBe(false);
    expect(verifyAnswer(SECRET, NONCE, 200, ANSWER, null)).toBe(false);
  });
});
