/**
 * Why the page pipeline refused a page. Limits are values the caller shows to the resident
 * ("this material takes at most 10 pages"), never exceptions.
 */
export type PageError =
  | { kind: 'unsupported-format'; message: string }
  | { kind: 'corrupt-image'; message: string }
  | { kind: 'input-too-large'; message: string; bytes: number; limit: number }
  | { kind: 'page-too-large'; message: string; bytes: number; limit: number }
  | { kind: 'too-many-pages'; message: string; limit: number }
  | { kind: 'storage-failed'; message: string }
  /** ENOSPC / EDQUOT: the disk is full (the kiosk says so in words; nothing stored before is lost). */
  | { kind: 'storage-full'; message: string };
export type PageErrorKind = PageError['kind'];
