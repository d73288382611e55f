import { describe, expect, it } from 'vitest';
import { FrameParser, toResponse, type ParserEvent } from './frame-parser.js';
import { encodeRequest, encodeResponse } from './protocol.js';

const frames = (events: ParserEvent[]) =>
  events.filter((e) => e.kind === 'frame').map((e) => toResponse(e.payload));
const kinds = (events: ParserEvent[]) => events.map((e) => e.kind);

function bigAnswer(): Uint8Array {
  const data = new Uint8Array(1284);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
  return encodeResponse(0x90, data);
}

describe('FrameParser', () => {
  it('assembles a frame delivered one byte at a time', () => {
    const p = new FrameParser('response');
    const bytes = bigAnswer();
    const events: ParserEvent[] = [];
    for (const b of bytes) events.push(...p.push(Uint8Array.of(b)));
    const got = frames(events);
    expect(got).toHaveLength(1);
    expect(got[0]!.sw3).toBe(0x90);
    expect(got[0]!.data).toEqual(bytes.subarray(10, bytes.length - 1));
    expect(p.pending).toBe(0);
  });

  it('assembles frames across every split point', () => {
    const two = new Uint8Array([...encodeResponse(0x9f, new Uint8Array(4)), ...encodeResponse(0x80)]);
    for (let cut = 0; cut <= two.length; cut++) {
      const p = new FrameParser('response');
      const got = frames([...p.push(two.subarray(0, cut)), ...p.push(two.subarray(cut))]);
      expect(
        got.map((f) => f.sw3),
        `cut at ${cut}`,
      ).toEqual([0x9f, 0x80]);
    }
  });

  it('skips garbage, including stray preamble fragments, before a frame', () => {
    const p = new FrameParser('response');
    const noise = Uint8Array.of(0x00, 0xaa, 0xaa, 0x96, 0x13, 0xaa, 0xaa, 0xaa, 0xaa);
    const events = p.push(new Uint8Array([...noise, ...encodeResponse(0x90)]));
    expect(frames(events).map((f) => f.sw3)).toEqual([0x90]);
    expect(
      events
        .filter((e) => e.kind === 'garbage')
        .reduce((n, e) => n + (e.kind === 'garbage' ? e.bytes : 0), 0),
    ).toBe(noise.length);
  });

  it('keeps a partial preamble at the end of a chunk', () => {
    const p = new FrameParser('response');
    const f = encodeResponse(0x90);
    expect(p.push(Uint8Array.of(0x01, 0x02, ...f.subarray(0, 4)))).toEqual([{ kind: 'garbage', bytes: 2 }]);
    expect(p.pending).toBe(4);
    expect(frames(p.push(f.subarray(4))).map((x) => x.sw3)).toEqual([0x90]);
  });

  it('reports a bad checksum and still finds the next good frame', () => {
    const p = new FrameParser('response');
    const bad = encodeResponse(0x90, new Uint8Array(16));
    bad[bad.length - 1] = bad.at(-1)! ^ 0xff;
    const events = p.push(new Uint8Array([...bad, ...encodeResponse(0x80)]));
    expect(kinds(events)).toContain('checksum-error');
    expect(frames(events).map((f) => f.sw3)).toEqual([0x80]);
  });

  it('finds a good frame hidden inside a frame whose LEN is wrong', () => {
    const p = new FrameParser('response');
    // LEN claims 0x0100 bytes but only a short answer follows: the good frame must still come out
    // once the false frame fails its checksum.
    const falseStart = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x01, 0x00);
    const good = encodeResponse(0x9f, new Uint8Array(4));
    const filler = new Uint8Array(0x100);
    const events = p.push(new Uint8Array([...falseStart, ...good, ...filler]));
    expect(kinds(events)).toContain('checksum-error');
    expect(frames(events).map((f) => f.sw3)).toEqual([0x9f]);
  });

  it('refuses impossible lengths without waiting for them', () => {
    const p = new FrameParser('response');
    const events = p.push(Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0xff, 0xff, 0x00));
    expect(events[0]).toEqual({ kind: 'length-error', declared: 0xffff });
    expect(p.pending).toBeLessThan(8);
    const short = p.push(Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x02, 0x00, 0x02));
    expect(short).toContainEqual({ kind: 'length-error', declared: 2 });
  });

  it('waits for the rest of a truncated frame and forgets it on reset', () => {
    const p = new FrameParser('response');
    const f = bigAnswer();
    expect(frames(p.push(f.subarray(0, 600)))).toEqual([]);
    expect(p.pending).toBe(600);
    p.reset();
    expect(frames(p.push(encodeResponse(0x90))).map((x) => x.sw3)).toEqual([0x90]);
  });

  it('parses requests with the shorter minimum length', () => {
    const p = new FrameParser('request');
    const events = p.push(encodeRequest(0x20, 0x01));
    expect(events).toEqual([{ kind: 'frame', payload: Uint8Array.of(0x20, 0x01) }]);
  });
});
