/**
 * Wake-ups between the parts of the hall, and — with several hall nodes — between nodes (issue #11,
 * item 2): "something changed for kiosk X", never the change itself. The receiver reads what changed
 * from the store, which is the record; a notification only saves it from polling.
 *
 * Two implementations: in-process (one hall process; the default, what the hall did before with an
 * EventEmitter) and PostgreSQL LISTEN/NOTIFY (pg-notifier.ts) for nodes sharing one database.
 *
 * Rules every implementation keeps:
 * - publish delivers to this process's subscribers at once (synchronously) and to other nodes as soon
 *   as it can; it never throws — a failure to reach other nodes is a value and is reported;
 * - a subscriber may get a `null` payload: "you may have missed something" (after a lost
 *   connection), on which it must re-check the store as if anything had changed;
 * - payloads are short identifiers (PostgreSQL limits a NOTIFY payload to < 8000 bytes):
 *   MAX_NOTIFY_PAYLOAD_BYTES, refused above that.
 */
import { EventEmitter } from 'node:events';

/** The channels the hall uses; one closed list so a typo cannot make a channel nobody listens on. */
export const HALL_CHANNELS = {
  /** The kiosk change log (change-feed.ts): payload = the kiosk id, or `*` for every kiosk. */
  changes: 'zizhu_changes',
  /**
   * The live desk (desk-events.ts): payload = one desk event of another node, `{o, j, e}` (origin,
   * jurisdiction, event). The one channel that carries data rather than an id: desk events are kept
   * nowhere durable, they are short (an id, a receipt number, a masked name) and checked against the
   * same payload limit; one that does not fit is told as a `resync`.
   */
  desk: 'zizhu_desk',
  /**
   * 呼叫帮助 across nodes (help-desk.ts): payload = `{o, r, k, d?, s?}` — origin node, request id,
   * what happened (a request changed, a signal was appended in direction d with number s). Ids only:
   * the receiver reads the request and the signals from the store.
   */
  help: 'zizhu_help',
} as const;
export type HallChannel = (typeof HALL_CHANNELS)[keyof typeof HALL_CHANNELS];
export const ALL_HALL_CHANNELS: readonly HallChannel[] = Object.values(HALL_CHANNELS);

/**
 * Well below PostgreSQL's 8000-byte NOTIFY limit, leaving room for the sender tag pg-notifier.ts
 * puts in front: payloads are ids, so anything near this is a bug.
 */
export const MAX_NOTIFY_PAYLOAD_BYTES = 1024;

export type PublishResult =
  | { ok: true }
  | { ok: false; error: 'payload-too-large' | 'unknown-channel' | 'not-delivered'; message: string };

/** `null`: a notification may have been missed; re-check as if anything had changed. */
export type NotifyListener = (payload: string | null) => void;

export type NotifierState =
  | { state: 'connected' }
  | { state: 'disconnected'; since: string; error: string; attempt: number; retryInMs: number }
  | { state: 'closed' };

export type HallNotifier = {
  publish(channel: HallChannel, payload: string): Promise<PublishResult>;
  /** Returns the unsubscribe. */
  subscribe(channel: HallChannel, listener: NotifyListener): () => void;
  /** Where the connection to other nodes stands (in-process: always connected). */
  state(): NotifierState;
  close(): Promise<void>;
};

export function checkPayload(channel: string, payload: string): PublishResult {
  if (!(ALL_HALL_CHANNELS as readonly string[]).includes(channel))
    return { ok: false, error: 'unknown-channel', message: `no hall channel ${channel}` };
  if (Buffer.byteLength(payload, 'utf8') > MAX_NOTIFY_PAYLOAD_BYTES)
    return {
      ok: false,
      error: 'payload-too-large',
      message: `a notification carries an id (≤ ${MAX_NOTIFY_PAYLOAD_BYTES} bytes), not data`,
    };
  return { ok: true };
}

/**
 * This process's subscribers, shared by both implementations: delivery is synchronous, and one
 * listener that throws does not keep the others from being told.
 */
export function createLocalFanout() {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  return {
    deliver(channel: HallChannel, payload: string | null): void {
      for (const l of events.listeners(channel) as NotifyListener[]) {
        try {
          l(payload);
        } catch {
          // A subscriber's bug must not stop the wake-up of the others.
        }
      }
    },
    deliverAll(payload: null): void {
      for (const c of ALL_HALL_CHANNELS) this.deliver(c, payload);
    },
    subscribe(channel: HallChannel, listener: NotifyListener): () => void {
      events.on(channel, listener);
      return () => events.off(channel, listener);
    },
    clear: () => events.removeAllListeners(),
  };
}

/** One hall process: what it always did, behind the interface. */
export function createInProcessNotifier(): HallNotifier {
  const local = createLocalFanout();
  let closed = false;
  return {
    publish(channel, payload) {
      const checked = checkPayload(channel, payload);
      if (!checked.ok) return Promise.resolve(checked);
      if (closed)
        return Promise.resolve({ ok: false, error: 'not-delivered', message: 'the notifier is closed' });
      local.deliver(channel, payload);
      return Promise.resolve(checked);
    },
    subscribe: (channel, listener) => local.subscribe(channel, listener),
    state: () => (closed ? { state: 'closed' } : { state: 'connected' }),
    close() {
      closed = true;
      local.clear();
      return Promise.resolve();
    },
  };
}
