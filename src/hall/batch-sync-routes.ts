/**
 * Batch sync, the /v2 routes (docs/sync-protocol.md, 5e): `POST /v2/blobs/missing` answers which of
 * a list of blobs the hall lacks; `POST /v2/sync` takes a framed body (src/shared/wire/sync-v2.ts)
 * with a push batch, the blobs it needs, the heartbeat and the pull's cursor, and answers every part
 * at once. The /v1 routes are untouched (a /v1 kiosk works as before); `HallConfig.syncV2: false`
 * (HALL_SYNC_V2=0) leaves these routes out, so the hall answers them 404 like a hall that predates
 * them, and a v2 kiosk falls back to /v1.
 *
 * Durability and replay (5e.3, 5e.4): the signature is verified before any work, every blob's hash
 * before anything is stored; then the request's nonce, last contact, blobs' index rows, entries and
 * heartbeat are written in one savepoint of the group's transaction, and the answer leaves only after
 * that transaction committed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  decodeSyncBody,
  describeIssues,
  missingQuerySchema,
  syncV2HeadSchema,
  type BlobFrame,
  type SyncV2Answer,
  type SyncV2Head,
} from '../shared/wire/index.js';
import type { Result } from '../shared/result.js';
import { badRequest, hallError, notJson, type HttpAnswer } from './answers.js';
import type { StagedBlobs } from './blob-store.js';
import { createGroupCommit, Refusal, type GroupCommit } from './group-commit.js';
import type { HallService, Kiosk } from './service.js';
import type { RequestHeaders } from './kiosk-access.js';
import type { HallSql } from './store/index.js';

export type BatchSyncDeps = {
  sql: HallSql;
  clock: () => Date;
  service: HallService;
  /** POST /v1/heartbeat's rules (fleet.ts). */
  heartbeat: (kioskId: string, raw: unknown) => Promise<HttpAnswer>;
  send: (reply: FastifyReply, a: HttpAnswer) => FastifyReply;
  onError?: (e: unknown) => void;
};

const rawBody = (req: FastifyRequest): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
const replayed = () => new Refusal(hallError(401, 'replayed', 'nonce already used'));

/**
 * The one place the batch route hands blobs to the blob store: ONE `stageBlobs` call per request
 * (every frame checked against its name first, then written into a pack shared with the requests
 * of the same turn, fsynced off the event loop — docs/blob-store.md). The index rows are committed
 * by `indexStagedBlobs` inside the group's transaction, with the request's acknowledgement.
 */
export async function storeBlobs(
  service: Pick<HallService, 'stageBlobs'>,
  owner: string,
  blobs: readonly BlobFrame[],
): Promise<Result<StagedBlobs, HttpAnswer>> {
  return service.stageBlobs(blobs, owner);
}

export function registerBatchSyncRoutes(app: FastifyInstance, deps: BatchSyncDeps): GroupCommit {
  const { service, send } = deps;
  const group = createGroupCommit({
    sql: deps.sql,
    ...(deps.onError ? { onError: deps.onError } : {}),
  });

  /** Steps 1–5 of section 1 (nothing written); the nonce is claimed in the group's transaction. */
  const verify = (req: FastifyRequest) =>
    service.verifyRequest(req.method, req.url, req.headers, rawBody(req));
  const claim = async (headers: RequestHeaders, v: { kiosk: Kiosk; nonce: string; now: number }) => {
    if (!(await service.claimNonce(headers, v.kiosk, v.nonce, v.now))) throw replayed();
  };

  app.post('/v2/blobs/missing', async (req, reply) => {
    const v = await verify(req);
    if (!v.ok) return send(reply, v.answer);
    let raw: unknown;
    try {
      raw = JSON.parse(rawBody(req).toString('utf8')) as unknown;
    } catch {
      return send(reply, notJson());
    }
    const q = missingQuerySchema.safeParse(raw);
    if (!q.success) return send(reply, badRequest(describeIssues(q.error)));
    // Asked before the group's transaction: blobState looks at files (and trims a torn upload),
    // which never happens inside a transaction.
    const states = await service.blobStates(q.data.hashes, v.kiosk.id);
    const missing = q.data.hashes.filter((_, i) => !states[i]?.complete);
    // The nonce and last contact are the request's only write: one statement (kiosk-access.ts).
    const answer = await group.runOne(async () => {
      await claim(req.headers, v);
      return { status: 200, body: { missing } };
    });
    return send(reply, answer);
  });

  app.post('/v2/sync', async (req, reply) => {
    const body = rawBody(req);
    const v = await verify(req);
    if (!v.ok) return send(reply, v.answer);
    const decoded = decodeSyncBody(body);
    if (!decoded.ok) return send(reply, hallError(400, 'bad-frame', decoded.error.message));
    const parsed = syncV2HeadSchema.safeParse(decoded.value.head);
    if (!parsed.success) return send(reply, badRequest(describeIssues(parsed.error)));
    const head: SyncV2Head = parsed.data;
    const kioskId = v.kiosk.id;
    // Every blob verified before anything is stored: one bad frame refuses the whole body (the
    // refusal is signed and its nonce kept, like any answer to a request that proved its key).
    // The pack is durable before the group's transaction indexes it; a request refused there
    // (replayed, bad push) leaves unindexed pack bytes that GC reclaims.
    let staged: Result<StagedBlobs, HttpAnswer>;
    try {
      staged = await storeBlobs(service, kioskId, decoded.value.blobs);
    } catch (e) {
      deps.onError?.(e);
      return send(reply, {
        ...hallError(503, 'unavailable', 'try again later'),
        headers: { 'retry-after': '2' },
      });
    }
    const answer = await group.run(async () => {
      await claim(req.headers, v);
      if (!staged.ok) return staged.error;
      await service.indexStagedBlobs(staged.value);
      const blobsStored = decoded.value.blobs.length;
      const push = head.entries.length > 0 ? await service.push(kioskId, { entries: head.entries }) : null;
      // A refused push body (400) refuses the request: nothing of it is kept.
      if (push && push.status === 400) throw new Refusal(push);
      const heartbeat = head.heartbeat
        ? (await deps.heartbeat(kioskId, head.heartbeat)).status === 200
        : false;
      // After the push, so the kiosk's own entries' changes (received) come in this page.
      const pull = head.pull ? await service.changes(kioskId, head.pull.cursor, head.pull.limit) : null;
      const out: SyncV2Answer = {
        blobsStored,
        push: push ? { status: push.status, body: push.body } : null,
        pull: pull ? { status: pull.status, body: pull.body } : null,
        heartbeat,
      };
      return { status: 200, body: out };
    });
    if (answer.status === 200 && staged.ok) service.dropPartials(kioskId, staged.value.hashes);
    return send(reply, answer);
  });

  return group;
}
