/**
 * A full disk, told apart from other storage failures: the screen says so in words (the kiosk
 * cannot take applications until a technician frees space) instead of "try again".
 * ENOSPC / EDQUOT from the file system, SQLITE_FULL from the database.
 */
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

export function isStorageFull(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  if ('code' in e && typeof e.code === 'string' && FULL_CODES.has(e.code)) return true;
  return 'cause' in e && e.cause !== e && isStorageFull(e.cause);
}
