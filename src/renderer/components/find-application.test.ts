import { describe, expect, it } from 'vitest';
import { afterFound, isFindScreen, withUnlock } from './find-application.js';

type S =
  | { kind: 'choose' }
  | { kind: 'receipt' }
  | { kind: 'unlock'; receiptNo: string }
  | { kind: 'identify' }
  | { kind: 'list' }
  | { kind: 'detail'; id: string };

describe('finding an application', () => {
  it('drops the receipt entry (and any earlier result) once found; keeps the choice and the card list', () => {
    const byReceipt: S[] = [{ kind: 'choose' }, { kind: 'receipt' }];
    expect(afterFound(byReceipt, { kind: 'detail', id: 'a' })).toEqual([
      { kind: 'choose' },
      { kind: 'detail', id: 'a' },
    ]);
    const byCard: S[] = [{ kind: 'choose' }, { kind: 'list' }, { kind: 'detail', id: 'a' }];
    expect(afterFound(byCard, { kind: 'detail', id: 'b' })).toEqual([
      { kind: 'choose' },
      { kind: 'list' },
      { kind: 'detail', id: 'b' },
    ]);
  });

  it('asks for the code over the receipt entry, once; found, both go', () => {
    const typed: S[] = [{ kind: 'choose' }, { kind: 'receipt' }];
    const asked = withUnlock(typed, { kind: 'unlock', receiptNo: 'A' });
    expect(asked).toEqual([{ kind: 'choose' }, { kind: 'receipt' }, { kind: 'unlock', receiptNo: 'A' }]);
    // Another receipt scanned while the code is asked for: one code entry, the newest.
    expect(withUnlock(asked, { kind: 'unlock', receiptNo: 'B' })).toEqual([
      { kind: 'choose' },
      { kind: 'receipt' },
      { kind: 'unlock', receiptNo: 'B' },
    ]);
    expect(afterFound(asked, { kind: 'detail', id: 'a' })).toEqual([
      { kind: 'choose' },
      { kind: 'detail', id: 'a' },
    ]);
  });

  it('tells its own screens from the flow’s', () => {
    expect(isFindScreen({ kind: 'receipt' })).toBe(true);
    expect(isFindScreen({ kind: 'unlock' })).toBe(true);
    expect(isFindScreen({ kind: 'detail' })).toBe(false);
  });
});
