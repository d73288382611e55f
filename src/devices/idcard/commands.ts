/**
 * The command layer over one link: each GA 467 command with its timeout, and the SW3 of its answer
 * sorted into what the driver does next (docs/devices-idcard.md, "Status byte SW3" and
 * "Commands"). Shared by the polling driver and the benchmark.
 */
import { err, ok, type Result } from '../result.js';
import type { ResponseFrame } from './frame-parser.js';
import type { Ga467Link, LinkError } from './link.js';
import {
  COMMANDS,
  encodeRequest,
  EXTRA_ADDRESS_LENGTH,
  HEADER_LENGTH,
  PHOTO_LENGTH,
  READ_BASE_DATA_LENGTH,
  READ_BASE_FRAME_LENGTH,
  SAM_ID_LENGTH,
  sw3Meaning,
  TEXT_LENGTH,
  toHex,
  wireTimeMs,
  type CommandName,
} from './protocol.js';
import type { CardErrorReason } from './types.js';

export type Ga467Timeouts = {
  /** docs/devices-idcard.md, "Sequence and timing": find/select 100 ms, read 2000 ms. */
  findMs: number;
  selectMs: number;
  readMs: number;
  /** SAM reset/status/id and the extra-address read; the protocol reference names no figure. */
  samMs: number;
};

export const DEFAULT_TIMEOUTS: Ga467Timeouts = { findMs: 100, selectMs: 100, readMs: 2000, samMs: 500 };

/** Request bytes are the same 10 for every command used here; responses differ ("Commands"). */
const REQUEST_BYTES = HEADER_LENGTH + 3;
const RESPONSE_BYTES: Record<CommandName, number> = {
  resetSam: HEADER_LENGTH + 4,
  samStatus: HEADER_LENGTH + 4,
  samId: HEADER_LENGTH + 4 + SAM_ID_LENGTH,
  findCard: HEADER_LENGTH + 4 + 4,
  selectCard: HEADER_LENGTH + 4 + 8,
  readBase: READ_BASE_FRAME_LENGTH,
  readExtraAddress: HEADER_LENGTH + 4 + EXTRA_ADDRESS_LENGTH,
};

/** Timeout = the reader's processing allowance + the wire time of both frames at this baud. */
export function commandTimeoutMs(name: CommandName, timeouts: Ga467Timeouts, baud: number): number {
  const base =
    name === 'findCard'
      ? timeouts.findMs
      : name === 'selectCard'
        ? timeouts.selectMs
        : name === 'readBase'
          ? timeouts.readMs
          : timeouts.samMs;
  return Math.ceil(base + wireTimeMs(REQUEST_BYTES + RESPONSE_BYTES[name], baud));
}

export function sendCommand(
  link: Ga467Link,
  name: CommandName,
  timeouts: Ga467Timeouts,
  baud: number,
): Promise<Result<ResponseFrame, LinkError>> {
  const c = COMMANDS[name];
  return link.transact(encodeRequest(c.cmd, c.para), commandTimeoutMs(name, timeouts, baud));
}

/** What an answer means for the driver, whatever the command. */
export type Verdict =
  | { kind: 'ok'; frame: ResponseFrame }
  | { kind: 'no-card' }
  | { kind: 'card-error'; reason: CardErrorReason }
  | { kind: 'sam-fault'; detail: 'sam-failure' | 'sam-not-authorized' }
  /** The reader says our frame arrived corrupt (10/11), or the answer itself was corrupt or late. */
  | { kind: 'link-error'; cause: 'timeout' | 'corrupt' | 'rejected' }
  /** 21/23/24 or an SW3 the table does not list: the reader does not like what we do. */
  | { kind: 'reader-error'; sw3: number }
  | { kind: 'closed'; message: string };

