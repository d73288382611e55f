import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { noPhotoDecoder, WltPhoto } from './photo.js';

const bytes = Uint8Array.from({ length: 1024 }, (_, i) => (i * 31 + 7) & 0xff);

describe('WltPhoto keeps the raw bytes out of sight', () => {
  it('serialises, prints and inspects as a size only', () => {
    const photo = new WltPhoto(bytes);
    expect(JSON.stringify({ photo })).toBe('{"photo":{"format":"wlt","byteLength":1024}}');
    expect(String(photo)).toBe('[WLT photo, 1024 bytes]');
    expect(inspect({ photo })).toContain('[WLT photo, 1024 bytes]');
    expect(inspect(photo)).not.toMatch(/\d+, \d+, \d+/);
  });

  it('a logged photo shows no bytes', () => {
    let out = '';
    const log = pino(
      new Writable({
        write(c: Buffer, _e, cb) {
          out += c.toString();
          cb();
        },
      }),
    );
    log.info({ photo: new WltPhoto(bytes) }, 'oops');
    expect(out).toContain('"byteLength":1024');
    expect(out).not.toContain('"0":');
  });

  it('hands a copy of the bytes to a decoder, never its own buffer', () => {
    const photo = new WltPhoto(bytes);
    const copy = photo.copyBytes();
    expect(copy).toEqual(bytes);
    copy[0] = copy[0]! ^ 0xff;
    expect(photo.copyBytes()[0]).toBe(bytes[0]);
  });

  it('without a licensed decoder, decoding is an expected failure', async () => {
    expect(await noPhotoDecoder.decode(new WltPhoto(bytes))).toEqual({
      ok: false,
      error: { kind: 'no-decoder' },
    });
  });
});
