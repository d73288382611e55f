/**
 * The home screen's line about the hall's hours (docs/resident-journey.md, "Home"): today's hours when
 * the hall is open; outside them, that the staffed windows are closed now but self-service is there
 * 24 hours, and when the hall opens next; on a closed day (a weekend, a 放假 day, a notice) the same
 * with the reason. The windows' hours are the hall's published ones (or the seed): HallOpening from
 * src/shared/hall-opening.ts. Pure, unit-tested (hall-hours.test.ts).
 */
import type { HallOpening } from '../../shared/browser.js';
import { whenWords, type T } from '../flows/queue/queue-view.js';

export type HallHoursState = 'open' | 'outside' | 'closed';
export type HallHoursLine = { state: HallHoursState; text: string; next: string | null };

export function hallHoursLine(hall: HallOpening, t: T, lang: 'zh' | 'en'): HallHoursLine {
  const periods = hall.today.periods
    .map((p) => t('queueFlow.hours.period', { from: p.from, to: p.to }))
    .join(t('queueFlow.hours.separator'));
  const next = hall.next === null ? null : t('home.hours.next', { when: whenWords(hall.next, t) });
  if (hall.open) return { state: 'open', text: t('home.hours.open', { periods }), next: null };
  if (hall.today.periods.length > 0)
    return { state: 'outside', text: t('home.hours.outside', { periods }), next };
  const reason =
    hall.today.note !== null
      ? hall.today.note[lang]
      : hall.today.kind === 'holiday'
        ? t('queueFlow.hours.holiday')
        : null;
  return {
    state: 'closed',
    text: reason === null ? t('home.hours.closed') : t('home.hours.closedReason', { reason }),
    next,
  };
}