export function judge(result: Result<ResponseFrame, LinkError>, success: number): Verdict {
  if (!result.ok) {
    switch (result.error.kind) {
      case 'timeout':
        return { kind: 'link-error', cause: 'timeout' };
      case 'corrupt':
        return { kind: 'link-error', cause: 'corrupt' };
      case 'closed':
        return { kind: 'closed', message: result.error.message };
      default: {
        const never: never = result.error;
        throw new Error(`unreachable link error ${JSON.stringify(never)}`);
      }
    }
  }
  const frame = result.value;
  if (frame.sw3 === success) return { kind: 'ok', frame };
  const meaning = sw3Meaning(frame.sw3);
  switch (meaning) {
    case 'no-card':
      return { kind: 'no-card' };
    case 'select-failed':
      return { kind: 'card-error', reason: 'select-failed' };
    case 'read-failed':
    case 'random-failed':
      return { kind: 'card-error', reason: 'read-failed' };
    case 'auth-error':
      return { kind: 'card-error', reason: 'authentication-failed' };
    case 'unrecognized-card':
      return { kind: 'card-error', reason: 'unrecognized-card' };
    case 'sam-self-test-failed':
      return { kind: 'sam-fault', detail: 'sam-failure' };
    case 'sam-not-authorized':
      return { kind: 'sam-fault', detail: 'sam-not-authorized' };
    case 'checksum-error':
    case 'length-error':
      return { kind: 'link-error', cause: 'rejected' };
    case 'success':
    case 'find-ok':
    case 'no-content':
    case 'command-error':
    case 'unauthorized':
    case 'unrecognized-error':
    case 'unknown':
      return { kind: 'reader-error', sw3: frame.sw3 };
    default: {
      const never: never = meaning;
      throw new Error(`unreachable SW3 meaning ${String(never)}`);
    }
  }
}

/**
 * The base read's payload split into text and photo, after checking both declared lengths
 * ("The read answer").
 */
export function splitReadBase(
  data: Uint8Array,
): Result<{ text: Uint8Array; photo: Uint8Array }, 'corrupt-response'> {
  if (data.length !== READ_BASE_DATA_LENGTH) return err('corrupt-response');
  const textLen = (data[0]! << 8) | data[1]!;
  const photoLen = (data[2]! << 8) | data[3]!;
  if (textLen !== TEXT_LENGTH || photoLen !== PHOTO_LENGTH) return err('corrupt-response');
  return ok({ text: data.slice(4, 4 + TEXT_LENGTH), photo: data.slice(4 + TEXT_LENGTH) });
}

export type CardReadOutcome =
  { kind: 'card'; text: Uint8Array; photo: Uint8Array } | Exclude<Verdict, { kind: 'ok' }>;

/**
 * One find → select → read pass ("Sequence"). A read answer lost on the wire (corrupt or late) is
 * asked for again up to `readRetries` times while the card is still selected: the card has already
 * left the "found" state, so going back to find would make the resident lift and re-seat it.
 */
export async function findSelectRead(
  link: Ga467Link,
  timeouts: Ga467Timeouts,
  baud: number,
  readRetries = 2,
): Promise<CardReadOutcome> {
  const found = judge(await sendCommand(link, 'findCard', timeouts, baud), 0x9f);
  if (found.kind !== 'ok') return found;
  const selected = judge(await sendCommand(link, 'selectCard', timeouts, baud), 0x90);
  if (selected.kind !== 'ok') return selected;
  let read = judge(await sendCommand(link, 'readBase', timeouts, baud), 0x90);
  for (let retry = 0; retry < readRetries && read.kind === 'link-error'; retry++) {
    read = judge(await sendCommand(link, 'readBase', timeouts, baud), 0x90);
  }
  // Found and selected, but every answer was lost: the resident has to re-seat the card, so say so.
  if (read.kind === 'link-error') return { kind: 'card-error', reason: 'corrupt-response' };
  if (read.kind !== 'ok') return read;
  const split = splitReadBase(read.frame.data);
  if (!split.ok) return { kind: 'card-error', reason: split.error };
  return { kind: 'card', ...split.value };
}

/** SAM id for diagnostics: 16 bytes as hex (the vendors' dotted format is not in the protocol reference). */
export function samIdText(frame: ResponseFrame): string | null {
  return frame.data.length === SAM_ID_LENGTH ? toHex(frame.data).replaceAll(' ', '') : null;
}
