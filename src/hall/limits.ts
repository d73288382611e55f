/**
 * The hall's limits as an Internet-facing service (docs/security.md, "The hall as an Internet-facing
 * service"): how long a request may take, how many connections it holds, how large each route's body
 * may be, how many unfinished upload bytes a kiosk may leave and for how long, how many failed
 * enrolment and staff sign-in attempts one address may make, and how long a staff token lives.
 * Every value has a default here and an environment variable (config.ts); tests pass small ones.
 */
import { readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';

export type HallLimits = {
  /** A whole request (headers and body) must arrive within this; node answers 408 and closes. */
  requestTimeoutMs: number;
  /** The headers must arrive within this. */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** How often node checks the two timeouts above (they are enforced to this granularity). */
  connectionsCheckingIntervalMs: number;
  /**
   * Open connections beyond this are dropped as they arrive. Every kiosk holds one between its sync
   * cycles (the long-poll, GET /v1/wait) and one or two during a cycle: a node needs about twice the
   * kiosks it serves (docs/deployment.md, 3a).
   */
  maxConnections: number;
  /** Bytes of unfinished blob uploads (`blobs/.partial/<kiosk>/`) one kiosk may hold. */
  partialQuotaBytes: number;
  /** An unfinished upload untouched this long is removed. */
  partialMaxAgeMs: number;
  /** How often unfinished uploads are swept (also once at start). */
  partialSweepEveryMs: number;
  /** Failed enrolments (and, separately, failed staff sign-ins) one address may make per window … */
  maxFailedAttempts: number;
  /** … in this sliding window; the address is answered 429 until its failures age out. */
  attemptWindowMs: number;
  /** A staff bearer token is refused this many hours after it was created. */
  staffTokenHours: number;
};

export const DEFAULT_HALL_LIMITS: HallLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  connectionsCheckingIntervalMs: 1_000,
  // 256 until 2026-12-07: 1,000 long-polling kiosks behind nginx on two nodes then got thousands of
  // 502s (docs/benchmarks.md, `fleet-nodes`); an idle connection costs a node a few KB.
  maxConnections: 4096,
  partialQuotaBytes: 256 * 1024 * 1024,
  partialMaxAgeMs: 24 * 3600_000,
  partialSweepEveryMs: 3600_000,
  maxFailedAttempts: 10,
  attemptWindowMs: 15 * 60_000,
  staffTokenHours: 12,
};

export const resolveHallLimits = (given: Partial<HallLimits> | undefined): HallLimits => ({
  ...DEFAULT_HALL_LIMITS,
  ...given,
});

/**
 * The node server with the limits set at creation (connectionsCheckingInterval can only be set
 * there), for fastify's `serverFactory`. Without these a client that sends a body one byte a minute
 * holds its connection (and its buffer) forever.
 */
export function createLimitedServer(
  limits: HallLimits,
  handler: RequestListener,
  tls: { cert: Buffer; key: Buffer } | null = null,
): Server | HttpsServer {
  const options = {
    requestTimeout: limits.requestTimeoutMs,
    // node requires headersTimeout ≤ requestTimeout.
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
  };
  // HTTPS (HALL_TLS_CERT / HALL_TLS_KEY) gets the same timeouts and cap.
  const server = tls ? createHttpsServer({ ...options, ...tls }, handler) : createServer(options, handler);
  server.maxConnections = limits.maxConnections;
  return server;
}

/** Per-route body limits in bytes; checked from Content-Length before any byte is read (gate.ts). */
export const BODY_LIMITS = {
  /** A blob chunk (the kiosk sends 256 KiB; a larger configured chunk size still fits). */
  blobChunk: 8 * 1024 * 1024,
  /** A push batch (up to MAX_BATCH entries). */
  push: 8 * 1024 * 1024,
  /** A batch-sync body: a push batch and its blobs (SYNC_V2_MAX_BODY_BYTES, src/shared/wire/sync-v2.ts). */
  syncV2: 16 * 1024 * 1024,
  /** An enrolment code. */
  enroll: 4 * 1024,
  /** Everything else: staff actions, heartbeat, licence lookup, queue tickets. */
  other: 64 * 1024,
} as const;

/** The body limit of a route, by fastify's route pattern. */
export function bodyLimitFor(method: string, url: string): number {
  if (method === 'PUT' && url === '/v1/blobs/:sha256') return BODY_LIMITS.blobChunk;
  if (url === '/v1/push') return BODY_LIMITS.push;
  if (url === '/v2/sync') return BODY_LIMITS.syncV2;
  if (url === '/v1/enroll') return BODY_LIMITS.enroll;
  return BODY_LIMITS.other;
}

/**
 * Failed attempts per address in a sliding window (enrolment codes, staff tokens). Bounded: at most
 * `maxKeys` addresses are tracked; the oldest is forgotten first.
 */
export function createAttemptThrottle(opts: {
  max: number;
  windowMs: number;
  clock: () => Date;
  maxKeys?: number;
}) {
  const maxKeys = opts.maxKeys ?? 10_000;
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number): number[] => {
    const kept = (failures.get(key) ?? []).filter((t) => now - t < opts.windowMs);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  };
  return {
    /** Milliseconds until `key` may try again, or 0 when it may now. */
    blockedForMs(key: string): number {
      const now = opts.clock().getTime();
      const kept = recent(key, now);
      if (kept.length < opts.max) return 0;
      const oldest = kept[kept.length - opts.max] ?? now;
      return Math.max(1, oldest + opts.windowMs - now);
    },
    fail(key: string): number {
      const now = opts.clock().getTime();
      const kept = recent(key, now);
      kept.push(now);
      failures.delete(key);
      failures.set(key, kept.slice(-opts.max));
      if (failures.size > maxKeys) {
        const first = failures.keys().next();
        if (!first.done) failures.delete(first.value);
      }
      return kept.length;
    },
  };
}

export type AttemptThrottle = ReturnType<typeof createAttemptThrottle>;

/** Files a process may hold open besides its connections (database, WAL, blob packs, logs). */
export const FILES_BESIDES_CONNECTIONS = 256;

/** The soft "Max open files" of this process (Linux /proc/self/limits), or null where unknown. */
export function openFilesLimit(limitsText?: string): number | null {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return null;
    }
  }
  const line = text.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
  if (soft === undefined) return null;
  if (soft === 'unlimited') return Number.POSITIVE_INFINITY;
  const n = Number(soft);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/**
 * A sentence for the log when the process may not open as many files as `maxConnections` needs
 * (each connection is a file descriptor): accepting would then fail with EMFILE well before the cap.
 */
export function openFilesWarning(maxConnections: number, limit: number | null): string | null {
  if (limit === null || limit >= maxConnections + FILES_BESIDES_CONNECTIONS) return null;
  return (
    `this process may open ${limit} files, but HALL_MAX_CONNECTIONS is ${maxConnections} ` +
    `(+${FILES_BESIDES_CONNECTIONS} for the database and blobs): raise its limit (systemd LimitNOFILE=, ` +
    `ulimit -n) to at least ${maxConnections + FILES_BESIDES_CONNECTIONS}, or lower HALL_MAX_CONNECTIONS`
  );
}
