/**
 * Pack files of the hall's blob store (docs/blob-store.md, "Pack format"): many complete blobs in one
 * file, written by one batch with ONE file fsync and ONE directory fsync, off the event loop
 * (fs.promises: the writes and fsyncs run on libuv's thread pool).
 *
 * A pack is `blobs/packs/<id>.pack`, never changed once written (compaction writes a new one):
 *
 *   header   8 bytes   "ZZPK" ‖ version (1) ‖ 3 zero bytes
 *   records, each:
 *     sha256         32 raw bytes: SHA-256 of the blob's plain bytes (its protocol address)
 *     plain size     u32 BE
 *     sealed length  u32 BE
 *     envelope       sealed length bytes: the blob sealed whole with the hall's key
 *
 * The index (hall migration 17) holds each blob's pack, the offset of its envelope and the envelope's
 * length; a reader checks the record head in front of it (same hash, same length), opens the envelope
 * and hashes the plain bytes. A pack whose batch never committed (a crash between the fsync and the
 * commit) has no index rows: nothing points at it, and GC removes it.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const PACK_MAGIC = Buffer.from('ZZPK', 'ascii');
export const PACK_VERSION = 1;
export const PACK_HEADER_BYTES = 8;
/** sha256 (32) ‖ plain size (4) ‖ sealed length (4). */
export const RECORD_HEAD_BYTES = 40;
export const packIdPattern = /^[0-9a-f]{32}$/;

/** A time-ordered id: 12 hex digits of milliseconds, 20 random (sorting ids sorts packs by age). */
export const newPackId = (now: number): string =>
  Math.max(0, Math.floor(now)).toString(16).padStart(12, '0').slice(-12) + randomBytes(10).toString('hex');

export function packHeader(): Buffer {
  const h = Buffer.alloc(PACK_HEADER_BYTES);
  PACK_MAGIC.copy(h, 0);
  h.writeUInt8(PACK_VERSION, 4);
  return h;
}

export type PackRecordIn = { sha256: string; size: number; envelope: Buffer };
export type PackPlacement = { sha256: string; size: number; offset: number; length: number };

/** The bytes of a pack holding `records`, and where each envelope lands. */
export function layoutPack(records: readonly PackRecordIn[]): { bytes: Buffer; placements: PackPlacement[] } {
  const parts: Buffer[] = [packHeader()];
  const placements: PackPlacement[] = [];
  let at = PACK_HEADER_BYTES;
  for (const r of records) {
    const head = Buffer.alloc(RECORD_HEAD_BYTES);
    Buffer.from(r.sha256, 'hex').copy(head, 0);
    head.writeUInt32BE(r.size, 32);
    head.writeUInt32BE(r.envelope.length, 36);
    parts.push(head, r.envelope);
    placements.push({
      sha256: r.sha256,
      size: r.size,
      offset: at + RECORD_HEAD_BYTES,
      length: r.envelope.length,
    });
    at += RECORD_HEAD_BYTES + r.envelope.length;
  }
  return { bytes: Buffer.concat(parts, at), placements };
}

export type FsyncCounts = { files: number; dirs: number };

/**
 * Writes a new pack file and makes it durable: write, fsync the file, fsync its directory (the new
 * name). Asynchronous — the event loop keeps serving while the disk works. A failure removes what was
 * written and rethrows.
 */
export async function writePackFile(
  dir: string,
  id: string,
  bytes: Buffer,
  counts: FsyncCounts,
): Promise<void> {
  const path = join(dir, `${id}.pack`);
  let done = false;
  try {
    const fh = await open(path, 'wx', 0o600);
    try {
      let at = 0;
      // Bounded: each write advances by at least one byte or throws.
      while (at < bytes.length) {
        const { bytesWritten } = await fh.write(bytes, at, bytes.length - at, at);
        if (bytesWritten <= 0) throw new Error(`short write to ${path}`);
        at += bytesWritten;
      }
      await fh.sync();
      counts.files += 1;
    } finally {
      await fh.close();
    }
    if (process.platform !== 'win32') {
      const dh = await open(dir, 'r');
      try {
        await dh.sync();
        counts.dirs += 1;
      } finally {
        await dh.close();
      }
    }
    done = true;
  } finally {
    if (!done) await rm(path, { force: true });
  }
}

/** The same, synchronously (operator commands: compaction, reseal). */
export function writePackFileSync(dir: string, id: string, bytes: Buffer, counts: FsyncCounts): void {
  const path = join(dir, `${id}.pack`);
  let done = false;
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
      counts.files += 1;
    } finally {
      closeSync(fd);
    }
    fsyncDirSync(dir, counts);
    done = true;
  } finally {
    if (!done) rmSync(path, { force: true });
  }
}

