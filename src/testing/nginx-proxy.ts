/**
 * nginx in front of N loopback upstreams, for tests and as the reference of the deployment's proxy
 * settings (docs/deployment.md prints the same config): its own prefix, pid, logs and temp paths in a
 * temp directory, a free loopback port, `daemon off` so the nginx master is our child process.
 *
 * The proxy settings are what the hall needs behind a proxy: long-polls (GET /v1/wait holds up to
 * 25 s) and event streams (text/event-stream) pass through unbuffered with read timeouts above the
 * hall's own bounds; an idempotent request whose node died (connection refused or cut before an
 * answer) is retried on the other node; a POST is not (nginx's default: a push is retried by the
 * kiosk with the same seq instead, which the hall answers exactly once).
 *
 * A missing nginx binary throws with what to do (Debian's `nginx` package, scripts/install.sh): the
 * two-node tests fail loudly rather than being skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from './free-port.js';

export const DEFAULT_NGINX_BIN = '/usr/sbin/nginx';

export type NginxProxy = {
  /** http://127.0.0.1:PORT/ */
  url: string;
  port: number;
  /** The temp prefix: nginx.conf, logs/error.log, logs/access.log. */
  dir: string;
  /** The config as written (the current upstreams). */
  config(): string;
  /** Rewrites the upstream list and reloads (SIGHUP); resolves once nginx reports reconfiguring. */
  reload(upstreamPorts: readonly number[]): Promise<void>;
  /** Graceful stop (SIGQUIT), SIGKILL after a bound; removes the directory. Safe to call twice. */
  stop(): Promise<void>;
};

export type NginxProxyOptions = {
  upstreamPorts: readonly number[];
  /** nginx binary (default NGINX_BIN or DEFAULT_NGINX_BIN). */
  bin?: string;
  /** proxy_read_timeout in seconds: above the longest long-poll (default 60). */
  readTimeoutS?: number;
  /** Bound on start, reload and stop (default 10 s). */
  timeoutMs?: number;
  /**
   * worker_connections of its one worker (default 512): each kiosk's keep-alive connection and each
   * upstream connection count, so a benchmark of a thousand kiosks needs more.
   */
  workerConnections?: number;
};

