/**
 * The kiosk's sync client (docs/sync-protocol.md): blobs first, then the outbox in seq order and in
 * batches, then the hall's change log page by page; jittered exponential backoff between failed
 * cycles and a long-poll wake-up between successful ones. Every expected failure is a value.
 */
import type { z } from 'zod';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkStatus } from '../shared/index.js';
import { entryBlobs, parseEntry } from '../shared/wire/index.js';
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter, type BackoffPolicy } from './backoff.js';
import {
  blobPutResponse,
  changesResponse,
  enrollResponse,
  errorResponse,
  gapResponse,
  HEADERS,
  licenceLookupResponseSchema,
  queueStatusResponseSchema,
  takeTicketResponseSchema,
  type TakeTicketRequest,
  missingBlobsResponse,
  mustRefetchResponse,
  pushResponse,
  SCHEMA_VERSION,
  sha256Hex,
  sign,
  signingString,
  snapshotResponse,
  waitResponse,
} from './protocol.js';
import {
  applyPage,
  backlog,
  countAttempt,
  markAcked,
  pendingRows,
  readCursor,
  readSyncState,
  writeEnrollment,
  writeSyncState,
  type Enrollment,
  type SyncDb,
} from './store.js';
import { createChangeApplier, type DocumentHandlers, type RecordHandlers } from './streams.js';

export type FetchFn = typeof fetch;
export type SyncLogger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
};
export type Credentials = { kioskId: string; secret: string };
/** One device that is not fine, for the hall's fleet view (the device manager's healthSummary()). */
export type DeviceHealth = { kind: string; state: string; detail: string | null };

export type SyncError =
  | { kind: 'not-enrolled' }
  | { kind: 'network'; message: string }
  | { kind: 'http'; status: number; error: string; message: string; retryAfterMs: number }
  | { kind: 'protocol'; message: string }
  | { kind: 'blob-missing-locally'; sha256: string }
  | { kind: 'stuck'; message: string };

export type CycleResult =
  | { ok: true; pushed: number; pulled: number; backlog: number }
  | { ok: false; error: SyncError; backlog: number };

export type SyncStatus = {
  backlog: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  online: boolean;
};

export type SyncClientDeps = {
  db: SyncDb;
  hallUrl: string;
  credentials: Credentials;
  /** Root of the kiosk's content-addressed files: <blobDir>/<aa>/<sha256>. */
  blobDir: string;
  fetch?: FetchFn;
  clock: () => Date;
  logger: SyncLogger;
  /** [0, 1): jitter only; nonces come from the CSPRNG. */
  random: () => number;
  batchSize?: number;
  chunkSize?: number;
  requestTimeoutMs?: number;
  /** Upper bound of one long-poll (the hall caps it at 25 s). */
  waitMs?: number;
  backoff?: BackoffPolicy;
  /** Called after every cycle of the background loop. */
  onCycle?: (result: CycleResult) => void;
  /** Devices that are not fine, reported in the heartbeat after each successful cycle. */
  health?: () => readonly DeviceHealth[];
  /** This kiosk's software version, reported in the heartbeat. */
  appVersion?: string;
  /**
   * What the backend does with pulled settings documents (catalog, calendar, …; streams.ts).
   * Without it they are only stored in sync_records.
   */
  documents?: DocumentHandlers;
  /**
   * What the backend does with its own records when the hall answers: case statuses pulled,
   * entries acknowledged (each inside the sync transaction that records the answer).
   */
  records: Pick<RecordHandlers, 'caseStatus' | 'acknowledged'>;
};

export const describeError = (e: SyncError): string => {
  switch (e.kind) {
    case 'not-enrolled':
      return 'not enrolled';
    case 'network':
      return `network: ${e.message}`;
    case 'http':
      return `hall answered ${e.status} ${e.error}: ${e.message}`;
    case 'protocol':
      return `protocol: ${e.message}`;
    case 'blob-missing-locally':
      return `scanned file ${e.sha256} is missing on this kiosk`;
    case 'stuck':
      return e.message;
    default: {
      const never: never = e;
      return String(never);
    }
  }
};

type Reply = { status: number; headers: Headers; body: unknown };
type Sent = { ok: true; reply: Reply } | { ok: false; error: SyncError };

const MAX_PUSH_ROUNDS = 10_000;
const MAX_PULL_PAGES = 10_000;