export function fsyncDirSync(dir: string, counts?: FsyncCounts): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
    if (counts) counts.dirs += 1;
  } finally {
    closeSync(fd);
  }
}

export type PackReadError = { kind: 'missing' } | { kind: 'corrupt'; message: string };

/**
 * The envelope of a blob at `offset` (length `length`) of a pack, after checking the record head in
 * front of it names the same blob and length.
 */
export function readPackedEnvelope(
  path: string,
  sha256: string,
  offset: number,
  length: number,
): { ok: true; envelope: Buffer } | { ok: false; error: PackReadError } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { ok: false, error: { kind: 'missing' } };
  }
  try {
    if (offset < PACK_HEADER_BYTES + RECORD_HEAD_BYTES)
      return { ok: false, error: { kind: 'corrupt', message: `blob ${sha256}: bad offset ${offset}` } };
    const want = RECORD_HEAD_BYTES + length;
    const buf = Buffer.alloc(want);
    let got = 0;
    // Bounded: each read advances or ends the loop.
    while (got < want) {
      const n = readSync(fd, buf, got, want - got, offset - RECORD_HEAD_BYTES + got);
      if (n <= 0) break;
      got += n;
    }
    if (got < want)
      return {
        ok: false,
        error: { kind: 'corrupt', message: `blob ${sha256}: its pack ends before its bytes` },
      };
    if (buf.subarray(0, 32).toString('hex') !== sha256 || buf.readUInt32BE(36) !== length)
      return {
        ok: false,
        error: { kind: 'corrupt', message: `blob ${sha256}: the pack record at ${offset} is another one` },
      };
    return { ok: true, envelope: buf.subarray(RECORD_HEAD_BYTES) };
  } finally {
    closeSync(fd);
  }
}

export type PackRecordRead =
  | { ok: true; sha256: string; size: number; offset: number; envelope: Buffer }
  | { ok: false; sha256: string | null; offset: number; message: string };

/**
 * Every record of a pack, read without the index (the format is self-describing), one at a time so
 * a large pack is never read whole. A wrong header, or a record cut off (a torn write), ends the walk
 * with one `ok: false` naming where. `offset` is where a record's envelope starts.
 */
export function* readPackRecords(path: string): Generator<PackRecordRead, void, void> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return;
  }
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.max(PACK_HEADER_BYTES, RECORD_HEAD_BYTES));
    if (
      readSync(fd, head, 0, PACK_HEADER_BYTES, 0) !== PACK_HEADER_BYTES ||
      !head.subarray(0, 4).equals(PACK_MAGIC) ||
      head.readUInt8(4) !== PACK_VERSION
    ) {
      yield { ok: false, sha256: null, offset: 0, message: 'not a pack (bad header)' };
      return;
    }
    let at = PACK_HEADER_BYTES;
    // Bounded: each record advances `at` by at least RECORD_HEAD_BYTES, or the walk ends.
    while (at < size) {
      if (
        at + RECORD_HEAD_BYTES > size ||
        readSync(fd, head, 0, RECORD_HEAD_BYTES, at) !== RECORD_HEAD_BYTES
      ) {
        yield { ok: false, sha256: null, offset: at, message: 'the pack ends inside a record head' };
        return;
      }
      const sha256 = head.subarray(0, 32).toString('hex');
      const plain = head.readUInt32BE(32);
      const sealed = head.readUInt32BE(36);
      const offset = at + RECORD_HEAD_BYTES;
      if (offset + sealed > size) {
        yield { ok: false, sha256, offset, message: 'the pack ends inside this record' };
        return;
      }
      const envelope = Buffer.alloc(sealed);
      let got = 0;
      // Bounded: each read advances or ends the loop.
      while (got < sealed) {
        const n = readSync(fd, envelope, got, sealed - got, offset + got);
        if (n <= 0) break;
        got += n;
      }
      if (got < sealed) {
        yield { ok: false, sha256, offset, message: 'short read' };
        return;
      }
      yield { ok: true, sha256, size: plain, offset, envelope };
      at = offset + sealed;
    }
  } finally {
    closeSync(fd);
  }
}

/** A pack file's size and age, or null when it is gone. */
export function packFileStat(path: string): { size: number; mtimeMs: number } | null {
  try {
    const s = statSync(path);
    return { size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return null;
  }
}
