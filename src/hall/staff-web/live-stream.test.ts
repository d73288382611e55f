import { describe, expect, it } from 'vitest';
import { createSseReader, localDeadline, secondsLeft, SSE_MAX_LINE } from './live-stream.js';

describe('the live desk stream', () => {
  it('reads events split across chunks, with ids, CRLF, comments and event names', () => {
    const r = createSseReader();
    expect(r.push(': hello\n\nid: 1-1\nevent: case-received\nda')).toEqual([]);
    expect(r.push('ta: {"a":1}\r\n\r\nid: 1-2\ndata: {"b":2}\n')).toEqual([{ id: '1-1', data: '{"a":1}' }]);
    expect(r.push('\ndata: {"c":3}\n\n')).toEqual([
      { id: '1-2', data: '{"b":2}' },
      { id: null, data: '{"c":3}' },
    ]);
  });

  it('refuses a line that never ends', () => {
    const r = createSseReader();
    expect(() => r.push('data: ' + 'x'.repeat(SSE_MAX_LINE + 1))).toThrow(/too long/);
  });

  it('counts the 即办件 wait down on this machine’s clock', () => {
    const now = 1_000_000;
    const end = localDeadline({ at: '2026-03-02T01:00:00.000Z', deadline: '2026-03-02T01:01:00.000Z' }, now);
    expect(end).toBe(now + 60_000);
    expect(secondsLeft(end, now)).toBe(60);
    expect(secondsLeft(end, now + 59_001)).toBe(1);
    expect(secondsLeft(end, now + 60_000)).toBe(0);
    expect(secondsLeft(end, now + 90_000)).toBe(0);
  });
});
