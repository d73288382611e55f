/**
 * A 差评 follow-up's case (issue 10 item 7): its 受理编号 as a link that opens the case on the 办件
 * tab (desk-links.ts), and the item's name; a queue ticket's evaluation has no case.
 */
import type { FollowupView } from '../followups.js';
import { caseLink } from './desk-links.js';
import { h, type Child } from './dom.js';

export function caseCell(f: Pick<FollowupView, 'case'>): Child {
  const c = f.case;
  if (c === null) return '—';
  return [
    h(
      'a',
      { href: caseLink(c.id), className: 'mono', 'data-case-link': c.id },
      c.receiptNo ?? `${c.id.slice(0, 8)}…`,
    ),
    c.itemName ? h('small', { className: 'item-name' }, ` ${c.itemName.zh}`) : null,
  ];
}
