/**
 * Real-time status (`10 04 n`) decoding, per docs/devices-printer.md, "Real-time status":
 * every reply matches `0xx1xx10`; ASB messages match `0xx1xx00`; `GS r` replies `0xx0xxxx`.
 */

export type PrinterStatus = 'ready' | 'paper-near-end' | 'paper-out' | 'cover-open' | 'offline' | 'error';

export const PRINTER_STATUSES: readonly PrinterStatus[] = [
  'ready',
  'paper-near-end',
  'paper-out',
  'cover-open',
  'offline',
  'error',
];

/** One reply byte per `10 04 n`, n = 1..4. */
export type StatusBytes = { printer: number; offlineCause: number; error: number; paper: number };

export type StatusCondition =
  | 'offline' // n=1 bit 3
  | 'waiting-for-online-recovery' // n=1 bit 5
  | 'feed-button-pressed' // n=1 bit 6
  | 'cover-open' // n=2 bit 2
  | 'paper-fed-by-button' // n=2 bit 3
  | 'stopped-at-paper-end' // n=2 bit 5
  | 'error-occurred' // n=2 bit 6
  | 'autocutter-error' // n=3 bit 3
  | 'unrecoverable-error' // n=3 bit 5
  | 'auto-recoverable-error' // n=3 bit 6 (head overheat…)
  | 'paper-near-end' // n=4 bits 2–3 (mask 0C)
  | 'paper-end'; // n=4 bits 5–6 (mask 60)

/** `0xx1xx10`: bit 1 and bit 4 set, bits 0 and 7 clear. */
export function isRealtimeStatusReply(byte: number): boolean {
  return (byte & 0x93) === 0x12;
}

/** `0xx1xx00`: first byte of an automatic status back (ASB) message. */
export function isAsbFirstByte(byte: number): boolean {
  return (byte & 0x93) === 0x10;
}

const CONDITION_BITS: ReadonlyArray<{ byte: keyof StatusBytes; mask: number; condition: StatusCondition }> = [
  { byte: 'printer', mask: 0x08, condition: 'offline' },
  { byte: 'printer', mask: 0x20, condition: 'waiting-for-online-recovery' },
  { byte: 'printer', mask: 0x40, condition: 'feed-button-pressed' },
  { byte: 'offlineCause', mask: 0x04, condition: 'cover-open' },
  { byte: 'offlineCause', mask: 0x08, condition: 'paper-fed-by-button' },
  { byte: 'offlineCause', mask: 0x20, condition: 'stopped-at-paper-end' },
  { byte: 'offlineCause', mask: 0x40, condition: 'error-occurred' },
  { byte: 'error', mask: 0x08, condition: 'autocutter-error' },
  { byte: 'error', mask: 0x20, condition: 'unrecoverable-error' },
  { byte: 'error', mask: 0x40, condition: 'auto-recoverable-error' },
  { byte: 'paper', mask: 0x0c, condition: 'paper-near-end' },
  { byte: 'paper', mask: 0x60, condition: 'paper-end' },
];

const CONDITION_TEXT: Record<StatusCondition, string> = {
  offline: 'offline',
  'waiting-for-online-recovery': 'waiting for online recovery',
  'feed-button-pressed': 'feed button pressed',
  'cover-open': 'cover open',
  'paper-fed-by-button': 'paper being fed by the feed button',
  'stopped-at-paper-end': 'printing stopped at paper end',
  'error-occurred': 'error',
  'autocutter-error': 'auto-cutter error',
  'unrecoverable-error': 'unrecoverable error',
  'auto-recoverable-error': 'auto-recoverable error (e.g. head overheated)',
  'paper-near-end': 'paper near end',
  'paper-end': 'paper end',
};

export type DecodedStatus = { status: PrinterStatus; conditions: StatusCondition[]; detail: string };

const hex = (b: number): string => b.toString(16).toUpperCase().padStart(2, '0');

/**
 * The kiosk-level status: cover open, then paper out, then error, then offline, then paper near end;
 * `detail` lists every condition and the raw bytes for the technician.
 */
export function decodeRealtimeStatus(bytes: StatusBytes): DecodedStatus {
  const conditions = CONDITION_BITS.filter((c) => (bytes[c.byte] & c.mask) !== 0).map((c) => c.condition);
  const has = (c: StatusCondition): boolean => conditions.includes(c);
  const status: PrinterStatus = has('cover-open')
    ? 'cover-open'
    : has('paper-end') || has('stopped-at-paper-end')
      ? 'paper-out'
      : has('error-occurred') ||
          has('autocutter-error') ||
          has('unrecoverable-error') ||
          has('auto-recoverable-error')
        ? 'error'
        : has('offline')
          ? 'offline'
          : has('paper-near-end')
            ? 'paper-near-end'
            : 'ready';
  const what =
    conditions.length === 0 ? 'no conditions' : conditions.map((c) => CONDITION_TEXT[c]).join('; ');
  const raw = `DLE EOT 1..4 = ${hex(bytes.printer)} ${hex(bytes.offlineCause)} ${hex(bytes.error)} ${hex(bytes.paper)}`;
  return { status, conditions, detail: `${what} (${raw})` };
}

/** Statuses in which the printer accepts a job; paper near end still prints. */
export function canPrint(status: PrinterStatus): boolean {
  switch (status) {
    case 'ready':
    case 'paper-near-end':
      return true;
    case 'paper-out':
    case 'cover-open':
    case 'offline':
    case 'error':
      return false;
    default: {
      const never: never = status;
      throw new Error(`unknown status ${String(never)}`);
    }
  }
}
