/**
 * Document capture: the page pipeline (normalise → blank check → content-addressed store, fsync
 * included) for an A4 300-dpi page, as PNG (what SANE hands over) and as JPEG (eSCL, the document
 * camera); the real SANE test backend's page time through the driver; the eSCL simulator round
 * trip; and the archive PDF with its CJK header. Medians of RUNS runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import sharp from 'sharp';
import {
  assembleArchivePdf,
  checkBlank,
  createBlobStore,
  createEsclScanner,
  createPagePipeline,
  createSaneScanner,
  decodePage,
  encodeJpeg,
  renderSamplePage,
  startEsclSimulator,
  type ArchivePage,
} from '../src/devices/scanner/index.js';
import { median, timeMs, type BenchResult, type BenchSuite } from './harness.js';

const RUNS = 7;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - t0) / 1e6];
}
const logger = pino({ level: 'silent' });

/** RUNS distinct A4 300-dpi pages (one pixel row differs), so every store is a real write. */
async function distinctPages(format: 'png' | 'jpeg'): Promise<Buffer[]> {
  const base = await renderSamplePage({
    pageNumber: 8,
    resolution: 300,
    colorMode: 'color',
    content: 'document',
  });
  const { data, info } = await sharp(base).raw().toBuffer({ resolveWithObject: true });
  const out: Buffer[] = [];
  for (let i = 0; i < RUNS; i++) {
    const copy = Buffer.from(data);
    copy.fill(i * 30, 0, info.width * info.channels);
    const img = sharp(copy, { raw: { width: info.width, height: info.height, channels: info.channels } });
    out.push(await (format === 'png' ? img.png() : img.jpeg({ quality: 90 })).toBuffer());
  }
  return out;
}

