/**
 * Archived forms survive SIGKILL (docs/security.md, "Crash and storage faults"): the real kiosk
 * (`src/cli/start.ts`, the process `npm start` runs without Electron) in a child process, applications
 * submitted through its API, the process killed with SIGKILL at varied moments — while an archive
 * PDF is being written (its temp file is there), in the middle of a submit, just after a form was
 * renamed into place — and started again. After the last start every application the kiosk
 * acknowledged is still there and every kept application has exactly one archived form that opens
 * with the kiosk's own key and is a whole PDF; no temp file is left anywhere under the data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanner } from '../devices/index.js';
import type { AppRouter } from './rpc/router.js';
import { readArchivedForm } from './services/application-archive.js';
import { openDatabase } from './store/db.js';

const ITEM = '610000-RSJ-GG-05004-000'; // 社会保险个人权益记录查询打印: only 身份证 (sfz)
const SIM_TIMEOUT_MS = 30_000;
const READY = /^Kiosk ready: (http:\/\/127\.0\.0\.1:\d+\/)$/m;
const START_TIMEOUT_MS = 30_000;

type Api = ReturnType<typeof createTRPCClient<AppRouter>>;
type Kiosk = { child: ChildProcess; api: Api; exited: Promise<NodeJS.Signals | number | null> };

let dir: string;
let page: string;
/** Children still running, with their exits (a failed test kills them before the folder goes). */
const running = new Map<ChildProcess, Promise<unknown>>();

/** The child sees no display (no browser window) and none of the caller's KIOSK_* settings. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('KIOSK_') || k === 'DISPLAY' || k === 'WAYLAND_DISPLAY' || k === 'NODE_ENV') continue;
    env[k] = v;
  }
  return {
    ...env,
    KIOSK_DATA_DIR: dir,
    KIOSK_PORT: '0',
    KIOSK_BROWSER: 'none',
    KIOSK_IDCARD: 'sim:?timing=fast',
    // Only the devices a submission needs (the form's page comes from the document camera).
    KIOSK_SCANNER: 'none',
    KIOSK_PRINTER: 'none',
    KIOSK_TICKET_PRINTER: 'none',
    KIOSK_CODE_READER: 'none',
    KIOSK_LOG_LEVEL: 'warn',
  };
}

async function startKiosk(): Promise<Kiosk> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(signal ?? code);
    }),
  );
  running.set(child, exited);
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "Kiosk ready" in ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = READY.exec(stdout);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the kiosk exited (${String(code)}) before it was ready: ${stderr}`));
    });
  });
  const cookie = ((await fetch(url)).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const api = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${url}api`, headers: () => ({ cookie }) })],
  });
  // "Kiosk ready" and the status ('simulated', from the address) come before the simulator's pty is
  // open; its control answers PRECONDITION_FAILED until then. Lifting no card is harmless: wait for it.
  const deadline = Date.now() + SIM_TIMEOUT_MS;
  for (;;) {
    try {
      await api.sim.removeCard.mutate();
      break;
    } catch (e) {
      if (Date.now() > deadline)
        throw new Error(`the ID-card simulator did not open in ${SIM_TIMEOUT_MS} ms`, { cause: e });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { child, api, exited };
}

/** One application through the API: session, card placed after it starts, one page, submit. */
async function submitOne(api: Api, key: string): Promise<string> {
  const s = await api.session.start.mutate({ trigger: 'touch' });
  // A card placed before the reader saw the last one go is, to the kiosk, that card still lying
  // there (`lift-card`): lifted and placed again, as a person would, a bounded number of times.
  for (let attempt = 1; ; attempt++) {
    await api.sim.insertCard.mutate({ sample: 'resident' });
    const id = await api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 10_000 });
    if (id.ok) break;
    if (id.error.kind !== 'lift-card' || attempt >= 5)
      throw new Error(`identify: ${JSON.stringify(id.error)}`);
    await api.sim.removeCard.mutate();
    await new Promise((r) => setTimeout(r, 300));
  }
  const plan = await api.application.plan.query({ sessionId: s.id, target: { kind: 'item', code: ITEM } });
  if (!plan.ok) throw new Error(`plan: ${JSON.stringify(plan.error)}`);
  const cam = await api.session.camera.mutate({ sessionId: s.id, material: 'sfz', image: page });
  if (!cam.ok) throw new Error(`camera: ${JSON.stringify(cam.error)}`);
  const r = await api.application.submit.mutate({
    sessionId: s.id,
    target: { kind: 'item', code: ITEM },
    form: {
      contactPhone: '13800138000',
      insuranceType: plan.value.fields.find((f) => f.key === 'insuranceType')?.options?.[0]?.value ?? '',
      periodStart: '2020-01-01',
      periodEnd: '2025-12-31',
    },
    delivery: { method: 'pickup' },
    integrityAcknowledged: true,
    idempotencyKey: key,
    lang: 'zh',
  });
  if (!r.ok) throw new Error(`submit: ${JSON.stringify(r.error)}`);
  const receiptNo = r.value.applications[0]?.receiptNo;
  if (!receiptNo) throw new Error('no receipt');
  await api.sim.removeCard.mutate();
  await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
  return receiptNo;
}

const archiveDir = () => join(dir, 'archive');
const list = (d: string): string[] => (existsSync(d) ? readdirSync(d) : []);
const tempsUnder = (): string[] => [
  ...list(archiveDir()).filter((n) => n.includes('.tmp')),
  ...list(join(dir, 'blobs')).flatMap((s) => list(join(dir, 'blobs', s)).filter((n) => n.includes('.tmp'))),
];