function normaliseBase(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** POST /v1/enroll with a one-time code; on success stores the identity in kiosk_config. */
export async function enrollKiosk(deps: {
  db: SyncDb;
  hallUrl: string;
  code: string;
  clock: () => Date;
  fetch?: FetchFn;
  timeoutMs?: number;
}): Promise<{ ok: true; enrollment: Enrollment } | { ok: false; error: SyncError }> {
  const f = deps.fetch ?? fetch;
  const base = normaliseBase(deps.hallUrl);
  let res: Response;
  let body: unknown;
  try {
    res = await f(new URL('v1/enroll', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [HEADERS.schema]: String(SCHEMA_VERSION) },
      body: JSON.stringify({ code: deps.code.trim() }),
      signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
    });
    body = await res.json().catch(() => null);
  } catch (e) {
    return { ok: false, error: { kind: 'network', message: (e as Error).message } };
  }
  if (res.status !== 200) {
    const eb = errorResponse.safeParse(body);
    return {
      ok: false,
      error: {
        kind: 'http',
        status: res.status,
        error: eb.success ? eb.data.error : 'error',
        message: eb.success ? (eb.data.message ?? '') : '',
        retryAfterMs: 0,
      },
    };
  }
  const parsed = enrollResponse.safeParse(body);
  if (!parsed.success)
    return { ok: false, error: { kind: 'protocol', message: 'malformed enrolment answer' } };
  const enrollment: Enrollment = { ...parsed.data, hallUrl: base, enrolledAt: deps.clock().toISOString() };
  writeEnrollment(deps.db, enrollment, deps.clock().toISOString());
  return { ok: true, enrollment };
}

