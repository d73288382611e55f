/**
 * 呼叫帮助, the kiosk's side of docs/sync-protocol.md section 5d: raising, reading and cancelling a
 * help request and relaying the video call's signalling — all signed like every other kiosk
 * request (transport.ts). A resident is waiting at the screen, so each call is short and answers a
 * value: `unreachable` when the hall cannot be asked, `refused` with its status otherwise.
 */
import type { z } from 'zod';
import { err, ok, type Result } from '../shared/result.js';
import {
  helpSignalAckSchema,
  helpSignalsResponseSchema,
  helpStatusSchema,
  type HelpRequestBody,
  type HelpSignal,
  type HelpSignalsResponse,
  type HelpStatus,
} from '../shared/wire/index.js';
import type { Transport } from './transport.js';

export type HelpCallError = { kind: 'unreachable' } | { kind: 'refused'; status: number };
export type HelpAnswer<T> = Result<T, HelpCallError>;

const QUICK_TIMEOUT_MS = 5000;
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

export function createHelpCalls(deps: { transport: Transport }) {
  const { transport } = deps;
  const path = (id: string, rest = '') => `v1/help/requests/${encodeURIComponent(id)}${rest}`;

  async function call<T>(
    method: 'GET' | 'POST',
    to: string,
    schema: z.ZodType<T>,
    body?: unknown,
    timeout = QUICK_TIMEOUT_MS,
    signal?: AbortSignal,
  ): Promise<HelpAnswer<T>> {
    const r = await transport.send(method, to, {
      ...(body === undefined ? {} : { body: json(body) }),
      timeout,
      ...(signal ? { signal } : {}),
    });
    if (!r.ok) return err({ kind: 'unreachable' });
    if (r.value.status !== 200) return err({ kind: 'refused', status: r.value.status });
    const parsed = schema.safeParse(r.value.body);
    return parsed.success ? ok(parsed.data) : err({ kind: 'unreachable' });
  }
  return {
    /** POST /v1/help/requests (idempotent by the request's id). */
    request: (body: HelpRequestBody): Promise<HelpAnswer<HelpStatus>> =>
      call('POST', 'v1/help/requests', helpStatusSchema, body),
    status: (id: string): Promise<HelpAnswer<HelpStatus>> => call('GET', path(id), helpStatusSchema),
    cancel: (id: string): Promise<HelpAnswer<HelpStatus>> =>
      call('POST', path(id, '/cancel'), helpStatusSchema, {}),
    /** One signalling message to the desk. */
    signal: async (id: string, signal: HelpSignal): Promise<HelpAnswer<number>> => {
      const r = await call('POST', path(id, '/signals'), helpSignalAckSchema, { signal });
      return r.ok ? ok(r.value.seq) : r;
    },
    /** The desk's messages after `after`, long-polled up to `waitMs`. */
    signals: (
      id: string,
      after: number,
      waitMs: number,
      abort?: AbortSignal,
    ): Promise<HelpAnswer<HelpSignalsResponse>> =>
      call(
        'GET',
        path(id, `/signals?after=${after}&timeoutMs=${waitMs}`),
        helpSignalsResponseSchema,
        undefined,
        waitMs + QUICK_TIMEOUT_MS,
        abort,
      ),
  };
}

export type HelpCalls = ReturnType<typeof createHelpCalls>;
