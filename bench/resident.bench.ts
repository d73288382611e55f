/**
 * The resident journey's figures (docs/benchmarks.md, "The resident's journey"), all through the real backend
 * API with the simulators:
 * - card placed → identity: from the simulator putting a card on the reader (realistic reader
 *   timing, GA 467 over a pty) to `session.identify` answering with the masked identity;
 * - submit → durable with 4 scanned pages: the `application.submit` call (validation, file checks,
 *   one IMMEDIATE transaction with rows + attachments + outbox under synchronous=FULL);
 * - soak: 1,000 complete resident sessions (start, identify, plan, capture a page, submit, print the
 *   receipt, evaluate, end) and the backend's memory growth after a warm-up.
 */
import { accessSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { expectOk } from '../src/backend/expect-ok.js';
import { idcard, scanner } from '../src/devices/index.js';
import {
  createLogger,
  loadKioskConfig,
  startKioskBackend,
  type AppRouter,
  type KioskBackend,
} from '../src/backend/index.js';
import type { ApplyPlan } from '../src/shared/index.js';
import { median, timeMs, type BenchResult, type BenchSuite } from './harness.js';

const UNEMPLOYMENT = '610000-RSJ-JF-05005-000';
const IMMEDIATE = '610000-RSJ-GG-05004-000';
export const SOAK_SESSIONS = Number(process.env.SOAK_SESSIONS ?? 1000);
const WARM_UP = 100;
/** Submits timed by the submit benchmark (after one untimed warm-up submit). */
const SUBMITS = Number(process.env.SUBMIT_BENCH_RUNS ?? 15);

/**
 * With BENCH_SUBMIT_MARKERS=1, each timed submit is bracketed by an access(2) of a path that does
 * not exist, so a trace (`strace -f -y -e trace=fsync,fdatasync,access`) shows which fsyncs happened
 * during which submit; bench/fsyncs-per-submit.ts counts them.
 */
function mark(what: 'start' | 'end', i: number): void {
  if (!process.env.BENCH_SUBMIT_MARKERS) return;
  try {
    accessSync(`/zizhu-bench-marker/submit-${what}-${i}`);
  } catch {
    // The path never exists: the failed call is the marker.
  }
}

type Api = ReturnType<typeof createTRPCClient<AppRouter>>;

async function start(env: Record<string, string>): Promise<{ kiosk: KioskBackend; api: Api; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'zizhu-bench-resident-'));
  const cfg = loadKioskConfig({ argv: [], env: { KIOSK_DATA_DIR: dir, KIOSK_PORT: '0', ...env } });
  if (!cfg.ok) throw new Error(cfg.error);
  const kiosk = await startKioskBackend({ config: cfg.config, logger: createLogger('silent') });
  const res = await fetch(kiosk.url);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const api = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${kiosk.url}api`, headers: () => ({ cookie }) })],
  });
  for (let i = 0; i < 100 && !(kiosk.devices.idcardReader() && kiosk.devices.receiptPrinter()); i++)
    await new Promise((r) => setTimeout(r, 100));
  // A card preloaded on the simulated reader (`card=` in the address) must have been read first.
  if ((env.KIOSK_IDCARD ?? '').includes('card=')) {
    for (let i = 0; i < 300 && !kiosk.devices.currentCard(); i++)
      await new Promise((r) => setTimeout(r, 100));
    if (!kiosk.devices.currentCard()) throw new Error('the simulated reader never read its preloaded card');
  }
  await new Promise((r) => setTimeout(r, 500));
  return { kiosk, api, dir };
}

async function cardLeft(kiosk: KioskBackend): Promise<void> {
  for (let i = 0; i < 100 && kiosk.devices.currentCard(); i++) await new Promise((r) => setTimeout(r, 20));
}

function formFor(plan: ApplyPlan): Record<string, string> {
  const form: Record<string, string> = {};
  for (const f of plan.fields) {
    if (f.prefill === 'name' || f.prefill === 'idNumber') continue;
    form[f.key] =
      f.type === 'select'
        ? (f.options?.[0]?.value ?? '')
        : f.type === 'phone'
          ? '13800138000'
          : f.type === 'date'
            ? '2026-10-01'
            : f.type === 'number'
              ? '1'
              : f.type === 'address'
                ? '陕西省西安市雁塔区示例路1号'
                : '示例';
  }
  return form;
}

async function cardToIdentity(): Promise<BenchResult[]> {
  const { kiosk, api, dir } = await start({});
  try {
    const sim = kiosk.devices.simulators().idcard;
    if (!sim) throw new Error('no ID-card simulator');
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const s = await api.session.start.mutate({ trigger: 'card' });
      const waiting = api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 10_000 });
      await new Promise((r) => setTimeout(r, 150));
      const ms = await timeMs(async () => {
        const r = sim.insertCard(idcard.SAMPLE_CARDS.resident);
        if (!r.ok) throw new Error(r.error);
        const id = await waiting;
        if (!id.ok) throw new Error(JSON.stringify(id.error));
      });
      if (i > 0) times.push(ms);
      sim.removeCard();
      await cardLeft(kiosk);
      await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
    }
    return [
      {
        name: 'card placed → identity (API)',
        value: median(times),
        unit: 'ms',
        note: `median of ${times.length}; simulator with realistic reader timing (≈370 ms processing), incl. the driver's card polling; min ${Math.round(Math.min(...times))}, max ${Math.round(Math.max(...times))}`,
      },
    ];
  } finally {
    await kiosk.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function submitDurable(): Promise<BenchResult[]> {
  const { kiosk, api, dir } = await start({ KIOSK_IDCARD: 'sim:?timing=fast&card=resident' });
  try {
    const pages = await Promise.all(
      [1, 2, 3, 4].map(
        async (n) =>
          `data:image/jpeg;base64,${(await scanner.renderSamplePage({ pageNumber: n, resolution: 200, colorMode: 'color', content: 'document', label: `bench ${n}` })).toString('base64')}`,
      ),
    );
    const times: number[] = [];
    for (let i = 0; i <= SUBMITS; i++) {
      const s = await api.session.start.mutate({ trigger: 'touch' });
      const id = await api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 10_000 });
      if (!id.ok) throw new Error(JSON.stringify(id.error));
      const plan = expectOk(
        await api.application.plan.query({
          sessionId: s.id,
          target: { kind: 'item', code: UNEMPLOYMENT },
        }),
      );
      const required = plan.materials.filter((m) => m.required).map((m) => m.code);
      // Four pages across the required materials (sfz, jczm, sbk: 2 + 1 + 1).
      for (let p = 0; p < 4; p++) {
        const r = await api.session.camera.mutate({
          sessionId: s.id,
          material: required[p % required.length]!,
          image: pages[p]!,
        });
        if (!r.ok) throw new Error(JSON.stringify(r.error));
      }
      const form = formFor(plan);
      mark('start', i);
      const ms = await timeMs(async () => {
        const r = await api.application.submit.mutate({
          sessionId: s.id,
          target: { kind: 'item', code: UNEMPLOYMENT },
          form,
          delivery: { method: 'pickup' },
          integrityAcknowledged: true,
          idempotencyKey: `bench-submit-${i}-${Date.now()}`,
          lang: 'zh',
        });
        if (!r.ok) throw new Error(JSON.stringify(r.error));
      });
      mark('end', i);
      if (i > 0) times.push(ms);
      await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
    }
    return [
      {
        name: 'submit → durable, 4 scanned pages (API)',
        value: median(times),
        unit: 'ms',
        note: `median of ${times.length} (min ${Math.round(Math.min(...times) * 10) / 10}, max ${Math.round(Math.max(...times) * 10) / 10}); rows + 4 attachments + outbox + audit in one IMMEDIATE transaction, synchronous=FULL, WAL; pages already fsynced at capture`,
      },
    ];
  } finally {
    await kiosk.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function mib(n: number): number {
  return Math.round((n / 1024 / 1024) * 10) / 10;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * One complete resident session through the API: the card is placed, read, used and taken away.
 * A read that fails (the reader reports a card error once per placement) is retried the way a
 * resident does it — lift the card, place it again — and counted.
 */
async function oneSession(
  api: Api,
  kiosk: KioskBackend,
  image: string,
  i: number,
  stats: { replaced: number },
): Promise<void> {
  const sim = kiosk.devices.simulators().idcard;
  if (!sim) throw new Error('no ID-card simulator');
  const s = await api.session.start.mutate({ trigger: 'touch' });
  let identified = false;
  for (let attempt = 0; attempt < 3 && !identified; attempt++) {
    if (attempt > 0) {
      stats.replaced++;
      sim.removeCard();
      await cardLeft(kiosk);
    }
    const placed = sim.insertCard(idcard.SAMPLE_CARDS.resident);
    if (!placed.ok) throw new Error(placed.error);
    const id = await api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 5_000 });
    identified = id.ok;
  }
  if (!identified) throw new Error('the card could not be read in three placements');
  const plan = expectOk(
    await api.application.plan.query({
      sessionId: s.id,
      target: { kind: 'item', code: IMMEDIATE },
    }),
  );
  for (const m of plan.materials.filter((x) => x.required)) {
    const r = await api.session.camera.mutate({ sessionId: s.id, material: m.code, image });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
  }
  const sub = await api.application.submit.mutate({
    sessionId: s.id,
    target: { kind: 'item', code: IMMEDIATE },
    form: formFor(plan),
    delivery: { method: 'pickup' },
    integrityAcknowledged: true,
    idempotencyKey: `soak-${i}-${s.id}`,
    lang: 'zh',
  });
  if (!sub.ok) throw new Error(JSON.stringify(sub.error));
  await api.application.print.mutate({ submissionId: sub.value.submissionId, sessionId: s.id, lang: 'zh' });
  const ev = await api.evaluation.submit.mutate({
    sessionId: s.id,
    target: { kind: 'application', id: sub.value.applications[0]!.id },
    level: 'satisfied',
    contentItems: [],
    idempotencyKey: `soak-ev-${i}-${s.id}`,
  });
  if (!ev.ok) throw new Error(JSON.stringify(ev.error));
  await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
  sim.removeCard();
  await cardLeft(kiosk);
}

