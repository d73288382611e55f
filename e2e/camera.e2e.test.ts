/**
 * The document camera (高拍仪) in a real Chromium with its fake camera device
 * (--use-fake-ui-for-media-stream --use-fake-device-for-media-stream, set by the harness): open the
 * camera in the technician console, take a page, and find it stored by the backend's page pipeline
 * in the content-addressed blob store. Chromium's default fake camera shows an almost uniform frame,
 * which the blank-page check rightly refuses; the camera here films a generated document page
 * (a Y4M file, --use-file-for-fake-video-capture), as a 高拍仪 over a sheet of paper would.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, PORTRAIT, screenshot, startKiosk, type Kiosk } from './harness.js';

let kiosk: Kiosk;
let browser: Browser;
let page: Page;
let videoDir: string;

/** One 640×480 greyscale document frame as a YUV4MPEG2 (4:2:0) file: Y from the page, U = V = 128. */
async function documentVideo(): Promise<string> {
  const [w, h] = [640, 480];
  const lines = Array.from(
    { length: 9 },
    (_, i) => `<rect x="60" y="${70 + i * 42}" width="${520 - (i % 3) * 90}" height="16" fill="#111"/>`,
  ).join('');
  const y = await sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="#f4f4f0"/><rect x="60" y="24" width="300" height="26" fill="#000"/>${lines}</svg>`,
    ),
  )
    .greyscale()
    .raw()
    .toBuffer();
  const chroma = Buffer.alloc((w / 2) * (h / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y.subarray(0, w * h), chroma]);
  videoDir = mkdtempSync(join(tmpdir(), 'zizhu-camera-'));
  const file = join(videoDir, 'page.y4m');
  writeFileSync(
    file,
    Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F5:1 Ip A1:1 C420jpeg\n`), frame, frame]),
  );
  return file;
}

beforeAll(async () => {
  kiosk = await startKiosk();
  ({ browser, page } = await launchBrowser(PORTRAIT, [
    `--use-file-for-fake-video-capture=${await documentVideo()}`,
  ]));
  await page.goto(kiosk.url);
  const brand = page.locator('[data-testid=brand]');
  for (let i = 0; i < 5; i++) await brand.click();
  const keys = page.getByRole('group', { name: /数字键盘|Number keys/ });
  for (const digit of '000000') await keys.getByRole('button', { name: digit, exact: true }).click();
  await page.locator('[data-testid=pin-submit]').click();
  await page.locator('[data-testid=test-camera]').waitFor({ timeout: 20_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
  if (videoDir) rmSync(videoDir, { recursive: true, force: true });
});

const blobFiles = (): string[] => {
  const root = join(kiosk.dataDir, 'blobs');
  try {
    return readdirSync(root).flatMap((d) => (d.length === 2 ? readdirSync(join(root, d)) : []));
  } catch {
    return [];
  }
};

describe('document camera', () => {
  it('opens the camera with getUserMedia, takes a page and stores it through the page pipeline', async () => {
    const card = page.locator('[data-testid=test-camera]');
    await card.scrollIntoViewIfNeeded();
    await card.getByRole('button', { name: '打开摄像头' }).click();
    const video = card.locator('video');
    await video.waitFor({ state: 'visible' });
    await page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid=test-camera] video');
      return v !== null && v.videoWidth > 0 && v.readyState >= 2;
    });
    const before = blobFiles().length;
    await card.getByRole('button', { name: '拍摄一页' }).click();
    const result = page.locator('[data-testid=test-camera-result] [data-outcome=ok]');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.innerText()).toMatch(/拍摄成功/);
    expect(await result.innerText()).toMatch(/\d+ × \d+/);
    const after = blobFiles();
    expect(after.length).toBe(before + 1);
    expect(after.every((f) => /^[0-9a-f]{64}$/.test(f))).toBe(true);
    await screenshot(page, 'tech-camera-zh-portrait');
    await card.getByRole('button', { name: '关闭摄像头' }).click();
    await card.getByRole('button', { name: '打开摄像头' }).waitFor();
    expect(await page.evaluate(() => document.querySelector('video')?.srcObject ?? null)).toBeNull();
  }, 60_000);
});
