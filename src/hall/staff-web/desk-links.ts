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
