/**
 * The staff desk page and case detail: the hall serves the page built from src/hall/staff-web
 * (static HTML + separate script + style) under a strict CSP with no inline script or style, the
 * script parses and keeps zod out of the bundle, a hall without a built page says how to build it,
 * and a case's detail shows its fields and materials with the applicant masked and no photo, to its
 * own jurisdiction only.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, displayFields } from './mask.js';
import { startHallServer, type HallServer } from './server.js';
import { STAFF_PAGE_NOT_BUILT } from './staff-page.js';
import { buildStaffPage } from './testing/staff-page-build.js';
import { applicationPayload, enrolKiosk, fixtureId, staffCall, storeBlob } from './testing/staff-fixture.js';

const staffWebDir = fileURLToPath(new URL('./staff-web', import.meta.url));

let pageDir: string;
beforeAll(async () => {
  pageDir = mkdtempSync(join(tmpdir(), 'zizhu-staff-page-'));
  await buildStaffPage(pageDir);
});
afterAll(() => rmSync(pageDir, { recursive: true, force: true }));

let dir: string;
let hall: HallServer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-page-'));
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: dir, staffPageDir: pageDir },
    { silent: true, clock: () => new Date('2026-03-02T09:00:00Z') },
  );
});
afterEach(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /staff', () => {
  it('serves the built page, its script and its style under a CSP without inline code', async () => {
    const page = await fetch(new URL('staff', hall.url));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    expect(html).toBe(readFileSync(join(pageDir, 'index.html'), 'utf8'));
    expect(html).toContain('<script src="/staff/app.js" defer></script>');
    expect(html).toContain('<link rel="stylesheet" href="/staff/app.css" />');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);

    const js = await fetch(new URL('staff/app.js', hall.url));
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('content-security-policy')).toBe(csp);
    const script = await js.text();
    expect(script).toBe(readFileSync(join(pageDir, 'app.js'), 'utf8'));
    // One classic script (the page loads it with defer, not as a module).
    expect(() => new Script(script)).not.toThrow();
    // The session is an HttpOnly cookie the script never touches, sent same-origin with the CSRF
    // token; no credential is kept in storage (sessionStorage holds only the 叫号 window); data is
    // drawn as text, never as HTML.
    expect(script).toContain('same-origin');
    expect(script).toContain('x-csrf-token');
    expect(script).not.toMatch(/staffToken|localStorage|document\.cookie/);
    // React (bundled) supports markup internally; the desk's own code never sets any.
    const sources = readdirSync(staffWebDir).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'));
    for (const f of sources)
      expect(readFileSync(join(staffWebDir, f), 'utf8'), f).not.toMatch(
        /innerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|outerHTML/,
      );
    // zod stays on the hall: the page imports only zod-free shared modules.
    expect(script).not.toMatch(/ZodError|\$ZodType|safeParse/);

    const css = await fetch(new URL('staff/app.css', hall.url));
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toMatch(/\.lv-overdue\{/);
  });

  it('says how to build the page when it is missing, and the APIs still answer', async () => {
    const bare = await startHallServer(
      { host: '127.0.0.1', port: 0, dataDir: join(dir, 'bare'), staffPageDir: join(dir, 'nothing-here') },
      { silent: true },
    );
    try {
      for (const path of ['staff', 'staff/app.js', 'staff/app.css']) {
        const r = await fetch(new URL(path, bare.url));
        expect(r.status).toBe(503);
        expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
        expect(await r.text()).toContain(STAFF_PAGE_NOT_BUILT);
      }
      const token = await bare.staff.createToken('王科员', '610102');
      expect((await staffCall(bare, token, 'GET', '/v1/staff/me')).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});

describe('masking', () => {
  it('masks names and ID numbers as the kiosk does and drops photos', () => {
    expect(maskName('张小三')).toBe('张*三');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳小明')).toBe('欧**明');
    expect(maskIdNumber('610102199001011234')).toBe('6101**********1234');
    expect(
      displayFields(
        {
          form: { name: '张小三', id: '61010219900101123X', photo: 'AAAA' },
          portrait: 'x',
          list: ['a', 'b'],
        },
        ['张小三'],
        [],
      ),
    ).toEqual([
      { path: 'form.name', value: '张*三' },
      { path: 'form.id', value: '6101**********123X' },
      { path: 'list', value: 'a, b' },
    ]);
  });
});

describe('GET /v1/staff/cases/:id', () => {
  it('shows fields and materials with the applicant masked, to its own jurisdiction only', async () => {
    const k = await enrolKiosk(hall, '610113');
    const p1 = await storeBlob(hall, Buffer.from('page one'));
    const p2 = await storeBlob(hall, Buffer.from('page two'));
    await k.push(
      'application',
      applicationPayload('app-1', {
        attachments: [
          { materialCode: 'sfz', sha256: p1, size: 8 },
          { materialCode: 'hkb', sha256: p2, size: 8 },
        ],
      }),
    );
    const token = await hall.staff.createToken('王科员', '610102');
    expect((await staffCall(hall, null, 'GET', `/v1/staff/cases/${fixtureId('app-1')}`)).status).toBe(401);
    expect(
      (
        await staffCall(
          hall,
          await hall.staff.createToken('李科员', '610104'),
          'GET',
          `/v1/staff/cases/${fixtureId('app-1')}`,
        )
      ).status,
    ).toBe(404);
    expect((await staffCall(hall, token, 'GET', '/v1/staff/me')).body).toEqual({
      name: '王科员',
      login: null,
      roles: null,
      jurisdictions: ['610102'],
      jurisdiction: '610102',
      csrfToken: null,
    });

    const r = await staffCall(hall, token, 'GET', `/v1/staff/cases/${fixtureId('app-1')}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body).toMatchObject({
      id: fixtureId('app-1'),
      itemCode: 'X1',
      status: 'received',
      applicant: { name: '张*三', idNumber: '6101**********1234' },
      materials: ['sfz', 'hkb'],
      allowedActions: ['accept', 'refuse', 'request-correction'],
      supervision: { deadline: '2026-03-09', level: 'reminder' },
    });
    expect(
      (r.body.attachments as { materialCode: string; sha256: string }[]).map((a) => [
        a.materialCode,
        a.sha256,
      ]),
    ).toEqual([
      ['sfz', p1],
      ['hkb', p2],
    ]);
    const fields = r.body.fields as { path: string; value: string }[];
    expect(fields).toContainEqual({ path: 'form.fullName', value: '张*三' });
    expect(fields).toContainEqual({ path: 'form.idNumber', value: '6101**********1234' });
    expect(fields).toContainEqual({ path: 'delivery.method', value: 'ems' });
    const text = JSON.stringify(r.body);
    expect(text).not.toContain('张小三');
    expect(text).not.toContain('610102199001011234');
    expect(text).not.toMatch(/photo/i);
  });
});
