/**
 * Pure helpers of the 进度查询 screens: the human label, tone and icon of each application status
 * (never colour alone: an icon and words go with the tone), times in the hall's zone, the offline
 * "last updated" line, the outcome of a reprint, and typing a receipt number.
 */
import type { ApplicationDetail, CaseStatus, CaseStatusInfo, PrintState } from '../../../shared/browser.js';
import {
  ACCESS_CODE_LENGTH,
  CASE_STATUS_INFO,
  isAccessCode,
  normaliseAccessCode,
  RECEIPT_NO_PATTERN,
} from '../../../shared/browser.js';
import type { IconName } from '../../components/icon.js';
import { pad2, wallClock } from '../../lib/format.js';

export type Tone = 'ok' | 'warn' | 'bad' | 'info';
/** A status as the screen shows it: its words (from the shared case lifecycle), tone and icon. */
export type StatusView = { info: CaseStatusInfo; tone: Tone; icon: IconName };

/**
 * The tone and icon of each status; the words come from src/shared/case-status.ts. The switch is
 * exhaustive: a status added to the lifecycle without a look here does not compile.
 */
export function statusView(status: CaseStatus): StatusView {
  const info = CASE_STATUS_INFO[status];
  switch (status) {
    case 'submitted':
      return { info, tone: 'info', icon: 'clock' };
    case 'received':
      return { info, tone: 'info', icon: 'building' };
    case 'accepted':
      return { info, tone: 'ok', icon: 'ready' };
    case 'refused':
      return { info, tone: 'bad', icon: 'fault' };
    case 'correction-requested':
      return { info, tone: 'warn', icon: 'warning' };
    case 'supplement-submitted':
      return { info, tone: 'info', icon: 'result' };
    case 'supplement-received':
      return { info, tone: 'info', icon: 'building' };
    case 'completed':
      return { info, tone: 'ok', icon: 'result' };
    default: {
      const never: never = status;
      return never;
    }
  }
}

/** "2026-11-26 14:03" in the display (hall) time zone; the raw text if it is not a time. */
export function formatDateTime(iso: string, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const w = wallClock(d, timeZone);
  return `${w.year}-${pad2(w.month)}-${pad2(w.day)} ${pad2(w.hour)}:${pad2(w.minute)}`;
}

/**
 * What the screen says about how current the progress is. Online the hall answers live, so
 * nothing; offline, when the hall last answered this kiosk, or that it never has.
 */
export type SyncLine = { kind: 'none' } | { kind: 'last-sync'; at: string } | { kind: 'never' };

export function syncLine(detail: Pick<ApplicationDetail, 'lastSyncAt'>, online: boolean): SyncLine {
  if (online) return { kind: 'none' };
  return detail.lastSyncAt === null ? { kind: 'never' } : { kind: 'last-sync', at: detail.lastSyncAt };
}

export type ReprintOutcome = {
  key: 'printed' | 'failed' | 'noPrinter' | 'pending';
  tone: Tone;
  detail: string;
};

export function reprintOutcome(printState: PrintState, printDetail: string | null): ReprintOutcome {
  switch (printState) {
    case 'printed':
      return { key: 'printed', tone: 'ok', detail: '' };
    case 'failed':
      return { key: 'failed', tone: 'bad', detail: (printDetail ?? '').trim().replace(/[。.！!]+$/u, '') };
    case 'no-printer':
      return { key: 'noPrinter', tone: 'warn', detail: '' };
    case 'pending':
      return { key: 'pending', tone: 'info', detail: '' };
    default: {
      const never: never = printState;
      return never;
    }
  }
}

/** Receipt numbers are upper-case; the keyboard may type lower-case letters and spaces. */
export function normaliseReceiptInput(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

export type ReceiptCheck = { ok: true; receiptNo: string } | { ok: false; problem: 'empty' | 'format' };

export function checkReceiptNo(text: string): ReceiptCheck {
  const v = normaliseReceiptInput(text);
  if (v === '') return { ok: false, problem: 'empty' };
  return RECEIPT_NO_PATTERN.test(v) ? { ok: true, receiptNo: v } : { ok: false, problem: 'format' };
}

/** What the keyboard typed into the access-code field: upper case, no spaces or hyphens, at most 8. */
export function normaliseCodeInput(text: string): string {
  return normaliseAccessCode(text).slice(0, ACCESS_CODE_LENGTH);
}

export type CodeCheck = { ok: true; code: string } | { ok: false; problem: 'empty' | 'format' };

/** An access code as typed: 8 symbols of the receipt alphabet (no 0/O, 1/I). */
export function checkAccessCode(text: string): CodeCheck {
  const v = normaliseAccessCode(text);
  if (v === '') return { ok: false, problem: 'empty' };
  return isAccessCode(v) ? { ok: true, code: v } : { ok: false, problem: 'format' };
}

/** The open 补正 request's materials that have no page captured yet in the session. */
export function missingMaterials(
  materials: readonly { code: string }[],
  captured: Readonly<Record<string, readonly unknown[]>>,
): string[] {
  return materials.filter((m) => (captured[m.code]?.length ?? 0) === 0).map((m) => m.code);
}