/** The http{} part that the deployment uses too (docs/deployment.md), for one listen address. */
export function nginxHallConfig(o: {
  upstreamPorts: readonly number[];
  listen: string;
  readTimeoutS: number;
}): string {
  const servers = o.upstreamPorts
    // max_fails/fail_timeout: a node that refused once is left alone for 5 s, then tried again.
    .map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`)
    .join('\n');
  return `  upstream zizhu_hall {
${servers}
    keepalive 64;
  }
  server {
    listen ${o.listen};
    client_max_body_size 64m;
    # A kiosk's batch (entries and its scans) stays in memory, not in a temporary file per request.
    client_body_buffer_size 1m;
    location / {
      proxy_pass http://zizhu_hall;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      # Long-polls and event streams: nothing held back, nothing cut before the hall answers.
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout ${o.readTimeoutS}s;
      proxy_send_timeout ${o.readTimeoutS}s;
      proxy_connect_timeout 2s;
      # A dead node: idempotent requests go to the next one (POST never: the kiosk resends it).
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 2;
      proxy_next_upstream_timeout 10s;
    }
  }
`;
}

function waitForPort(port: number, timeoutMs: number, exited: () => string | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const why = exited();
      if (why !== null) return reject(new Error(why));
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listening on ${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

const live = new Set<{ child: ChildProcess; dir: string }>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const n of live) {
      // SIGTERM, not SIGKILL: the master then takes its workers down with it.
      n.child.kill('SIGTERM');
      rmSync(n.dir, { recursive: true, force: true });
    }
  });
}

export async function startNginxProxy(opts: NginxProxyOptions): Promise<NginxProxy> {
  const bin = opts.bin ?? process.env.NGINX_BIN ?? DEFAULT_NGINX_BIN;
  if (!existsSync(bin))
    throw new Error(
      `nginx test proxy: ${bin} not found. The two-node tests need Debian’s nginx package: ` +
        'run scripts/install.sh, or set NGINX_BIN.',
    );
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const readTimeoutS = opts.readTimeoutS ?? 60;
  const dir = mkdtempSync(join(tmpdir(), 'zizhu-nginx-'));
  // As root nginx's workers run as an unprivileged user: they must reach the temp paths in here.
  chmodSync(dir, 0o755);
  for (const d of ['logs', 'temp']) mkdirSync(join(dir, d));
  const confPath = join(dir, 'nginx.conf');
  const errorLog = join(dir, 'logs', 'error.log');

  let port = 0;
  let upstreams = [...opts.upstreamPorts];
  const render = () => `daemon off;
master_process on;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${errorLog} notice;
events { worker_connections ${opts.workerConnections ?? 512}; }
http {
  access_log ${join(dir, 'logs', 'access.log')};
  client_body_temp_path ${join(dir, 'temp', 'body')};
  proxy_temp_path ${join(dir, 'temp', 'proxy')};
  fastcgi_temp_path ${join(dir, 'temp', 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'temp', 'uwsgi')};
  scgi_temp_path ${join(dir, 'temp', 'scgi')};
${nginxHallConfig({ upstreamPorts: upstreams, listen: `127.0.0.1:${port}`, readTimeoutS })}}
`;
  installExitHook();

  const launch = async (): Promise<ChildProcess> => {
    writeFileSync(confPath, render());
    const child = spawn(bin, ['-p', dir, '-c', confPath, '-e', errorLog], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let exit: string | null = null;
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('exit', (code, signal) => {
      exit = `nginx exited (${String(code ?? signal)}): ${stderr}${readLog()}`;
    });
    child.on('error', (e) => (exit = `nginx: ${e.message}`));
    const entry = { child, dir };
    live.add(entry);
    try {
      await waitForPort(port, timeoutMs, () => exit);
      return child;
    } catch (e) {
      child.kill('SIGKILL');
      live.delete(entry);
      throw e;
    }
  };
  const readLog = () => (existsSync(errorLog) ? `\n${readFileSync(errorLog, 'utf8').slice(-2000)}` : '');

  let child: ChildProcess | null = null;
  let lastError: unknown = null;
  // The port may be taken between the probe and nginx's bind: a few tries, then loudly.
  for (let attempt = 0; attempt < 3 && child === null; attempt++) {
    port = await freeLoopbackPort();
    try {
      child = await launch();
    } catch (e) {
      lastError = e;
    }
  }
  if (child === null) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`nginx test proxy did not start: ${(lastError as Error).message}`);
  }
  const running = child;
  const count = (what: string) =>
    existsSync(errorLog) ? readFileSync(errorLog, 'utf8').split(what).length - 1 : 0;
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    dir,
    config: () => readFileSync(confPath, 'utf8'),
    async reload(upstreamPorts) {
      upstreams = [...upstreamPorts];
      writeFileSync(confPath, render());
      // Done when the master re-read the config AND the old worker is gone: until then it still
      // answers the keep-alive connections it holds with the old upstreams.
      const reloads = count('reconfiguring');
      const exits = count('exited with code');
      running.kill('SIGHUP');
      const deadline = Date.now() + timeoutMs;
      while (count('reconfiguring') <= reloads || count('exited with code') <= exits) {
        if (Date.now() > deadline) throw new Error(`nginx did not reload within ${timeoutMs} ms${readLog()}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (running.exitCode === null && running.signalCode === null) {
        const gone = new Promise<void>((r) => running.once('exit', () => r()));
        running.kill('SIGQUIT');
        const timer = setTimeout(() => running.kill('SIGKILL'), timeoutMs);
        await gone;
        clearTimeout(timer);
      }
      for (const e of live) if (e.child === running) live.delete(e);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
