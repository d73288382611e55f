import { describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, STAFF_PERMISSIONS, STAFF_ROLES, staffMay } from './staff-roles.js';

describe('staff roles', () => {
  it('lets a clerk accept but not complete, an approver complete, a supervisor only read and export', () => {
    expect(staffMay({ roles: ['clerk'] }, 'case.accept')).toBe(true);
    expect(staffMay({ roles: ['clerk'] }, 'case.complete')).toBe(false);
    expect(staffMay({ roles: ['approver'] }, 'case.complete')).toBe(true);
    expect(staffMay({ roles: ['supervisor'] }, 'case.accept')).toBe(false);
    expect(staffMay({ roles: ['supervisor'] }, 'stats.export')).toBe(true);
    expect(staffMay({ roles: ['admin'] }, 'case.read')).toBe(false);
    expect(staffMay({ roles: [] }, 'case.read')).toBe(false);
    expect(staffMay({ roles: ['clerk', 'supervisor'] }, 'audit.read')).toBe(true);
  });

  it('names only known permissions, and a token without roles keeps what tokens always could', () => {
    for (const r of STAFF_ROLES) for (const p of ROLE_PERMISSIONS[r]) expect(STAFF_PERMISSIONS).toContain(p);
    expect(staffMay({}, 'case.complete')).toBe(true);
  });
});
