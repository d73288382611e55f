/**
 * A read whose procedure answers a Result: its value, or the panel for its error — the lapsed-session
 * sentence for `session-expired` (the one form a lapse takes), not found, or the plain error panel.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { err, ok, SESSION_EXPIRED, type Result } from '../../shared/browser.js';
import { initI18n } from '../i18n/index.js';
import { ReadErrorPanel, ResultView, type ReadError } from './query-view.js';

const i18n = initI18n();

/** The parts of a query ResultView reads; the rest of react-query's object is not looked at. */
function query<T>(
  data: Result<T, ReadError> | undefined,
  isError = false,
): UseQueryResult<Result<T, ReadError>, unknown> {
  const partial = { data, isError, refetch: () => Promise.resolve() };
  return partial as unknown as UseQueryResult<Result<T, ReadError>, unknown>;
}

const view = (q: UseQueryResult<Result<string[], ReadError>, unknown>) =>
  renderToStaticMarkup(
    <ResultView query={q}>{(list) => <p data-testid="value">{list.join(',')}</p>}</ResultView>,
  );

describe('ResultView', () => {
  it('shows the value of a successful answer', () => {
    expect(view(query(ok(['a', 'b'])))).toBe('<p data-testid="value">a,b</p>');
  });

  it('says a lapsed session with the one sentence every screen uses, and offers no retry', () => {
    const html = view(query<string[]>(err(SESSION_EXPIRED)));
    expect(html).toContain('data-testid="session-expired"');
    expect(html).toContain(i18n.t('sessionFlow.expired'));
    expect(html).not.toContain(i18n.t('common.retry'));
  });

  it('says not found for a not-found answer, and a retry only for a call that got no answer', () => {
    const missing = view(query<string[]>(err({ kind: 'not-found' })));
    expect(missing).toContain(i18n.t('common.notFoundTitle'));
    expect(missing).not.toContain(i18n.t('common.retry'));
    const failed = view(query<string[]>(undefined, true));
    expect(failed).toContain(i18n.t('common.errorTitle'));
    expect(failed).toContain(i18n.t('common.retry'));
    expect(view(query<string[]>(undefined))).toContain('role="status"');
  });
});

describe('ReadErrorPanel', () => {
  it('has a panel for every error kind of the reads', () => {
    const errors: ReadError[] = [
      { kind: 'session-expired' },
      { kind: 'not-found' },
      { kind: 'no-identity' },
      { kind: 'access-denied', attemptsLeft: 3 },
      { kind: 'too-many-attempts', retryAfterSeconds: 60 },
    ];
    for (const error of errors) {
      const html = renderToStaticMarkup(<ReadErrorPanel error={error} />);
      expect(html).toContain('role="alert"');
    }
    expect(
      renderToStaticMarkup(<ReadErrorPanel error={{ kind: 'access-denied', attemptsLeft: 0 }} />),
    ).toContain('data-testid="access-denied"');
  });
});
