import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../shared/browser.js';
import { afterEnd, farewellKind, holdsSomething } from './leaving.js';

const empty: SessionView = {
  id: 's1',
  startedAt: '2026-12-05T01:00:00.000Z',
  mode: 'self',
  applicant: null,
  helper: null,
  prefill: { values: {}, locked: [] },
  captured: {},
};
const identified: SessionView = {
  ...empty,
  applicant: { cardType: 'resident', nameMasked: '李*英', idMasked: '1101**********002X' },
};
const scanned: SessionView = {
  ...empty,
  captured: { sfz: [{ sha256: 'a'.repeat(64), width: 10, height: 10, size: 100, thumb: '' }] },
};

describe('leaving a session', () => {
  it('asks before going home only when a card was read or pages were captured', () => {
    expect(holdsSomething(null)).toBe(false);
    expect(holdsSomething(empty)).toBe(false);
    expect(holdsSomething({ ...empty, captured: { sfz: [] } })).toBe(false);
    expect(holdsSomething(identified)).toBe(true);
    expect(holdsSomething(scanned)).toBe(true);
  });

  it('always ends with the farewell, except 返回首页 with nothing to take away', () => {
    expect(afterEnd('home', empty)).toBe('home');
    expect(afterEnd('home', identified)).toBe('farewell');
    expect(afterEnd('home', scanned)).toBe('farewell');
    expect(afterEnd('finished', empty)).toBe('farewell');
    expect(afterEnd('timeout', empty)).toBe('farewell');
  });

  it('reminds of card and originals unless the visit was only a queue ticket', () => {
    expect(farewellKind('queue', empty)).toBe('queue');
    expect(farewellKind('queue', identified)).toBe('service');
    expect(farewellKind('apply', empty)).toBe('service');
    expect(farewellKind(null, empty)).toBe('service');
  });
});
