/**
 * The case documents over HTTP (case-documents.ts, desk-report-routes.ts): each PDF is a PDF whose
 * text (pdftotext, poppler-utils) carries the 受理编号, the item's name and — for 补正 — the materials
 * by catalog name and the note, for 不予受理 the reason; a case that has not reached the decision is
 * 409, another jurisdiction's case 404, a role without case.read 403, nobody 401; each document
 * generated is in the audit log.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHallServer, type HallServer } from './server.js';
import type { Staff } from './staff.js';
import { applicationPayload, enrolKiosk, fixtureId } from './testing/staff-fixture.js';

const PENSION = '610000-RSJ-GG-05001-000';

let dir: string;
let hall: HallServer;
let token: string;
let outsider: string;
const receipts: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-docs-'));
  hall = await startHallServer(
    {
      host: '127.0.0.1',
      port: 0,
      dataDir: dir,
      hallName: '西安市沣东新城政务服务中心',
      sealText: '沣东新城政务服务中心专用章',
    },
    { silent: true },
  );
  const kiosk = await enrolKiosk(hall, '610102');
  for (const name of ['acc', 'cor', 'ref', 'new']) {
    const p = applicationPayload(name, { itemCode: PENSION });
    receipts[name] = p.receiptNo;
    expect((await kiosk.push('application', p)).status).toBe(200);
  }
  token = await hall.staff.createToken('王科员', '610102');
  outsider = await hall.staff.createToken('李科员', '610104');
  const clerk: Staff = {
    name: '王科员',
    jurisdiction: '610102',
    jurisdictions: ['610102'],
    roles: ['clerk'],
  };
  expect((await hall.staff.act(clerk, fixtureId('acc'), { action: 'accept', note: '材料齐全' })).status).toBe(
    200,
  );
  expect(
    (
      await hall.staff.act(clerk, fixtureId('cor'), {
        action: 'request-correction',
        materials: ['sfz', '婚姻状况证明'],
        note: '身份证复印件不清晰',
      })
    ).status,
  ).toBe(200);
  expect(
    (await hall.staff.act(clerk, fixtureId('ref'), { action: 'refuse', reason: '不属于本机关职权范围' }))
      .status,
  ).toBe(200);
});
afterAll(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (tok: string | null, id: string, kind: string) => {
  const res = await fetch(new URL(`v1/staff/cases/${id}/documents/${kind}.pdf`, hall.url), {
    headers: tok ? { authorization: `Bearer ${tok}` } : {},
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: Buffer.from(await res.arrayBuffer()),
  };
};

/** The PDF's text as pdftotext reads it (what a screen reader or a search would see). */
function pdfText(pdf: Buffer): string {
  const file = join(dir, `doc-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}
const squeeze = (s: string) => s.replace(/\s+/g, '');

describe('case documents', () => {
  it('gives the 受理通知书 of an accepted case, with its receipt number, item and hall', async () => {
    const r = await get(token, fixtureId('acc'), 'acceptance');
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/pdf');
    expect(r.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = squeeze(pdfText(r.body));
    expect(text).toContain(receipts.acc);
    expect(text).toContain('受理通知书');
    expect(text).toContain('城乡居民基本养老保险参保登记');
    expect(text).toContain('西安市沣东新城政务服务中心');
    expect(text).toContain('张小三');
    expect(text).toContain('材料齐全');
  }, 30_000);

  it('lists the materials of a 补正告知书 by their catalog names, with the note', async () => {
    const r = await get(token, fixtureId('cor'), 'correction');
    expect(r.status).toBe(200);
    const text = squeeze(pdfText(r.body));
    expect(text).toContain(receipts.cor);
    expect(text).toMatch(/1\.[^2]*居民身份证2\./);
    expect(text).toContain('2.婚姻状况证明');
    expect(text).not.toMatch(/\d\.sfz/);
    expect(text).toContain('身份证复印件不清晰');
  }, 30_000);

  it('gives the 不予受理决定书 with the reason', async () => {
    const r = await get(token, fixtureId('ref'), 'refusal');
    expect(r.status).toBe(200);
    const text = squeeze(pdfText(r.body));
    expect(text).toContain('不予受理决定书');
    expect(text).toContain('不属于本机关职权范围');
    expect(text).toContain(receipts.ref);
  }, 30_000);

  it('answers 409 while the case has not reached the decision', async () => {
    for (const [name, kind] of [
      ['new', 'acceptance'],
      ['new', 'correction'],
      ['new', 'refusal'],
      ['acc', 'refusal'],
      ['acc', 'correction'],
      ['ref', 'acceptance'],
    ] as const) {
      const r = await get(token, fixtureId(name), kind);
      expect([name, kind, r.status]).toEqual([name, kind, 409]);
      expect(JSON.parse(r.body.toString('utf8'))).toMatchObject({ error: 'invalid-transition' });
    }
  });

  it('refuses others: 404 another jurisdiction or an unknown document, 403 a role without case.read, 401 nobody', async () => {
    expect((await get(outsider, fixtureId('acc'), 'acceptance')).status).toBe(404);
    expect((await get(token, fixtureId('acc'), 'receipt')).status).toBe(404);
    expect((await get(token, fixtureId('acc'), '..%2Facceptance')).status).toBe(404);
    expect((await get(null, fixtureId('acc'), 'acceptance')).status).toBe(401);
    // An admin account (accounts, kiosks, publishing) may not read cases.
    const authenticate = hall.staff.authenticate;
    hall.staff.authenticate = async (h) => {
      const who = await authenticate(h);
      return who ? { ...who, roles: ['admin'] } : null;
    };
    try {
      const r = await get(token, fixtureId('acc'), 'acceptance');
      expect(r.status).toBe(403);
      expect(JSON.parse(r.body.toString('utf8'))).toMatchObject({ error: 'forbidden' });
    } finally {
      hall.staff.authenticate = authenticate;
    }
  });

  it('writes each document generated to the audit log', async () => {
    const lines = (await hall.audit.page({ jurisdictions: ['610102'] })).filter(
      (l) => l.action === 'case.document-pdf',
    );
    expect(lines.map((l) => [l.caseId, l.detail.document]).sort()).toEqual(
      [
        [fixtureId('acc'), 'acceptance'],
        [fixtureId('cor'), 'correction'],
        [fixtureId('ref'), 'refusal'],
      ].sort(),
    );
    expect(lines.every((l) => l.actor === '王科员' && l.address === '127.0.0.1')).toBe(true);
  });
});
