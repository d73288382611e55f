/**
 * Content-addressed file store for scanned pages and archives (docs/architecture.md, "Durability rules": a
 * submission is acknowledged only after its files are fsynced). Layout, shared with the attachments
 * table (docs/store.md): `<root>/<sha256[0..2]>/<sha256>`. A write is temp file → fsync → rename →
 * fsync of the directory, so after a crash a name either holds the complete bytes or does not exist.
 * Storing a known hash is a no-op. With a sealer (the kiosk's at-rest key, docs/security.md
 * "Personal data at rest") the file holds the sealed bytes, named by the hash of the plain ones,
 * and `read` opens them; files are written 0600 in 0700 folders.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isSealedBytes, type Sealer } from '../../shared/at-rest/index.js';
import { err, ok, type Result } from '../result.js';

export type StoredBlob = { sha256: string; size: number; created: boolean };
export type BlobStoreError = { kind: 'io'; message: string; code: string | null };

export interface BlobStore {
  readonly root: string;
  put(data: Uint8Array): Promise<Result<StoredBlob, BlobStoreError>>;
  read(sha256: string): Promise<Result<Buffer, BlobStoreError>>;
  has(sha256: string): Promise<boolean>;
  pathOf(sha256: string): string;
  /** Removes temp files a crash left behind, older than `olderThanMs`; returns how many. */
  sweepTemp(olderThanMs: number, now?: Date): Promise<number>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const TEMP_PREFIX = '.tmp-';

function codeOf(e: unknown): string | null {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : null;
}

function ioError(what: string, e: unknown): BlobStoreError {
  return { kind: 'io', message: `${what}: ${e instanceof Error ? e.message : String(e)}`, code: codeOf(e) };
}

/** fsync of a directory makes a rename or a new entry durable (POSIX); Windows cannot, and needs not. */
async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function createBlobStore(opts: { root: string; sealer?: Sealer }): BlobStore {
  const sealer = opts.sealer;
  const root = opts.root;
  const pathOf = (sha256: string): string => {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(root, sha256.slice(0, 2), sha256);
  };

  /** Creates `dir` (and the root) if missing, fsyncing each parent that gained an entry. */
  async function ensureDir(dir: string): Promise<void> {
    const first = await mkdir(dir, { recursive: true, mode: 0o700 });
    if (first === undefined) return;
    // `first` is the topmost directory created; every directory from its parent down gained an entry.
    let d = dir;
    const chain: string[] = [];
    while (d.length >= first.length) {
      chain.push(dirname(d));
      if (d === first) break;
      d = dirname(d);
    }
    for (const parent of chain) await fsyncDir(parent);
  }

  return {
    root,
    pathOf,

    async put(data) {
      const sha256 = sha256Hex(data);
      const final = pathOf(sha256);
      const dir = dirname(final);
      try {
        const st = await stat(final);
        // Same hash and same length (sealed: a complete file, as only a rename puts it there): the
        // bytes are already durable here.
        if (st.isFile() && (sealer ? st.size > data.length : st.size === data.length))
          return ok({ sha256, size: data.length, created: false });
      } catch (e) {
        if (codeOf(e) !== 'ENOENT') return err(ioError(`cannot check ${final}`, e));
      }
      const tmp = join(
        dir,
        `${TEMP_PREFIX}${sha256.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`,
      );
      try {
        await ensureDir(dir);
        const fh = await open(tmp, 'wx', 0o600);
        try {
          await fh.writeFile(sealer ? sealer.seal(data) : data);
          await fh.sync();
        } finally {
          await fh.close();
        }
        await rename(tmp, final);
        await fsyncDir(dir);
        return ok({ sha256, size: data.length, created: true });
      } catch (e) {
        await unlink(tmp).catch(() => undefined);
        return err(ioError(`cannot store ${sha256}`, e));
      }
    },

    async read(sha256) {
      let bytes: Buffer;
      try {
        bytes = await readFile(pathOf(sha256));
      } catch (e) {
        return err(ioError(`cannot read ${sha256}`, e));
      }
      // A file written before sealing existed is read as it is (start-up seals those).
      if (!sealer || !isSealedBytes(bytes)) return ok(bytes);
      const opened = sealer.open(bytes);
      return opened.ok
        ? ok(opened.value)
        : err({ kind: 'io', message: `cannot open sealed ${sha256}: ${opened.error.kind}`, code: null });
    },

    async has(sha256) {
      try {
        return (await stat(pathOf(sha256))).isFile();
      } catch {
        return false;
      }
    },

    async sweepTemp(olderThanMs, now = new Date()) {
      let removed = 0;
      let shards: string[];
      try {
        shards = await readdir(root);
      } catch {
        return 0;
      }
      for (const shard of shards) {
        if (!/^[0-9a-f]{2}$/.test(shard)) continue;
        const names = await readdir(join(root, shard)).catch(() => [] as string[]);
        for (const name of names) {
          if (!name.startsWith(TEMP_PREFIX)) continue;
          const p = join(root, shard, name);
          const st = await stat(p).catch(() => null);
          if (st && now.getTime() - st.mtimeMs >= olderThanMs) {
            await unlink(p).catch(() => undefined);
            removed++;
          }
        }
      }
      return removed;
    },
  };
}
