/**
 * The staff desk page and case detail: the page is static HTML + separate script + style under a
 * strict CSP (no inline script or style), the script compiles, and a case's detail shows its fields
 * and materials with the applicant masked and no photo, to its own jurisdiction only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, displayFields } from './mask.js';
import { startHallServer, type HallServer } from './server.js';
import { STAFF_PAGE_JS } from './staff-page-script.js';
import { applicationPayload, enrolKiosk, fixtureId, staffCall, storeBlob } from './testing/staff-fixture.js';

let dir: string;
let hall: HallServer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-page-'));
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: dir },
    { silent: true, clock: () => new Date('2026-03-02T09:00:00Z') },
  );
});
afterEach(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /staff', () => {
  it('serves the page, its script and its style under a CSP without inline code', async () => {
    const page = await fetch(new URL('staff', hall.url));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    expect(html).toContain('<script src="/staff/app.js" defer></script>');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    const js = await fetch(new URL('staff/app.js', hall.url));
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(() => new Script(STAFF_PAGE_JS)).not.toThrow();
    expect(await js.text()).toBe(STAFF_PAGE_JS);
    expect((await fetch(new URL('staff/app.css', hall.url))).headers.get('content-type')).toMatch(
      /^text\/css/,
    );
    // The token lives in sessionStorage only.
    expect(STAFF_PAGE_JS).not.toMatch(/localStorage|document\.cookie/);
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
    const k = enrolKiosk(hall, '610113');
    const p1 = storeBlob(hall, Buffer.from('page one'));
    const p2 = storeBlob(hall, Buffer.from('page two'));
    k.push(
      'application',
      applicationPayload('app-1', {
        attachments: [
          { materialCode: 'sfz', sha256: p1, size: 8 },
          { materialCode: 'hkb', sha256: p2, size: 8 },
        ],
      }),
    );
    const token = hall.staff.createToken('王科员', '610102');
    expect((await staffCall(hall, null, 'GET', `/v1/staff/cases/${fixtureId('app-1')}`)).status).toBe(401);
    expect(
      (
        await staffCall(
          hall,
          hall.staff.createToken('李科员', '610104'),
          'GET',
          `/v1/staff/cases/${fixtureId('app-1')}`,
        )
      ).status,
    ).toBe(404);
    expect((await staffCall(hall, token, 'GET', '/v1/staff/me')).body).toEqual({
      name: '王科员',
      jurisdiction: '610102',
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
