/**
 * Suite `fleet-nodes` (issue #11: "1,000 kiosks → two nodes + PostgreSQL: p99 ≤ 500 ms, 0 errors"):
 * the `fleet` benchmark (bench/fleet.bench.ts: runFleet, the same workers, cycles and checks) against
 * the deployment of docs/deployment.md instead of one SQLite hall — two `src/cli/hall-main.ts` nodes
 * sharing one data directory (blob store, at-rest key) and one throwaway PostgreSQL cluster
 * (HALL_DATABASE_URL), behind nginx. The cluster keeps fsync on (durable: true): this measures the
 * hall as it runs, with every commit on disk.
 *
 * FLEET_NODES_KIOSKS kiosks (default 1,000) over FLEET_BENCH_PROCS worker processes, for
 * FLEET_BENCH_DURATION_S seconds, in two passes (docs/benchmarks.md, "Two nodes and PostgreSQL"):
 *
 * - the goal's pass: think time 0–2 × FLEET_NODES_THINK_MS (default 10,000 ms: every kiosk sends a
 *   new application every ≈ 10 s, ≈ 90 applications/s from 1,000 kiosks — a resident's journey at a
 *   kiosk takes minutes, so this is tens of times a real hall's busiest hour);
 * - the stress pass: the `fleet` suite's think time (FLEET_BENCH_THINK_MS, 0–2 s), which asks for
 *   ≈ 900 applications/s from 1,000 kiosks — far beyond what this one machine, running the kiosks'
 *   processes, nginx, both nodes and PostgreSQL at once, can do: it shows the capacity
 *   (applications/s at saturation) and that overload costs latency, never an error or a record.
 *   FLEET_NODES_STRESS=0 leaves it out.
 *
 * The nodes reach PostgreSQL over its Unix socket (the deployment's form when the server runs on the
 * same machine; docs/deployment.md 3a). The hall's CPU is reported per node and for PostgreSQL (the
 * postmaster with every backend and background process).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNginxProxy, type NginxProxy } from '../src/testing/nginx-proxy.js';
import { startPostgresCluster, type PostgresCluster } from '../src/testing/postgres-cluster.js';
import type { HallStore } from '../src/hall/store/index.js';
import { DEFAULT_HALL_LIMITS } from '../src/hall/limits.js';
import type { BenchResult, BenchSuite } from './harness.js';
import {
  FLEET_BENCH_DURATION_S,
  FLEET_BENCH_PROCS,
  FLEET_BENCH_THINK_MS,
  fleetResults,
  runFleet,
  type FleetHall,
  type FleetHallStarter,
} from './fleet.bench.js';
import { cpuSeconds, openBenchStore, startHall, treeCpuSeconds, type Hall } from './sync-fixture.js';

export const FLEET_NODES_KIOSKS = Number(process.env.FLEET_NODES_KIOSKS ?? 1000);
/** Mean think time of the goal's pass (each kiosk waits 0–2× this between applications). */
const FLEET_NODES_THINK_MS = Number(process.env.FLEET_NODES_THINK_MS ?? 10_000);
const STRESS = process.env.FLEET_NODES_STRESS !== '0';
/** Hall nodes behind nginx. */
const NODES = 2;
/**
 * Each node's HALL_MAX_CONNECTIONS (FLEET_NODES_MAX_CONNECTIONS; default the hall's own, 4096 — with
 * 256, the default until 2026-12-07, 1,000 long-polling kiosks got thousands of 502s).
 */
const HALL_MAX_CONNECTIONS = Number(
  process.env.FLEET_NODES_MAX_CONNECTIONS ?? DEFAULT_HALL_LIMITS.maxConnections,
);

