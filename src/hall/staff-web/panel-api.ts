/**
 * The calls the 叫号 and 呼叫帮助 panels make (docs/sync-protocol.md, 5d and 8 "叫号 panel"), as the
 * desk's other calls are made (api.ts): the session cookie, the CSRF token on every POST, every
 * failure a value (a Problem). A 401 here is a value only — the desk's next own call signs it out.
 */
import { err, ok } from '../../shared/result.js';
import type { DeskQueueDone, DeskQueueView } from '../../shared/desk-events.js';
import type { HelpSignal } from '../../shared/help.js';
import type { StaffApiError } from '../staff.js';
import type { Answer } from './api.js';

export type PanelApiDeps = { csrf: () => string | null; fetch: typeof fetch };

export function createPanelApi(deps: PanelApiDeps) {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer<T>> {
    const csrf = deps.csrf();
    if (csrf === null) return err({ kind: 'unauthenticated' });
    try {
      const res = await deps.fetch(path, {
        method,
        credentials: 'same-origin',
        headers: {
          ...(method === 'POST' ? { 'x-csrf-token': csrf } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json: unknown = await res.json().catch(() => null);
      if (res.status === 401) return err({ kind: 'unauthenticated' });
      if (!res.ok)
        return err({
          kind: 'refused',
          status: res.status,
          error:
            json !== null && typeof json === 'object' && 'error' in json ? (json as StaffApiError) : null,
        });
      return ok(json as T);
    } catch (e) {
      return err({ kind: 'unreachable', message: e instanceof Error ? e.message : String(e) });
    }
  }
  const id = encodeURIComponent;
  return {
    queue: () => call<DeskQueueView>('GET', '/v1/staff/queue'),
    callNext: (window: string) => call<DeskQueueDone>('POST', `/v1/staff/queue/${id(window)}/next`, {}),
    onTicket: (ticketId: string, what: 'recall' | 'skip' | 'transfer', toWindow?: string) =>
      call<DeskQueueDone>(
        'POST',
        `/v1/staff/queue/tickets/${id(ticketId)}/${what}`,
        what === 'transfer' ? { window: toWindow } : {},
      ),
    helpAnswer: (requestId: string) => call<unknown>('POST', `/v1/staff/help/${id(requestId)}/answer`),
    helpClose: (requestId: string) => call<unknown>('POST', `/v1/staff/help/${id(requestId)}/close`),
    helpSignal: (requestId: string, signal: HelpSignal) =>
      call<unknown>('POST', `/v1/staff/help/${id(requestId)}/signals`, { signal }),
  };
}

export type PanelApi = ReturnType<typeof createPanelApi>;