export function createSyncClient(deps: SyncClientDeps) {
  const { db, clock, logger, random } = deps;
  const f = deps.fetch ?? fetch;
  const base = normaliseBase(deps.hallUrl);
  const batchSize = deps.batchSize ?? 100;
  const chunkSize = deps.chunkSize ?? 256 * 1024;
  const timeoutMs = deps.requestTimeoutMs ?? 15_000;
  const waitMs = Math.min(deps.waitMs ?? 25_000, 25_000);
  const policy = deps.backoff ?? DEFAULT_BACKOFF;
  const uploaded = new Set<string>();
  const applier = createChangeApplier(db, {
    ...(deps.documents ? { documents: deps.documents } : {}),
    records: deps.records,
    onRefused: (r) =>
      logger.warn({ stream: r.stream, key: r.key, issues: r.issues }, 'pulled change refused'),
  });
  let running: Promise<CycleResult> | null = null;

  /** Hall clock − kiosk clock, learnt from a stale-timestamp refusal (kiosk clocks drift). */
  let clockOffsetMs = 0;

  /**
   * One signed request (docs "Authentication"), bounded by a timeout. A refusal for a stale
   * timestamp that carries the hall's time corrects the kiosk's offset and is retried once.
   */
  async function send(
    method: string,
    path: string,
    opts: Parameters<typeof sendOnce>[2] = {},
  ): Promise<Sent> {
    const first = await sendOnce(method, path, opts);
    if (!first.ok || first.reply.status !== 401) return first;
    const b = errorResponse.safeParse(first.reply.body);
    const hallTime = b.success ? b.data.hallTime : undefined;
    if (!b.success || b.data.error !== 'stale-timestamp' || typeof hallTime !== 'number') return first;
    clockOffsetMs = hallTime - clock().getTime();
    logger.warn({ clockOffsetMs }, 'kiosk clock differs from the hall clock; correcting request timestamps');
    return sendOnce(method, path, opts);
  }

  async function sendOnce(
    method: string,
    path: string,
    opts: {
      body?: Uint8Array;
      contentType?: string;
      headers?: Record<string, string>;
      timeout?: number;
      signal?: AbortSignal;
    } = {},
  ): Promise<Sent> {
    const body = opts.body ?? new Uint8Array(0);
    const timestamp = String(clock().getTime() + clockOffsetMs);
    const nonce = randomBytes(16).toString('hex');
    const url = new URL(path, base);
    // The request target as sent, including any path prefix of the hall URL.
    const signature = sign(
      deps.credentials.secret,
      signingString(method, `${url.pathname}${url.search}`, timestamp, nonce, body),
    );
    const headers: Record<string, string> = {
      [HEADERS.kioskId]: deps.credentials.kioskId,
      [HEADERS.timestamp]: timestamp,
      [HEADERS.nonce]: nonce,
      [HEADERS.schema]: String(SCHEMA_VERSION),
      [HEADERS.signature]: signature,
      ...(opts.headers ?? {}),
    };
    if (opts.body) headers['content-type'] = opts.contentType ?? 'application/json';
    try {
      const res = await f(url, {
        method,
        headers,
        ...(opts.body ? { body: new Uint8Array(opts.body) } : {}),
        signal: opts.signal
          ? AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeout ?? timeoutMs)])
          : AbortSignal.timeout(opts.timeout ?? timeoutMs),
      });
      const text = method === 'HEAD' ? '' : await res.text();
      let parsed: unknown = null;
      if (text.length > 0) {
        try {
          parsed = JSON.parse(text) as unknown;
        } catch {
          return {
            ok: false,
            error: { kind: 'protocol', message: `${method} /${path}: answer is not JSON (${res.status})` },
          };
        }
      }
      return { ok: true, reply: { status: res.status, headers: res.headers, body: parsed } };
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      return {
        ok: false,
        error: {
          kind: 'network',
          message: `${method} /${path}: ${cause?.code ?? cause?.message ?? (e as Error).message}`,
        },
      };
    }
  }

  const httpError = (r: Reply): SyncError => {
    const eb = errorResponse.safeParse(r.body);
    return {
      kind: 'http',
      status: r.status,
      error: eb.success ? eb.data.error : 'error',
      message: eb.success ? (eb.data.message ?? '') : '',
      retryAfterMs: parseRetryAfter(r.headers.get('retry-after'), clock()),
    };
  };
  const parse = <T>(
    schema: z.ZodType<T>,
    r: Reply,
    what: string,
  ): { ok: true; value: T } | { ok: false; error: SyncError } => {
    const p = schema.safeParse(r.body);
    return p.success
      ? { ok: true, value: p.data }
      : { ok: false, error: { kind: 'protocol', message: `malformed ${what} answer` } };
  };

  /** Blobs first (reference step 2): HEAD for the offset the hall holds, then PUT the rest in chunks. */
  async function uploadBlob(
    sha: string,
    force = false,
  ): Promise<{ ok: true } | { ok: false; error: SyncError }> {
    if (!force && uploaded.has(sha)) return { ok: true };
    const file = join(deps.blobDir, sha.slice(0, 2), sha);
    if (!existsSync(file)) return { ok: false, error: { kind: 'blob-missing-locally', sha256: sha } };
    const head = await send('HEAD', `v1/blobs/${sha}`);
    if (!head.ok) return head;
    if (head.reply.status === 200) {
      uploaded.add(sha);
      return { ok: true };
    }
    if (head.reply.status !== 404) return { ok: false, error: httpError(head.reply) };
    const bytes = readFileSync(file);
    if (sha256Hex(bytes) !== sha) return { ok: false, error: { kind: 'blob-missing-locally', sha256: sha } };
    let offset = Number(head.reply.headers.get(HEADERS.blobOffset) ?? '0');
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) offset = 0;
    // Bounded: each round either advances, or re-learns the offset; a hash mismatch restarts once.
    for (let round = 0; round < Math.ceil(bytes.length / chunkSize) + 4; round++) {
      const chunk = bytes.subarray(offset, Math.min(bytes.length, offset + chunkSize));
      const r = await send('PUT', `v1/blobs/${sha}`, {
        body: chunk,
        contentType: 'application/octet-stream',
        headers: { [HEADERS.blobOffset]: String(offset), [HEADERS.blobSize]: String(bytes.length) },
        timeout: Math.max(timeoutMs, 30_000),
      });
      if (!r.ok) return r;
      const { status, body } = r.reply;
      if (status === 200 || status === 201) {
        uploaded.add(sha);
        return { ok: true };
      }
      if (status === 202) {
        const p = blobPutResponse.safeParse(body);
        offset = p.success && p.data.offset !== undefined ? p.data.offset : offset + chunk.length;
        continue;
      }
      if (status === 409) {
        const p = errorResponse.safeParse(body);
        if (p.success && p.data.error === 'offset-mismatch' && p.data.offset !== undefined) {
          offset = p.data.offset;
          continue;
        }
      }
      if (status === 422) {
        offset = 0;
        continue;
      }
      return { ok: false, error: httpError(r.reply) };
    }
    return { ok: false, error: { kind: 'stuck', message: `upload of blob ${sha} made no progress` } };
  }

  /** Pushes the outbox in seq order and batches until it is empty (reference step 3). */
  async function pushAll(): Promise<{ ok: true; pushed: number } | { ok: false; error: SyncError }> {
    let pushed = 0;
    let from: number | null = null;
    let missingRetries = 0;
    for (let round = 0; round < MAX_PUSH_ROUNDS; round++) {
      const rows = pendingRows(db, batchSize, from);
      if (rows.length === 0) {
        if (from !== null)
          return {
            ok: false,
            error: {
              kind: 'stuck',
              message: `the hall expects seq ${from}, which this kiosk no longer holds`,
            },
          };
        return { ok: true, pushed };
      }
      for (const row of rows) {
        // The blobs the hall will look for are the ones its parser finds; an entry that does not
        // parse is rejected with a reason, and needs nothing uploaded.
        const entry = parseEntry(row.kind, row.payload);
        for (const sha of entry.ok ? entryBlobs(entry.entry) : []) {
          const u = await uploadBlob(sha);
          if (!u.ok) return u;
        }
      }
      const seqs = rows.map((r) => r.seq);
      const body = Buffer.from(
        JSON.stringify({
          entries: rows.map((r) => ({
            seq: r.seq,
            kind: r.kind,
            payload: r.payload,
            payloadHash: sha256Hex(r.payload),
          })),
        }),
      );
      const sent = await send('POST', 'v1/push', { body });
      if (!sent.ok) {
        countAttempt(db, seqs, describeError(sent.error));
        return sent;
      }
      const r = sent.reply;
      const at = clock().toISOString();
      if (r.status === 200) {
        const p = parse(pushResponse, r, 'push');
        if (!p.ok) return p;
        const first = rows[0]?.seq ?? 0;
        pushed += markAcked(db, p.value.ackedThroughSeq, p.value.results, at, deps.records);
        for (const res of p.value.results) {
          if (res.status !== 'applied')
            logger.warn(
              { seq: res.seq, status: res.status, reason: res.reason },
              'hall did not apply an outbox entry',
            );
        }
        if (p.value.ackedThroughSeq < first) {
          return {
            ok: false,
            error: {
              kind: 'stuck',
              message: `hall acknowledged through ${p.value.ackedThroughSeq}, before seq ${first}`,
            },
          };
        }
        from = null;
        missingRetries = 0;
        continue;
      }
      if (r.status === 409) {
        const gap = gapResponse.safeParse(r.body);
        if (gap.success) {
          pushed += markAcked(db, gap.data.ackedThroughSeq, gap.data.results, at, deps.records);
          logger.warn(
            { expectedSeq: gap.data.expectedSeq },
            'hall reports a seq gap; resending from the seq it expects',
          );
          if (from !== null && gap.data.expectedSeq === from) {
            return {
              ok: false,
              error: {
                kind: 'stuck',
                message: `the hall expects seq ${from}, which this kiosk no longer holds`,
              },
            };
          }
          from = gap.data.expectedSeq;
          continue;
        }
        const missing = missingBlobsResponse.safeParse(r.body);
        if (missing.success && missingRetries < 2) {
          missingRetries++;
          for (const sha of missing.data.hashes) {
            const u = await uploadBlob(sha, true);
            if (!u.ok) return u;
          }
          continue;
        }
      }
      const e = httpError(r);
      countAttempt(db, seqs, describeError(e));
      return { ok: false, error: e };
    }
    return { ok: false, error: { kind: 'stuck', message: 'push did not finish within its round limit' } };
  }

  /** A full snapshot after a "must refetch" answer; the cursor is stored with the last page. */
  async function refetch(): Promise<{ ok: true; pulled: number } | { ok: false; error: SyncError }> {
    let after = '';
    let cursor: string | null = null;
    let pulled = 0;
    for (let page = 0; page < MAX_PULL_PAGES; page++) {
      const sent = await send('GET', `v1/snapshot?after=${encodeURIComponent(after)}&limit=500`);
      if (!sent.ok) return sent;
      if (sent.reply.status !== 200) return { ok: false, error: httpError(sent.reply) };
      const p = parse(snapshotResponse, sent.reply, 'snapshot');
      if (!p.ok) return p;
      cursor ??= p.value.cursor;
      const last = !p.value.hasMore;
      pulled += applyPage(db, p.value.records, last ? cursor : null, clock().toISOString(), {
        guard: false,
        applier,
      }).applied;
      if (last) return { ok: true, pulled };
      after = p.value.nextAfter;
    }
    return { ok: false, error: { kind: 'stuck', message: 'snapshot did not finish within its page limit' } };
  }

  /** Pulls the change log from the stored cursor, one transaction per page (reference step 4). */
  async function pullAll(): Promise<{ ok: true; pulled: number } | { ok: false; error: SyncError }> {
    let pulled = 0;
    let refetched = false;
    for (let page = 0; page < MAX_PULL_PAGES; page++) {
      const cursor = readCursor(db);
      const sent = await send('GET', `v1/changes?cursor=${encodeURIComponent(cursor)}&limit=500`);
      if (!sent.ok) return sent;
      const r = sent.reply;
      if (r.status === 410 && mustRefetchResponse.safeParse(r.body).success && !refetched) {
        logger.warn({ cursor }, 'hall asks for a full refetch');
        refetched = true;
        const s = await refetch();
        if (!s.ok) return s;
        pulled += s.pulled;
        continue;
      }
      if (r.status !== 200) return { ok: false, error: httpError(r) };
      const p = parse(changesResponse, r, 'changes');
      if (!p.ok) return p;
      pulled += applyPage(db, p.value.changes, p.value.nextCursor, clock().toISOString(), {
        guard: true,
        applier,
      }).applied;
      if (!p.value.hasMore) return { ok: true, pulled };
    }
    return { ok: false, error: { kind: 'stuck', message: 'pull did not finish within its page limit' } };
  }

  function record(outcome: CycleResult): CycleResult {
    const prev = readSyncState(db);
    const at = clock().toISOString();
    writeSyncState(
      db,
      outcome.ok
        ? { lastSuccessAt: at, lastError: prev.lastError, lastErrorAt: prev.lastErrorAt, online: true }
        : {
            lastSuccessAt: prev.lastSuccessAt,
            lastError: describeError(outcome.error),
            lastErrorAt: at,
            // Only an unreachable hall makes the kiosk offline; a 4xx means it is reachable.
            online:
              outcome.error.kind !== 'network' &&
              !(outcome.error.kind === 'http' && outcome.error.status >= 500),
          },
      at,
    );
    return outcome;
  }

  /**
   * POST /v1/heartbeat (docs/sync-protocol.md, section 5c): backlog, unhealthy devices and version
   * for the hall's fleet view. Best-effort: any failure is logged and forgotten, never the cycle's.
   */
  async function heartbeat(n: number): Promise<void> {
    try {
      const devices = (deps.health?.() ?? []).map((d) => ({
        kind: d.kind,
        state: d.state,
        detail: d.detail,
      }));
      const r = await send('POST', 'v1/heartbeat', {
        body: Buffer.from(JSON.stringify({ backlog: n, devices, appVersion: deps.appVersion ?? 'unknown' })),
        timeout: Math.min(timeoutMs, 5_000),
      });
      if (!r.ok) logger.debug({ error: describeError(r.error) }, 'heartbeat not delivered');
      else if (r.reply.status !== 200) logger.debug({ status: r.reply.status }, 'hall refused the heartbeat');
    } catch (e) {
      logger.warn({ err: e }, 'heartbeat failed');
    }
  }

  async function cycle(): Promise<CycleResult> {
    const push = await pushAll();
    if (!push.ok) return record({ ok: false, error: push.error, backlog: backlog(db) });
    const pull = await pullAll();
    if (!pull.ok) return record({ ok: false, error: pull.error, backlog: backlog(db) });
    const n = backlog(db);
    await heartbeat(n);
    return record({ ok: true, pushed: push.pushed, pulled: pull.pulled, backlog: n });
  }

  /** One push + pull cycle; concurrent callers share the cycle in flight. */
  function runOnce(): Promise<CycleResult> {
    running ??= cycle().finally(() => {
      running = null;
    });
    return running;
  }

  function status(): SyncStatus {
    const s = readSyncState(db);
    return { backlog: backlog(db), lastSuccessAt: s.lastSuccessAt, lastError: s.lastError, online: s.online };
  }

  /** The home screen's network indicator (shared NetworkStatus). */
  function networkStatus(): NetworkStatus {
    const s = readSyncState(db);
    const n = backlog(db);
    if (s.online && s.lastSuccessAt !== null)
      return { state: 'online', lastSuccessAt: s.lastSuccessAt, backlog: n };
    return { state: 'offline', since: s.lastErrorAt, lastError: s.lastError, backlog: n };
  }

  /** Long-poll wake-up: true when the hall has changes after our cursor (or on any doubt). */
  async function waitForChanges(signal: AbortSignal): Promise<'changed' | 'quiet' | 'failed'> {
    const cursor = readCursor(db);
    const sent = await send('GET', `v1/wait?cursor=${encodeURIComponent(cursor)}&timeoutMs=${waitMs}`, {
      timeout: waitMs + 5_000,
      signal,
    });
    if (signal.aborted) return 'changed';
    if (!sent.ok || sent.reply.status !== 200) return 'failed';
    const p = waitResponse.safeParse(sent.reply.body);
    if (!p.success) return 'failed';
    return p.data.changed ? 'changed' : 'quiet';
  }

  /**
   * The background loop: cycle; after a failure sleep a jittered backoff; after a success with an
   * empty backlog, long-poll the hall until something changes. `nudge()` (a new outbox row) cuts
   * any wait short.
   */
  function start(): { stop(): Promise<void>; nudge(): void } {
    let stopped = false;
    let wake = new AbortController();
    let failures = 0;
    let waitFailures = 0;
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        wake.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(t);
            resolve();
          },
          { once: true },
        );
      });
    const loop = (async () => {
      while (!stopped) {
        if (wake.signal.aborted) wake = new AbortController();
        const r = await runOnce();
        try {
          deps.onCycle?.(r);
        } catch (e) {
          logger.error({ err: e }, 'sync onCycle listener failed');
        }
        if (stopped) break;
        if (!r.ok) {
          failures++;
          const retryAfter = r.error.kind === 'http' ? r.error.retryAfterMs : 0;
          const delay = backoffDelay(failures, random, policy, retryAfter);
          logger.info(
            { error: describeError(r.error), delayMs: delay, failures },
            'sync cycle failed; backing off',
          );
          await pause(delay);
          continue;
        }
        failures = 0;
        if (r.backlog > 0) continue;
        // A hall whose wake-up fails (down, or without /v1/wait) must not turn this into a busy
        // loop: back off before the next cycle.
        if ((await waitForChanges(wake.signal)) === 'failed') {
          waitFailures++;
          await pause(backoffDelay(waitFailures, random, policy));
        } else waitFailures = 0;
      }
    })();
    return {
      nudge: () => wake.abort(),
      async stop() {
        stopped = true;
        wake.abort();
        await loop;
      },
    };
  }

  /**
   * 电子证照: the materials the hall holds as shared licences for this person, or null when the hall
   * cannot answer quickly (offline, slow, refusing) — the kiosk then asks for the papers.
   */
  async function lookupLicences(
    idNumber: string,
    materials: readonly string[],
    timeout = 3000,
  ): Promise<ReadonlySet<string> | null> {
    const r = await send('POST', 'v1/licences/lookup', {
      body: Buffer.from(JSON.stringify({ idNumber, materials })),
      timeout,
    });
    if (!r.ok || r.reply.status !== 200) return null;
    const held = licenceLookupResponseSchema.safeParse(r.reply.body);
    return held.success ? new Set(held.data.held.filter((m) => materials.includes(m))) : null;
  }

  /** Queue service: a number from the hall (null when it cannot answer quickly — use the offline range). */
  async function takeTicket(
    body: TakeTicketRequest,
    timeout = 3000,
  ): Promise<{ number: string; peopleWaiting: number; issuedAt: string } | null> {
    const r = await send('POST', 'v1/queue/tickets', { body: Buffer.from(JSON.stringify(body)), timeout });
    if (!r.ok || r.reply.status !== 200) return null;
    const t = takeTicketResponseSchema.safeParse(r.reply.body);
    return t.success ? t.data : null;
  }

  /** People waiting per window today, or null when the hall cannot answer quickly. */
  async function queueStatus(serviceDate: string, timeout = 3000): Promise<Record<string, number> | null> {
    const r = await send('GET', `v1/queue/status?serviceDate=${encodeURIComponent(serviceDate)}`, {
      timeout,
    });
    if (!r.ok || r.reply.status !== 200) return null;
    const t = queueStatusResponseSchema.safeParse(r.reply.body);
    return t.success ? t.data.waiting : null;
  }

  return { runOnce, status, networkStatus, start, uploadBlob, lookupLicences, takeTicket, queueStatus };
}

export type SyncClient = ReturnType<typeof createSyncClient>;
