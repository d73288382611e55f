/**
 * Leaving a session: whether 返回首页 must ask first, and which reminder the farewell gives
 * (docs/resident-journey.md, "Around every flow"). Pure, so the rules are tested without a screen.
 */
import type { EndReason, SessionView } from '../../shared/browser.js';

/** What the farewell reminds the resident to take: a service visit (card, originals, receipts) or a ticket. */
export type FarewellKind = 'service' | 'queue';

/** True when the session holds something the resident would lose or leave behind: a card read, pages. */
export function holdsSomething(view: SessionView | null): boolean {
  if (!view) return false;
  if (view.applicant || view.helper) return true;
  return Object.values(view.captured).some((pages) => pages.length > 0);
}

/**
 * After a session ended: the farewell, or straight home. 返回首页 on a session that never held a card
 * or a page goes home at once (nothing to take away); every other ending shows the reminder.
 */
export function afterEnd(reason: EndReason, ended: SessionView | null): 'farewell' | 'home' {
  return reason === 'home' && !holdsSomething(ended) ? 'home' : 'farewell';
}

/** The queue flow takes no card and no papers: its farewell mentions the ticket only. */
export function farewellKind(lastFlow: string | null, ended: SessionView | null): FarewellKind {
  return lastFlow === 'queue' && !holdsSomething(ended) ? 'queue' : 'service';
}
