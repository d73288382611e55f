/**
 * Staff roles at the hall's desk and what each may do — one rule for the hall's routes and the desk
 * page (which hides what a role may not do; the hall refuses it either way).
 *
 * 受理员 (clerk): the front desk — accept, ask for 补正, refuse, call numbers, answer help requests.
 * 审批员 (approver): decides — 办结 (complete), and what a clerk may do on a case.
 * 督查 (supervisor): reads every case of the jurisdiction, supervision, 好差评 follow-ups, exports,
 *   the audit log; acts on follow-ups, not on cases.
 * 管理员 (admin): accounts, kiosks, publishing.
 */
export const STAFF_ROLES = ['clerk', 'approver', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const STAFF_PERMISSIONS = [
  'case.read',
  'case.reveal',
  'case.accept',
  'case.correction',
  'case.refuse',
  'case.complete',
  'queue.call',
  'help.answer',
  'supervision.read',
  'followup.act',
  'stats.export',
  'audit.read',
  'accounts.manage',
  'kiosks.manage',
  'publish',
] as const;
export type StaffPermission = (typeof STAFF_PERMISSIONS)[number];

const CLERK: readonly StaffPermission[] = [
  'case.read',
  'case.reveal',
  'case.accept',
  'case.correction',
  'case.refuse',
  'queue.call',
  'help.answer',
];

export const ROLE_PERMISSIONS: Readonly<Record<StaffRole, readonly StaffPermission[]>> = {
  clerk: CLERK,
  approver: [...CLERK, 'case.complete'],
  supervisor: ['case.read', 'case.reveal', 'supervision.read', 'followup.act', 'stats.export', 'audit.read'],
  admin: ['accounts.manage', 'kiosks.manage', 'publish', 'audit.read'],
};

/**
 * Whether someone holding these roles may do this. `roles` undefined is a staff bearer token from
 * before accounts existed (a machine client bound to one jurisdiction): it may do every case and
 * desk action, as those tokens always could.
 */
export function staffMay(who: { roles?: readonly StaffRole[] }, permission: StaffPermission): boolean {
  if (who.roles === undefined) return true;
  return who.roles.some((r) => ROLE_PERMISSIONS[r].includes(permission));
}

/** The permission each staff action on a case needs (src/shared/wire/staff.ts, staffActionSchema). */
export const CASE_ACTION_PERMISSION = {
  accept: 'case.accept',
  'request-correction': 'case.correction',
  refuse: 'case.refuse',
  complete: 'case.complete',
} as const satisfies Record<string, StaffPermission>;
