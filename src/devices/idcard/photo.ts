/**
 * The card photo: 1024 bytes of proprietary "WLT" data (docs/devices-idcard.md, "The photo (WLT)"). No open
 * decoder exists — every one is a vendor binary with a licence — so the bytes are kept raw behind
 * `WltPhoto`, and decoding is an optional, pluggable `PhotoDecoder`. The photo is never shown, never
 * printed and never logged: `WltPhoto` serialises and inspects as a size only.
 */
import { inspect } from 'node:util';
import { err, type Result } from '../result.js';

export class WltPhoto {
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes.slice();
  }

  get byteLength(): number {
    return this.#bytes.length;
  }

  /** A copy of the raw WLT bytes, for a licensed decoder only. */
  copyBytes(): Uint8Array {
    return this.#bytes.slice();
  }

  /** JSON (and pino) see the size, never the bytes. */
  toJSON(): { format: 'wlt'; byteLength: number } {
    return { format: 'wlt', byteLength: this.#bytes.length };
  }

  toString(): string {
    return `[WLT photo, ${this.#bytes.length} bytes]`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** A decoded photo: 102×126, 24-bit RGB rows (docs/devices-idcard.md, "The photo (WLT)"). */
export type DecodedPhoto = { width: number; height: number; rgb: Uint8Array };
export type PhotoDecodeError = { kind: 'no-decoder' } | { kind: 'decode-failed'; message: string };

/** Implemented by a wrapper around a vendor's licensed decoder, supplied by whoever deploys one. */
export interface PhotoDecoder {
  decode(photo: WltPhoto): Promise<Result<DecodedPhoto, PhotoDecodeError>>;
}

/** The default: no licensed decoder is installed. */
export const noPhotoDecoder: PhotoDecoder = {
  decode: () => Promise.resolve(err({ kind: 'no-decoder' })),
};
