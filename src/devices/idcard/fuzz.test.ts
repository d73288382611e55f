/**
 * Fuzzing the byte-facing code with a seeded PRNG, so any failure replays with the same seed
 * (IDCARD_FUZZ_SEED=<n> npx vitest run src/devices/idcard/fuzz.test.ts). Properties: nothing
 * throws, nothing hangs (each run is bounded by its input size and timed), memory stays bounded,
 * and intact frames always come out intact.
 */
import { describe, expect, it } from 'vitest';
import { FrameParser, toResponse } from './frame-parser.js';
import { parseIdentity } from './identity.js';
import { encodeResponse, MAX_FRAME_LENGTH, TEXT_LENGTH } from './protocol.js';
import { encodeSimCard, SAMPLE_CARDS } from './sim-card.js';
import { decodeTextBlock } from './text-block.js';

const SEED = Number(process.env.IDCARD_FUZZ_SEED ?? 20241126);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeTools(seed: number) {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  const validFrame = () => {
    const big = rnd() < 0.05;
    return encodeResponse(int(256), bytes(big ? 1284 : int(80)), int(256), int(256));
  };
  const mutate = (f: Uint8Array): Uint8Array => {
    const out = f.slice();
    switch (int(6)) {
      case 0: // flip bytes
        for (let k = 1 + int(3); k > 0; k--) {
          const at = int(out.length);
          out[at] = out[at]! ^ (1 << int(8));
        }
        return out;
      case 1: // truncate
        return out.subarray(0, int(out.length));
      case 2: // corrupt LEN
        out[5] = int(256);
        out[6] = int(256);
        return out;
      case 3: {
        // insert a preamble in the middle
        const at = int(out.length);
        return new Uint8Array([...out.subarray(0, at), 0xaa, 0xaa, 0xaa, 0x96, 0x69, ...out.subarray(at)]);
      }
      case 4: // duplicate a slice
        return new Uint8Array([...out, ...out.subarray(int(out.length))]);
      default: // random bytes that start like a frame
        return new Uint8Array([0xaa, 0xaa, 0xaa, 0x96, 0x69, ...bytes(int(40))]);
    }
  };
  return { rnd, int, bytes, validFrame, mutate };
}

describe('fuzz: frame parser', () => {
  it(`survives 100,000 random and mutated frames (seed ${SEED})`, () => {
    const { rnd, int, bytes, validFrame, mutate } = makeTools(SEED);
    const parser = new FrameParser('response');
    const started = performance.now();
    let frames = 0;
    let events = 0;
    // Collected rather than asserted per push: 10^5 expect() calls would dominate the run time.
    const violations: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const r = rnd();
      const input = r < 0.3 ? bytes(int(64)) : r < 0.55 ? validFrame() : mutate(validFrame());
      // Arbitrary chunking of each input.
      for (let at = 0; at < input.length;) {
        const n = 1 + int(Math.max(1, input.length - at));
        const out = parser.push(input.subarray(at, at + n));
        at += n;
        events += out.length;
        for (const e of out) {
          if (e.kind !== 'frame') continue;
          frames++;
          if (e.payload.length < 3 || e.payload.length > MAX_FRAME_LENGTH)
            violations.push(`input ${i}: payload of ${e.payload.length} bytes`);
        }
        if (parser.pending > MAX_FRAME_LENGTH) violations.push(`input ${i}: ${parser.pending} bytes pending`);
      }
      if (i % 10_000 === 9_999) parser.reset();
    }
    const ms = performance.now() - started;
    expect(violations.slice(0, 5), `seed ${SEED}`).toEqual([]);
    expect(frames).toBeGreaterThan(10_000);
    expect(events).toBeGreaterThan(frames);
    expect(ms).toBeLessThan(30_000);
  });

  it(`an intact frame after any noise without preamble bytes comes out intact (seed ${SEED})`, () => {
    const { int, bytes, validFrame } = makeTools(SEED + 1);
    const failures: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const parser = new FrameParser('response');
      // Noise that cannot contain AA: it must be skipped entirely.
      const noise = bytes(int(32)).map((b) => (b === 0xaa ? 0x55 : b));
      const frame = validFrame();
      const input = new Uint8Array([...noise, ...frame]);
      const got: Uint8Array[] = [];
      for (let at = 0; at < input.length;) {
        const n = 1 + int(input.length - at);
        for (const e of parser.push(input.subarray(at, at + n))) if (e.kind === 'frame') got.push(e.payload);
        at += n;
      }
      const f = got.length === 1 ? toResponse(got[0]!) : null;
      const again = f ? encodeResponse(f.sw3, f.data, f.sw1, f.sw2) : null;
      if (!again || again.length !== frame.length || again.some((b, k) => b !== frame[k])) failures.push(i);
    }
    expect(failures.slice(0, 5), `seed ${SEED + 1}`).toEqual([]);
  });
});

describe('fuzz: text block decoding and validation', () => {
  it(`never throws on 5,000 random and mutated text blocks (seed ${SEED})`, () => {
    const { rnd, int, bytes } = makeTools(SEED + 2);
    const samples = Object.values(SAMPLE_CARDS).map((c) => {
      const e = encodeSimCard(c);
      if (!e.ok) throw new Error(e.error);
      return e.value.text;
    });
    let valid = 0;
    let invalid = 0;
    const emptyProblemLists: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      let block: Uint8Array;
      if (rnd() < 0.3) block = bytes(TEXT_LENGTH);
      else {
        block = samples[int(samples.length)]!.slice();
        for (let k = int(4); k > 0; k--) block[int(TEXT_LENGTH)] = int(256);
        if (rnd() < 0.2) block[248] = 'JIY'.charCodeAt(int(3));
      }
      const r = parseIdentity(decodeTextBlock(block));
      if (r.ok) valid++;
      else {
        invalid++;
        if (r.error.problems.length === 0) emptyProblemLists.push(i);
      }
    }
    expect(emptyProblemLists.slice(0, 5), `seed ${SEED + 2}`).toEqual([]);
    expect(valid).toBeGreaterThan(0);
    expect(invalid).toBeGreaterThan(0);
  });
});
