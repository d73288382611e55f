/**
 * A man in the middle for the transport-security tests (docs/security.md, "Transport and enrolment"):
 * a real HTTP proxy on 127.0.0.1 that forwards every request to the hall, records every byte it
 * sees both ways (request line, headers and bodies), and may rewrite an answer's body before it
 * reaches the kiosk — as an attacker on the path of a plain-http hall would.
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Rewrite = (a: { path: string; status: number; body: Buffer }) => Buffer | null;

export type MitmProxy = {
  url: string;
  /** Everything seen so far, both directions, as one buffer. */
  recorded(): Buffer;
  /** Sets (or clears with null) the rewriting of answers. */
  rewrite(fn: Rewrite | null): void;
  close(): Promise<void>;
};

const readAll = (s: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => resolve(Buffer.concat(chunks)));
    s.on('error', reject);
  });

const headerText = (raw: string[]): string => {
  let out = '';
  for (let i = 0; i + 1 < raw.length; i += 2) out += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return out;
};

export async function startMitmProxy(target: string): Promise<MitmProxy> {
  const hall = new URL(target);
  const seen: Buffer[] = [];
  let rewriter: Rewrite | null = null;
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      seen.push(Buffer.from(`${req.method} ${req.url}\r\n${headerText(req.rawHeaders)}\r\n`), body);
      const up = request(
        { host: hall.hostname, port: hall.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          void (async () => {
            const original = await readAll(answer);
            const status = answer.statusCode ?? 502;
            seen.push(Buffer.from(`${status}\r\n${headerText(answer.rawHeaders)}\r\n`), original);
            const changed = rewriter?.({ path: req.url ?? '', status, body: original }) ?? null;
            const out = changed ?? original;
            const headers = { ...answer.headers, 'content-length': String(out.length) };
            delete headers['transfer-encoding'];
            res.writeHead(status, headers);
            res.end(req.method === 'HEAD' ? undefined : out);
          })();
        },
      );
      up.on('error', () => res.destroy());
      up.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    recorded: () => Buffer.concat(seen),
    rewrite: (fn) => {
      rewriter = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
