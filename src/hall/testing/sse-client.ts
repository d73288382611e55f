/**
 * A real server-sent-events client over fetch for the hall's tests: parses `id:`, `event:`, `data:`
 * and comment lines as the EventSource spec does, and waits (bounded) for the events a test expects.
 */
export type SseMessage = { id: string | null; event: string | null; data: string };

export type SseClient = {
  status: number;
  messages: SseMessage[];
  comments: string[];
  /** Resolves when `pred` holds for a message (or rejects after `ms`). */
  waitFor(pred: (m: SseMessage) => boolean, ms?: number): Promise<SseMessage>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
};

export async function openSse(url: string, headers: Record<string, string>): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  let endedResolve: () => void = () => undefined;
  const ended = new Promise<void>((r) => {
    endedResolve = r;
  });
  if (res.body && res.headers.get('content-type')?.startsWith('text/event-stream')) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buf = '';
      let cur: SseMessage = { id: null, event: null, data: '' };
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).replace(/\r$/, '');
            buf = buf.slice(nl + 1);
            if (line === '') {
              if (cur.data !== '' || cur.event !== null) messages.push(cur);
              cur = { id: null, event: null, data: '' };
              wake();
            } else if (line.startsWith(':')) {
              comments.push(line.slice(1).trim());
              wake();
            } else {
              const i = line.indexOf(':');
              const field = i < 0 ? line : line.slice(0, i);
              const val = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
              if (field === 'id') cur.id = val;
              else if (field === 'event') cur.event = val;
              else if (field === 'data') cur.data = cur.data === '' ? val : `${cur.data}\n${val}`;
            }
          }
        }
      } catch {
        // aborted by close()
      }
      endedResolve();
      wake();
    })();
  } else {
    endedResolve();
  }
  return {
    status: res.status,
    messages,
    comments,
    ended,
    waitFor(pred, ms = 3000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = messages.find(pred);
          if (m) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(messages)}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    close() {
      abort.abort();
    },
  };
}