async function soak(): Promise<BenchResult[]> {
  const { kiosk, api, dir } = await start({ KIOSK_IDCARD: 'sim:?timing=fast' });
  const stats = { replaced: 0 };
  try {
    const page = await scanner.renderSamplePage({
      pageNumber: 1,
      resolution: 72,
      colorMode: 'color',
      content: 'document',
      label: 'soak',
    });
    const image = `data:image/jpeg;base64,${page.toString('base64')}`;
    const warm = Math.min(WARM_UP, Math.floor(SOAK_SESSIONS / 5));
    for (let i = 0; i < warm; i++) await oneSession(api, kiosk, image, i, stats);
    gc();
    const before = process.memoryUsage();
    const t0 = Date.now();
    for (let i = warm; i < SOAK_SESSIONS; i++) {
      await oneSession(api, kiosk, image, i, stats);
      if (process.env.SOAK_TRACE && i % 25 === 0) {
        const m = process.memoryUsage();
        const threads = /Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
        process.stderr.write(
          `${i}: rss ${mib(m.rss)} heap ${mib(m.heapUsed)} external ${mib(m.external)} arrayBuffers ${mib(m.arrayBuffers)} threads ${threads}\n`,
        );
      }
    }
    const seconds = (Date.now() - t0) / 1000;
    gc();
    const after = process.memoryUsage();
    const apps = kiosk.db.prepare('SELECT count(*) FROM applications').pluck().get() as number;
    if (apps !== SOAK_SESSIONS)
      throw new Error(`soak stored ${apps} applications for ${SOAK_SESSIONS} sessions`);
    const n = SOAK_SESSIONS - warm;
    return [
      {
        name: `soak: ${SOAK_SESSIONS} resident sessions, heap growth after warm-up`,
        value: mib(after.heapUsed - before.heapUsed),
        unit: 'MiB',
        note: `heapUsed ${mib(before.heapUsed)} → ${mib(after.heapUsed)} MiB over ${n} sessions after ${warm} warm-up (gc ${typeof (globalThis as { gc?: unknown }).gc === 'function' ? 'forced' : 'not exposed'}); all ${apps} applications stored`,
      },
      {
        name: 'soak: RSS growth after warm-up',
        value: mib(after.rss - before.rss),
        unit: 'MiB',
        note: `rss ${mib(before.rss)} → ${mib(after.rss)} MiB`,
      },
      {
        name: 'soak: complete session through the API',
        value: (seconds * 1000) / n,
        unit: 'ms',
        note: `place card, start, identify, plan, capture 1 page, submit, print receipt, evaluate, end, take card; ${stats.replaced} card re-placements after a failed read`,
      },
    ];
  } finally {
    await kiosk.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const residentSuite: BenchSuite = {
  name: 'resident',
  async run(): Promise<BenchResult[]> {
    return [...(await cardToIdentity()), ...(await submitDurable())];
  },
};

/** Separate from `resident`: it takes minutes (`npm run bench -- soak`). */
export const soakSuite: BenchSuite = { name: 'soak', run: soak };
