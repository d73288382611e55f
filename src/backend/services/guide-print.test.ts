import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resourcesDir } from '../paths.js';
import { readSeedCatalog } from './catalog.js';
import { renderGuidePdf, sendToCups, timeLimitText } from './guide-print.js';

const dir = mkdtempSync(join(tmpdir(), 'zizhu-guide-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seed = readSeedCatalog(join(resourcesDir(), 'catalog'));
if (!seed.ok) throw new Error(seed.error);
const item = seed.catalog.items.find((i) => i.code === '610000-RSJ-JF-05005-000')!;

describe('guide printing', () => {
  it('renders the full guide on A4 with Chinese text', async () => {
    const pdf = await renderGuidePdf(item, 'zh', '西咸新区政务服务中心');
    const file = join(dir, 'guide.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', [file, '-']).toString();
    expect(text).toContain('失业保险金申领');
    expect(text).toContain('申请材料');
    expect(text).toContain(item.materials[0]!.name.zh);
    expect(text).toContain('承诺 3 个工作日');
  });

  it('says 即办 for immediate items and both limits otherwise', () => {
    const immediate = seed.catalog.items.find((i) => i.caseType === 'immediate')!;
    expect(timeLimitText(immediate, 'zh')).toBe('即办');
    expect(timeLimitText(item, 'en')).toMatch(/^statutory \d+ working days \/ promised 3 working days$/);
  });

  it('sends the file to the CUPS queue with lp and reports lp’s refusal', async () => {
    const log = join(dir, 'lp.log');
    const fakeLp = join(dir, 'lp');
    writeFileSync(
      fakeLp,
      `#!/bin/sh\necho "$@" > ${log}\n[ "$2" = "broken" ] && { echo "lp: The printer or class does not exist." >&2; exit 1; }\nexit 0\n`,
    );
    chmodSync(fakeLp, 0o755);
    expect(await sendToCups('hall-a4', '/tmp/x.pdf', fakeLp)).toEqual({ ok: true, value: null });
    expect(readFileSync(log, 'utf8').trim()).toBe('-d hall-a4 /tmp/x.pdf');
    expect(await sendToCups('broken', '/tmp/x.pdf', fakeLp)).toEqual({
      ok: false,
      error: { kind: 'lp-failed', detail: 'lp: The printer or class does not exist.' },
    });
    expect(await sendToCups('q', '/tmp/x.pdf', join(dir, 'no-such-lp'))).toMatchObject({ ok: false });
  });
});
