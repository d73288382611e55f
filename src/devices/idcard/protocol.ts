/**
 * GA 467 "SAM" serial protocol: frame layout, checksum, commands and the SW3 table
 * (docs/devices-idcard.md, "Frames", "Status byte SW3" and "Commands").
 *
 * Request:  AA AA AA 96 69 | LEN(2, BE) | CMD | PARA | DATA… | CHK
 * Response: AA AA AA 96 69 | LEN(2, BE) | SW1 | SW2 | SW3 | DATA… | CHK
 * LEN counts every byte after itself, CHK included; CHK = XOR of LEN…last data byte.
 */

export const PREAMBLE: readonly number[] = [0xaa, 0xaa, 0xaa, 0x96, 0x69];
export const PREAMBLE_LENGTH = PREAMBLE.length;
/** Preamble + two LEN bytes: the whole frame is HEADER_LENGTH + LEN bytes ("Frames"). */
export const HEADER_LENGTH = PREAMBLE_LENGTH + 2;

/** XOR of `bytes[from..to)`; the frame checksum when run over LEN…DATA ("Frames"). */
export function xorChecksum(bytes: Uint8Array, from: number, to: number): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i]!;
  return x;
}

function frame(body: readonly number[] | Uint8Array): Uint8Array {
  const len = body.length + 1; // + CHK
  const out = new Uint8Array(HEADER_LENGTH + len);
  out.set(PREAMBLE, 0);
  out[5] = (len >> 8) & 0xff;
  out[6] = len & 0xff;
  out.set(body, HEADER_LENGTH);
  out[out.length - 1] = xorChecksum(out, PREAMBLE_LENGTH, out.length - 1);
  return out;
}

/** A request frame: CMD, PARA, optional DATA. */
export function encodeRequest(cmd: number, para: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const body = new Uint8Array(2 + data.length);
  body[0] = cmd;
  body[1] = para;
  body.set(data, 2);
  return frame(body);
}

/** A response frame: SW1, SW2, SW3, optional DATA. Used by the simulator and the tests. */
export function encodeResponse(
  sw3: number,
  data: Uint8Array = new Uint8Array(0),
  sw1 = 0,
  sw2 = 0,
): Uint8Array {
  const body = new Uint8Array(3 + data.length);
  body[0] = sw1;
  body[1] = sw2;
  body[2] = sw3;
  body.set(data, 3);
  return frame(body);
}

/** The commands this driver issues ("Commands" table; CHK values there are verified). */
export const COMMANDS = {
  resetSam: { cmd: 0x10, para: 0xff },
  samStatus: { cmd: 0x11, para: 0xff },
  samId: { cmd: 0x12, para: 0xff },
  findCard: { cmd: 0x20, para: 0x01 },
  selectCard: { cmd: 0x20, para: 0x02 },
  readBase: { cmd: 0x30, para: 0x01 },
  readExtraAddress: { cmd: 0x30, para: 0x03 },
  readWithFingerprint: { cmd: 0x30, para: 0x10 },
  setBaud: { cmd: 0x60 },
} as const;
export type CommandName = Exclude<keyof typeof COMMANDS, 'setBaud' | 'readWithFingerprint'>;

/** Baud codes of command 60 xx ("Link": 00=115200 … 04=9600). */
export const BAUD_CODES: readonly number[] = [115200, 57600, 38400, 19200, 9600];

/**
 * The SW3 table (docs/devices-idcard.md, "Status byte SW3"). Branch on SW3 only: SW1/SW2 pass the
 * card's own status through. 31/32/33 are all card↔SAM authentication/verification errors; the
 * protocol reference does not tell them apart further, so neither do we.
 */
export type Sw3Meaning =
  | 'success'
  | 'no-content'
  | 'find-ok'
  | 'checksum-error'
  | 'length-error'
  | 'command-error'
  | 'unauthorized'
  | 'unrecognized-error'
  | 'auth-error'
  | 'unrecognized-card'
  | 'read-failed'
  | 'random-failed'
  | 'sam-self-test-failed'
  | 'sam-not-authorized'
  | 'no-card'
  | 'select-failed'
  | 'unknown';

export const SW3 = {
  success: 0x90,
  noContent: 0x91,
  findOk: 0x9f,
  checksumError: 0x10,
  lengthError: 0x11,
  commandError: 0x21,
  unauthorized: 0x23,
  unrecognizedError: 0x24,
  authError: 0x31,
  unrecognizedCard: 0x40,
  readFailed: 0x41,
  randomFailed: 0x47,
  samSelfTestFailed: 0x60,
  samNotAuthorized: 0x66,
  noCard: 0x80,
  selectFailed: 0x81,
} as const;

export function sw3Meaning(sw3: number): Sw3Meaning {
  switch (sw3) {
    case 0x90:
      return 'success';
    case 0x91:
      return 'no-content';
    case 0x9f:
      return 'find-ok';
    case 0x10:
      return 'checksum-error';
    case 0x11:
      return 'length-error';
    case 0x21:
      return 'command-error';
    case 0x23:
      return 'unauthorized';
    case 0x24:
      return 'unrecognized-error';
    case 0x31:
    case 0x32:
    case 0x33:
      return 'auth-error';
    case 0x40:
      return 'unrecognized-card';
    case 0x41:
      return 'read-failed';
    case 0x47:
      return 'random-failed';
    case 0x60:
      return 'sam-self-test-failed';
    case 0x66:
      return 'sam-not-authorized';
    case 0x80:
      return 'no-card';
    case 0x81:
      return 'select-failed';
    default:
      return 'unknown';
  }
}

/**
 * Read (30 01) success payload: text length(2) + photo length(2) + text[256] + photo[1024]
 * ("The read answer").
 */
export const TEXT_LENGTH = 256;
export const PHOTO_LENGTH = 1024;
export const READ_BASE_DATA_LENGTH = 4 + TEXT_LENGTH + PHOTO_LENGTH;
/** Whole 30 01 response frame: 1295 bytes. */
export const READ_BASE_FRAME_LENGTH = HEADER_LENGTH + 3 + READ_BASE_DATA_LENGTH + 1;
/** Extra address (30 03) payload: 70 bytes UCS-2. */
export const EXTRA_ADDRESS_LENGTH = 70;
/** SAM id (12 FF) payload: 16 bytes. */
export const SAM_ID_LENGTH = 16;
/** Largest frame the driver accepts; the biggest legitimate one is 2321 bytes (30 10 with two fingerprints). */
export const MAX_FRAME_LENGTH = 2400;

/** Wire time of `bytes` at `baud`: 8N1 puts 10 bits on the wire per byte ("Link"). */
export function wireTimeMs(bytes: number, baud: number): number {
  return (bytes * 10 * 1000) / baud;
}

/** Lower-case hex for diagnostics of non-personal frames (never for text/photo payloads). */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