/** Polls `check` every millisecond or so, up to `ms`; true when it held. */
async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 1));
  }
  return false;
}

/** When a round kills the kiosk. */
type Moment =
  | { kind: 'archive-temp' } // an archive PDF is being written (its temp file exists)
  | { kind: 'mid-submit'; delayMs: number } // a submit request is in flight
  | { kind: 'archive-renamed' }; // a new form was just renamed into place

const ROUNDS: readonly Moment[] = [
  { kind: 'archive-temp' },
  { kind: 'mid-submit', delayMs: 40 },
  { kind: 'archive-renamed' },
  { kind: 'archive-temp' },
];
/** At most this many submissions per round (the loop is bounded even if the moment never comes). */
const PER_ROUND = 3;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-archive-crash-'));
  const jpeg = await scanner.renderSamplePage({
    pageNumber: 1,
    resolution: 72,
    colorMode: 'color',
    content: 'document',
  });
  page = `data:image/jpeg;base64,${jpeg.toString('base64')}`;
});

afterAll(async () => {
  const exits = [...running.values()];
  for (const child of running.keys()) child.kill('SIGKILL');
  await Promise.all(exits);
  rmSync(dir, { recursive: true, force: true });
});

describe('archived forms under SIGKILL', () => {
  it('keeps every acknowledged application with exactly one whole, sealed archived form', async () => {
    const acknowledged: string[] = [];
    const hits: string[] = [];
    let n = 0;
    for (const [round, moment] of ROUNDS.entries()) {
      const kiosk = await startKiosk();
      const before = new Set(list(archiveDir()).filter((f) => f.endsWith('.pdf')));
      let acks = 0;
      let inFlight = false;
      let killed = false;
      // Submissions run on while the round waits for its moment; each acknowledged one is recorded.
      const submitting = (async () => {
        for (let i = 0; i < PER_ROUND && !killed; i++) {
          inFlight = true;
          try {
            acknowledged.push(await submitOne(kiosk.api, `crash-${round}-${n++}`));
            acks++;
          } catch (e) {
            if (!killed) throw e;
            return; // the kiosk died under this submission: it was never acknowledged
          } finally {
            inFlight = false;
          }
        }
      })();
      const newForm = () => list(archiveDir()).some((f) => f.endsWith('.pdf') && !before.has(f));
      const temp = () => list(archiveDir()).some((f) => f.includes('.tmp'));
      const waited = 20_000;
      switch (moment.kind) {
        case 'archive-temp':
          await until(temp, waited);
          break;
        case 'archive-renamed':
          await until(newForm, waited);
          break;
        case 'mid-submit':
          await until(() => acks >= 1, waited);
          await until(() => inFlight, waited);
          await new Promise((r) => setTimeout(r, moment.delayMs));
          break;
        default: {
          const never: never = moment;
          throw new Error(`unknown moment ${JSON.stringify(never)}`);
        }
      }
      killed = true;
      kiosk.child.kill('SIGKILL');
      expect(await kiosk.exited).toBe('SIGKILL');
      await submitting;
      if (tempsUnder().length > 0) hits.push(`${round}:${moment.kind}`);
    }

    // The last start: the repairs run, the archive queue re-creates what is missing.
    const kiosk = await startKiosk();
    const db = () => {
      const o = openDatabase(join(dir, 'kiosk.db'), { quickCheck: false });
      if (!o.ok) throw new Error(o.message);
      return o.db;
    };
    const kept = (): string[] => {
      const d = db();
      try {
        return d
          .prepare('SELECT receipt_no FROM applications WHERE purged_at IS NULL')
          .pluck()
          .all() as string[];
      } finally {
        d.close();
      }
    };
    const receipts = kept();
    const complete = await until(
      () => receipts.every((r) => existsSync(join(archiveDir(), `${r}.pdf`))) && tempsUnder().length === 0,
      30_000,
    );
    kiosk.child.kill('SIGTERM');
    expect(await kiosk.exited).toBe(0);
    expect(complete).toBe(true);

    // Nothing acknowledged was lost; every kept application has its one archived form, and no more.
    expect(acknowledged.length).toBeGreaterThanOrEqual(ROUNDS.length);
    expect(new Set(acknowledged).size).toBe(acknowledged.length);
    expect(receipts).toEqual(expect.arrayContaining(acknowledged));
    expect(list(archiveDir()).sort()).toEqual(receipts.map((r) => `${r}.pdf`).sort());
    expect(tempsUnder()).toEqual([]);
    const d = db();
    try {
      const rows = d
        .prepare('SELECT receipt_no, archive_file FROM applications WHERE purged_at IS NULL')
        .all() as { receipt_no: string; archive_file: string | null }[];
      for (const r of rows) {
        expect(r.archive_file).toBe(join(archiveDir(), `${r.receipt_no}.pdf`));
        const pdf = await readArchivedForm(d, join(archiveDir(), `${r.receipt_no}.pdf`));
        expect(pdf, r.receipt_no).not.toBeNull();
        expect(pdf?.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(pdf?.subarray(-8).toString('latin1')).toContain('%%EOF');
      }
    } finally {
      d.close();
    }
    console.info(
      `archive-crash: ${ROUNDS.length} SIGKILLs, ${acknowledged.length} acknowledged, ${receipts.length} kept; temp files left by kills in rounds ${hits.join(', ') || 'none'}`,
    );
  }, 150_000);
});
