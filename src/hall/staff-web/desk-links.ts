/**
 * Links between the desk's views: `#case/{id}` opens that case on the 办件 tab (a 差评 follow-up
 * links to the case it was given on). Real links, so they work from the keyboard and open in a new
 * tab too; the hash is cleared once followed so the same link works again.
 */
const CASE_LINK = /^#case\/([0-9a-f-]{36})$/;

export const caseLink = (id: string): string => `#case/${id}`;

export const caseIdFromHash = (hash: string): string | null => CASE_LINK.exec(hash)?.[1] ?? null;

/**
 * Calls `open` for each case link followed; the returned function follows the one in the address
 * now (a link opened in a new tab), for after sign-in.
 */
export function followCaseLinks(open: (id: string) => Promise<void>): () => void {
  const follow = () => {
    const id = caseIdFromHash(location.hash);
    if (id === null) return;
    history.replaceState(null, '', location.pathname + location.search);
    void open(id);
  };
  window.addEventListener('hashchange', follow);
  return follow;
}

/**
 * `#followup/{n}` opens that 差评 follow-up on the 好差评整改 tab: a case's detail links to the
 * follow-ups its reviews opened (the other way round from the case link above).
 */
const FOLLOWUP_LINK = /^#followup\/(\d{1,15})$/;

export const followupLink = (id: number): string => `#followup/${id}`;

export const followupIdFromHash = (hash: string): number | null => {
  const m = FOLLOWUP_LINK.exec(hash)?.[1];
  return m === undefined ? null : Number(m);
};

/** As followCaseLinks, for follow-up links. */
export function followFollowupLinks(open: (id: number) => Promise<void>): () => void {
  const follow = () => {
    const id = followupIdFromHash(location.hash);
    if (id === null) return;
    history.replaceState(null, '', location.pathname + location.search);
    void open(id);
  };
  window.addEventListener('hashchange', follow);
  return follow;
}
