/**
 * A case's 差评 follow-ups in its detail (issue 10 item 7): for a role that reads supervision, each
 * follow-up the case's bad reviews opened, as a link that opens it on the 好差评整改 tab
 * (desk-links.ts). Fetched fresh with the case, so a review synced since sign-in is there.
 */
import type { Localized } from '../../shared/catalog.js';
import type { Desk } from './desk.js';
import { followupLink } from './desk-links.js';
import { bi, h } from './dom.js';

const w = (zh: string, en: string): Localized => ({ zh, en });

/** The section's element; filled once the follow-ups are read (empty for other roles). */
export function caseFollowupsSection(desk: Desk, caseId: string): HTMLElement {
  const box = h('div', { 'data-testid': 'case-followups' });
  if (!desk.may('supervision.read')) return box;
  box.append(h('h3', null, bi(w('好差评整改', 'Bad-review follow-ups'))));
  void desk.api.followups().then((r) => {
    if (!r.ok) return;
    const mine = r.value.followups.filter((f) => f.case?.id === caseId);
    if (mine.length === 0) {
      box.append(h('p', { className: 'hint' }, bi(w('本件无差评整改', 'No follow-ups for this case'))));
      return;
    }
    box.append(
      h(
        'ul',
        { className: 'case-followups' },
        mine.map((f) =>
          h(
            'li',
            null,
            h(
              'a',
              { href: followupLink(f.id), 'data-followup-link': String(f.id) },
              `整改任务 ${f.id} · ${f.levelName} · ${f.stateName.zh}`,
              h('small', { lang: 'en' }, ` Follow-up ${f.id} · ${f.stateName.en}`),
            ),
          ),
        ),
      ),
    );
  });
  return box;
}
