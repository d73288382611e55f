import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appRoot } from '../paths.js';
import { AUDIT_ACTIONS, AUDIT_EVENTS, CONSOLE_ACTIONS } from '../audit-events.js';
import { createAuditStore, scrubPersonalData } from './audit-store.js';
import { openDatabase, type Db } from './db.js';

let db: Db;
let dir: string;
const AT = '2026-11-26T08:00:00.000Z';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-audit-'));
  const r = openDatabase(join(dir, 'k.db'));
  if (!r.ok) throw new Error(r.message);
  db = r.db;
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = () =>
  db.prepare('SELECT actor, action, subject, detail FROM audit_log ORDER BY id').all() as {
    actor: string;
    action: string;
    subject: string | null;
    detail: string | null;
  }[];

describe('audit writer', () => {
  it('masks what the declared detail masks: callers hand over the name and number as read', () => {
    const audit = createAuditStore(db);
    audit.record(
      'identify',
      'session-1',
      { role: 'applicant', cardType: 'resident', name: '李秀英', idNumber: '11010519491231002X' },
      AT,
    );
    audit.record(
      'submit',
      'submission-1',
      { receipts: ['ZZ01-20261126-0001'], items: ['X1'], applicantName: '李秀英', assisted: true },
      AT,
    );
    const [identify, submit] = rows();
    expect(identify).toEqual({
      actor: 'resident',
      action: 'identify',
      subject: 'session-1',
      detail: JSON.stringify({
        role: 'applicant',
        cardType: 'resident',
        name: '李*英',
        id: '1101**********002X',
      }),
    });
    expect(JSON.parse(submit!.detail!)).toEqual({
      receipts: ['ZZ01-20261126-0001'],
      items: ['X1'],
      applicant: '李*英',
      assisted: true,
    });
    expect(JSON.stringify(rows())).not.toMatch(/李秀英|11010519491231002X/);
  });

  it('takes the actor from the table and scrubs ID and phone numbers that slipped into any string', () => {
    const audit = createAuditStore(db);
    audit.record(
      'device-fault',
      'printer',
      { uri: 'tcp://10.0.0.5:9100', state: { detail: 'job for 11010519491231002X, call 13800138000' } },
      AT,
    );
    audit.record('tech-login', null, null, AT);
    const [fault, login] = rows();
    expect(fault?.actor).toBe('kiosk');
    expect(JSON.parse(fault!.detail!)).toEqual({
      uri: 'tcp://10.0.0.5:9100',
      state: { detail: 'job for 1101**********002X, call 138****8000' },
    });
    expect(login).toEqual({ actor: 'technician', action: 'tech-login', subject: null, detail: null });
  });

  it('leaves receipt numbers, hashes and ids alone', () => {
    const values = {
      receipt: 'ZZ01-20261126-0001',
      sha: 'a'.repeat(20) + '12345678901234567890' + 'b'.repeat(24),
      id: '3f1c2b4a-1234-4abc-9def-138001380001',
    };
    expect(scrubPersonalData(values)).toEqual(values);
  });

  it('lists device events and failures, newest first, for the technician console', () => {
    const audit = createAuditStore(db);
    audit.record('session-start', 's1', { trigger: 'touch' }, AT);
    audit.record('device-configured', 'printer', { before: null, uri: 'sim:' }, AT);
    audit.record('receipt-print-failed', 'ZZ01-20261126-0001', { outcome: 'refused' }, AT);
    audit.record('catalog-update-failed', 'catalog/current', { version: 3, op: 'put', issues: ['x'] }, AT);
    audit.record('catalog-updated', 'catalog/current', { version: 4, label: 'v4' }, AT);
    expect(audit.recentErrors(10).map((e) => e.action)).toEqual([
      'catalog-update-failed',
      'receipt-print-failed',
      'device-configured',
    ]);
    expect(audit.recentErrors(1)[0]).toMatchObject({ actor: 'hall', detail: { version: 3, op: 'put' } });
  });
});

describe('audit query', () => {
  it('filters by time, action and subject together, newest first, up to the limit', () => {
    const audit = createAuditStore(db);
    audit.record('session-start', 's1', { trigger: 'touch' }, '2026-11-25T08:00:00.000Z');
    audit.record('session-start', 's2', { trigger: 'card' }, AT);
    audit.record('session-end', 's2', { reason: 'finished', unsubmittedPages: 0 }, AT);
    const all = { since: null, action: null, subject: null, limit: 10 };
    expect(audit.query(all).map((r) => [r.id, r.action, r.subject])).toEqual([
      [3, 'session-end', 's2'],
      [2, 'session-start', 's2'],
      [1, 'session-start', 's1'],
    ]);
    expect(audit.query({ ...all, action: 'session-start' }).map((r) => r.subject)).toEqual(['s2', 's1']);
    expect(audit.query({ ...all, since: AT }).map((r) => r.id)).toEqual([3, 2]);
    expect(audit.query({ ...all, subject: 's1', since: AT })).toEqual([]);
    expect(audit.query({ ...all, limit: 1 }).map((r) => r.id)).toEqual([3]);
    // The detail is handed back as stored (the CLI prints that text).
    expect(audit.query({ ...all, subject: 's1' })).toEqual([
      {
        id: 1,
        at: '2026-11-25T08:00:00.000Z',
        actor: 'resident',
        action: 'session-start',
        subject: 's1',
        detail: '{"trigger":"touch"}',
      },
    ]);
  });
});

describe('audit action table', () => {
  it('matches what the console listed before: device events and every failure', () => {
    expect([...CONSOLE_ACTIONS].sort()).toEqual(
      AUDIT_ACTIONS.filter((a) => a.startsWith('device-') || a.endsWith('-failed')).sort(),
    );
  });

  it('is documented in docs/store.md', () => {
    const doc = readFileSync(join(appRoot(), 'docs', 'store.md'), 'utf8');
    const families = [/-updated$/, /-withdrawn$/, /-update-failed$/];
    for (const action of AUDIT_ACTIONS) {
      const family = families.find((f) => f.test(action) && AUDIT_EVENTS[action].actor === 'hall');
      const name = family ? `<stream>${family.source.slice(0, -1)}` : action;
      expect(doc, `docs/store.md lists ${name}`).toContain(`\`${name}\``);
    }
  });
});