/** The postmaster's pid (first line of postmaster.pid in the cluster's data directory). */
const postmasterPid = (cluster: PostgresCluster): number =>
  Number(readFileSync(join(cluster.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);

/**
 * nginx's error log by kind ("upstream timed out … while connecting to upstream", "no live
 * upstreams …"): why the kiosks got 502s or 504s.
 */
function nginxErrors(dir: string): string {
  let log: string;
  try {
    log = readFileSync(join(dir, 'logs', 'error.log'), 'utf8');
  } catch {
    return 'nginx error log: none';
  }
  const kinds = new Map<string, number>();
  for (const line of log.split('\n')) {
    // "2026/12/07 00:48:01 [error] 123#123: *456 upstream timed out (110: …) while …, client: …"
    const m = /\[(error|crit|alert|emerg|warn)\] \d+#\d+: (?:\*\d+ )?([^,]*)/.exec(line);
    if (!m) continue;
    // One kind per message, whatever file it names.
    const kind = `${m[1]}: ${m[2]!.replace(/\/\S+/g, '…')}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return kinds.size === 0
    ? 'nginx error log: no errors'
    : `nginx error log: ${[...kinds].map(([k, n]) => `${n} × ${k}`).join('; ')}`;
}

/** Two hall nodes on one durable PostgreSQL cluster behind nginx; the data directory is dir. */
export const nodesHall: FleetHallStarter = async (dir): Promise<FleetHall> => {
  let cluster: PostgresCluster | undefined;
  const nodes: Hall[] = [];
  let proxy: NginxProxy | undefined;
  let store: HallStore | undefined;
  const stop = async () => {
    await store?.close();
    for (const n of nodes) await n.stop();
    await proxy?.stop();
    await cluster?.destroy();
  };
  try {
    cluster = await startPostgresCluster({ durable: true, maxConnections: 200 });
    const env = {
      // The Unix socket in the cluster's directory (pg's `host` parameter names the directory).
      HALL_DATABASE_URL: `postgres://postgres@localhost/postgres?host=${encodeURIComponent(cluster.dir)}&port=${new URL(cluster.url).port}`,
      HALL_BLOB_GC_HOURS: '0',
      // Behind nginx every request in flight is a connection to a node: with the default 256 a node
      // resets the ones above it, nginx marks it down (max_fails=1) and answers 502 "no live
      // upstreams" (measured 2026-12-07, docs/benchmarks.md).
      HALL_MAX_CONNECTIONS: String(HALL_MAX_CONNECTIONS),
    };
    // One after the other: the first creates the key file in the shared directory, the second finds it.
    for (let i = 0; i < NODES; i++) nodes.push(await startHall(dir, env));
    proxy = await startNginxProxy({
      upstreamPorts: nodes.map((n) => Number(new URL(n.url).port)),
      // Each kiosk holds a keep-alive connection to nginx, and nginx its own to the nodes.
      workerConnections: 4096,
    });
    store = await openBenchStore(dir, cluster.url);
    const pm = postmasterPid(cluster);
    return {
      url: proxy.url,
      dataDir: dir,
      store,
      cpu: [
        ...nodes.map((n, i) => ({
          label: `node ${String.fromCharCode(65 + i)}`,
          seconds: () => cpuSeconds(n.pid),
        })),
        { label: 'postgres', seconds: () => treeCpuSeconds(pm) },
      ],
      diagnostics: () => [nginxErrors(proxy!.dir)],
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
};

export const fleetNodesSuite: BenchSuite = {
  name: 'fleet-nodes',
  async run(): Promise<BenchResult[]> {
    const passes = [
      { label: '', thinkMs: FLEET_NODES_THINK_MS, goal: 'issue #11 goal ≤ 500 ms on two nodes + PostgreSQL' },
      ...(STRESS
        ? [{ label: ', stress', thinkMs: FLEET_BENCH_THINK_MS, goal: 'overload: capacity, not the goal' }]
        : []),
    ];
    const out: BenchResult[] = [];
    for (const pass of passes) {
      const root = mkdtempSync(join(tmpdir(), 'zizhu-bench-fleet-nodes-'));
      try {
        const r = await runFleet({
          kiosks: FLEET_NODES_KIOSKS,
          procs: FLEET_BENCH_PROCS,
          durationS: FLEET_BENCH_DURATION_S,
          thinkMs: pass.thinkMs,
          root,
          hall: nodesHall,
        });
        out.push(
          ...fleetResults(
            r,
            `fleet-nodes (${r.kiosks} kiosks, ${r.procs} procs${pass.label})`,
            `${r.kiosks} kiosks over ${r.procs} processes → nginx → ${NODES} hall nodes (HALL_MAX_CONNECTIONS ${HALL_MAX_CONNECTIONS}) → one PostgreSQL (fsync on, Unix socket), ${r.durationS} s, think time 0–${2 * r.thinkMs} ms; each cycle 1 application (50 KB scan) + 1 ticket + 1 evaluation`,
            pass.goal,
          ),
        );
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
    return out;
  },
};
