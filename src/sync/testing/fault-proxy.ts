/**
 * A fault-injecting TCP proxy for the conformance tests (docs/sync-protocol.md, 10 "Proof"): it sits between
 * the kiosk's sync client and the hall on loopback and, per connection, passes traffic, drops the
 * connection, resets it in the middle of the request or of the response, delays it, or duplicates
 * the request bytes to a second upstream connection (a network that delivers a request twice).
 * The plan is a pure function of the connection number, so a seeded run is reproducible.
 */
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';

export type Fault =
  | { kind: 'pass' }
  | { kind: 'drop' }
  | { kind: 'reset-request'; afterBytes: number }
  | { kind: 'reset-response'; afterBytes: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'duplicate' }
  /** Forwards everything, but once the request bytes contain `match`, answers never come back. */
  | { kind: 'stall-response-after'; match: string };

export type FaultProxy = {
  url: string;
  port: number;
  /** Where traffic goes (change it to follow a restarted hall). */
  setUpstream(port: number): void;
  setPlan(plan: (connection: number) => Fault): void;
  stats(): Record<Fault['kind'], number>;
  close(): Promise<void>;
};

/** A small deterministic PRNG (mulberry32) for seeded fault plans. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startFaultProxy(opts: {
  upstreamPort: number;
  plan?: (connection: number) => Fault;
}): Promise<FaultProxy> {
  let upstreamPort = opts.upstreamPort;
  let plan = opts.plan ?? (() => ({ kind: 'pass' }));
  let n = 0;
  const counts: Record<Fault['kind'], number> = {
    pass: 0,
    drop: 0,
    'reset-request': 0,
    'reset-response': 0,
    delay: 0,
    duplicate: 0,
    'stall-response-after': 0,
  };
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };

  const server: Server = createServer((client) => {
    track(client);
    const fault = plan(n++);
    counts[fault.kind]++;
    if (fault.kind === 'drop') {
      client.resetAndDestroy();
      return;
    }
    const upstream = new Socket();
    track(upstream);
    const dup = fault.kind === 'duplicate' ? new Socket() : null;
    if (dup) {
      track(dup);
      dup.connect(upstreamPort, '127.0.0.1');
      dup.on('data', () => undefined); // the duplicate's answers go nowhere
    }
    const kill = () => {
      client.resetAndDestroy();
      upstream.destroy();
      dup?.destroy();
    };
    let sent = 0;
    let received = 0;
    const pending: Buffer[] = [];
    let connected = false;
    let stalled = false;
    const forwardRequest = (chunk: Buffer) => {
      if (fault.kind === 'stall-response-after' && chunk.toString('latin1').includes(fault.match))
        stalled = true;
      if (fault.kind === 'reset-request' && sent + chunk.length > fault.afterBytes) {
        upstream.write(chunk.subarray(0, Math.max(0, fault.afterBytes - sent)));
        kill();
        return;
      }
      sent += chunk.length;
      upstream.write(chunk);
      dup?.write(chunk);
    };
    client.on('data', (chunk: Buffer) => {
      if (!connected) pending.push(chunk);
      else forwardRequest(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (stalled) return;
      if (fault.kind === 'reset-response' && received + chunk.length > fault.afterBytes) {
        client.write(chunk.subarray(0, Math.max(0, fault.afterBytes - received)));
        kill();
        return;
      }
      received += chunk.length;
      client.write(chunk);
    });
    client.on('close', () => {
      upstream.destroy();
      dup?.end();
    });
    upstream.on('close', () => client.destroy());
    const go = () => {
      upstream.connect(upstreamPort, '127.0.0.1', () => {
        connected = true;
        for (const c of pending.splice(0)) forwardRequest(c);
      });
    };
    if (fault.kind === 'delay') {
      const t = setTimeout(go, fault.ms);
      client.on('close', () => clearTimeout(t));
    } else go();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    setUpstream: (p) => {
      upstreamPort = p;
    },
    setPlan: (p) => {
      plan = p;
    },
    stats: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
