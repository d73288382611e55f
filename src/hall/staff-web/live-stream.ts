/**
 * The pure parts of the live desk (live-desk-view.tsx), unit-tested: reading the hall's
 * `text/event-stream` as it arrives in chunks, and the 即办件 countdown.
 */

/** One event of the stream: its `id:` (null: none given) and its `data:` lines joined. */
export type SseEvent = { id: string | null; data: string };

/** The longest line kept while waiting for its end (a hall event is a few hundred bytes). */
export const SSE_MAX_LINE = 256 * 1024;

/**
 * A reader of `text/event-stream` chunks: `push` returns the events completed by this chunk (an event
 * ends with an empty line); a partial line waits for the next chunk. Comments (`:`), `event:` and
 * `retry:` lines are skipped. A line longer than SSE_MAX_LINE throws (the caller reconnects).
 */
export function createSseReader(): { push(chunk: string): SseEvent[] } {
  let buf = '';
  let id: string | null = null;
  let data: string[] = [];
  return {
    push(chunk) {
      buf += chunk;
      const out: SseEvent[] = [];
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        if (line === '') {
          if (data.length > 0) out.push({ id, data: data.join('\n') });
          id = null;
          data = [];
        } else if (line.startsWith('id:')) id = line.slice(3).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trim());
      }
      if (buf.length > SSE_MAX_LINE) throw new Error('event stream: line too long');
      return out;
    },
  };
}

/** Whole seconds left until `deadline` (ms on this machine's clock), never below 0. */
export const secondsLeft = (deadline: number, now: number): number =>
  Math.max(0, Math.ceil((deadline - now) / 1000));

/** How long a 即办件 banner stays after its countdown ran out. */
export const BANNER_LINGER_MS = 10_000;

/**
 * When a 即办件 countdown ends on this machine's clock: the time the hall said was left when it sent
 * the event (deadline − at), from now — so a desk clock that is off does not matter.
 */
export const localDeadline = (e: { deadline: string; at: string }, now: number): number =>
  now + (Date.parse(e.deadline) - Date.parse(e.at));