async function pipelineRuns(
  format: 'png' | 'jpeg',
): Promise<{ total: number[]; parts: Record<string, number[]>; size: number }> {
  const inputs = await distinctPages(format);
  const dir = mkdtempSync(join(tmpdir(), 'zizhu-bench-scan-'));
  const total: number[] = [];
  const parts: Record<string, number[]> = { decode: [], blank: [], encode: [], store: [] };
  let size = 0;
  try {
    const pipeline = createPagePipeline({ store: createBlobStore({ root: join(dir, 'a') }), logger });
    for (const input of inputs) {
      total.push(
        await timeMs(async () => {
          const r = await pipeline.processPage(input, { pagesSoFar: 0 });
          if (!r.ok || r.value.kind !== 'stored') throw new Error('bench page was not stored');
          size = r.value.page.size;
        }),
      );
    }
    // The same steps one by one, for the breakdown.
    const store = createBlobStore({ root: join(dir, 'b') });
    for (const input of inputs) {
      const [d, decodeMs] = await timed(() => decodePage(input));
      if (!d.ok) throw new Error(d.error.message);
      parts.decode!.push(decodeMs);
      parts.blank!.push((await timed(() => Promise.resolve(checkBlank(d.value))))[1]);
      const [jpeg, encodeMs] = await timed(() => encodeJpeg(d.value, 85));
      parts.encode!.push(encodeMs);
      parts.store!.push((await timed(() => store.put(jpeg.data)))[1]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { total, parts, size };
}

async function saneRuns(): Promise<{ flatbed: number[]; feederPerPage: number }> {
  const scratch = mkdtempSync(join(tmpdir(), 'zizhu-bench-sane-'));
  try {
    // The test backend's largest area, 200 × 200 mm (two thirds of A4), colour, 300 dpi.
    const s = createSaneScanner({
      device: 'test',
      logger,
      tmpDir: scratch,
      extraArgs: ['--test-picture=Color pattern', '-x', '200', '-y', '200'],
    });
    await s.options();
    const flatbed: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      flatbed.push(
        await timeMs(async () => {
          const r = await s.scan({ source: 'flatbed', colorMode: 'color', resolution: 300, maxPages: 1 });
          if (!r.ok) throw new Error(r.error.message);
        }),
      );
    }
    let pages = 0;
    const feeder = await timeMs(async () => {
      const r = await s.scan({ source: 'feeder', colorMode: 'color', resolution: 300, maxPages: 10 });
      if (!r.ok) throw new Error(r.error.message);
      pages = r.pages.length;
    });
    return { flatbed, feederPerPage: feeder / pages };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function esclRuns(): Promise<number[]> {
  const sim = await startEsclSimulator({ initialFeederPages: 0 });
  const fixed = await renderSamplePage({
    pageNumber: 2,
    resolution: 300,
    colorMode: 'color',
    content: 'document',
  });
  sim.setPlatenPage(fixed);
  const c = createEsclScanner({ url: sim.url, logger });
  try {
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(
        await timeMs(async () => {
          const r = await c.scan({ source: 'flatbed', colorMode: 'color', resolution: 300, maxPages: 1 });
          if (!r.ok) throw new Error(r.error.message);
        }),
      );
    }
    return runs;
  } finally {
    await c.close();
    await sim.close();
  }
}

async function archiveRuns(): Promise<{ runs: number[]; bytes: number }> {
  const pages: ArchivePage[] = [];
  for (let i = 1; i <= 10; i++) {
    const jpeg = await renderSamplePage({
      pageNumber: i,
      resolution: 150,
      colorMode: 'grayscale',
      content: 'document',
    });
    pages.push({ data: jpeg, width: 1240, height: 1754 });
  }
  const runs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 3; i++) {
    runs.push(
      await timeMs(async () => {
        const r = await assembleArchivePdf(pages, { header: '申请材料 · 受理号 R20260115-0042' });
        if (!r.ok) throw new Error(r.error.message);
        bytes = r.value.length;
      }),
    );
  }
  return { runs, bytes };
}

export const scannerSuite: BenchSuite = {
  name: 'scanner',
  async run(): Promise<BenchResult[]> {
    const png = await pipelineRuns('png');
    const jpeg = await pipelineRuns('jpeg');
    const sane = await saneRuns();
    const escl = await esclRuns();
    const archive = await archiveRuns();
    const m = (xs: number[]) => median(xs);
    return [
      {
        name: 'scan pipeline, A4 300 dpi PNG page',
        value: m(png.total),
        unit: 'ms',
        note: `normalise + blank check + store (fsync), median of ${RUNS}; JPEG out ${Math.round(png.size / 1024)} KiB`,
      },
      {
        name: 'scan pipeline, A4 300 dpi JPEG page',
        value: m(jpeg.total),
        unit: 'ms',
        note: `same, camera/eSCL input, median of ${RUNS}`,
      },
      {
        name: '  decode (PNG, orient, resize)',
        value: m(png.parts.decode!),
        unit: 'ms',
        note: 'breakdown of the PNG page',
      },
      {
        name: '  blank check',
        value: m(png.parts.blank!),
        unit: 'ms',
        note: 'luma histogram on a ~1500-point grid',
      },
      { name: '  JPEG encode q85', value: m(png.parts.encode!), unit: 'ms', note: '' },
      {
        name: '  store (temp, fsync, rename, fsync dir)',
        value: m(png.parts.store!),
        unit: 'ms',
        note: `on ${tmpdir()}`,
      },
      {
        name: 'SANE test backend page, 300 dpi colour',
        value: m(sane.flatbed),
        unit: 'ms',
        note: `scanimage via the driver, 200×200 mm, median of ${RUNS}`,
      },
      {
        name: 'SANE test backend feeder, per page',
        value: sane.feederPerPage,
        unit: 'ms',
        note: '10-page feeder run, 300 dpi colour',
      },
      {
        name: 'eSCL simulator flatbed page, 300 dpi',
        value: m(escl),
        unit: 'ms',
        note: `A4 JPEG over HTTP, fixed page, median of ${RUNS}`,
      },
      {
        name: 'archive PDF, 10 pages + CJK header',
        value: m(archive.runs),
        unit: 'ms',
        note: `${Math.round(archive.bytes / 1024)} KiB, median of 3 (CJK font parse dominates)`,
      },
    ];
  },
};
