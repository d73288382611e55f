/**
 * Which actions the desk offers and what it sends for them: pure, unit-tested. The case actions a
 * status allows come from the shared lifecycle (allowedCaseActions), the same rule the hall applies
 * when the request arrives; a form's fields become the request body here, or null when something
 * required is missing.
 */
import { allowedCaseActions, isHallCaseStatus, type StaffCaseAction } from '../../shared/case-status.js';
import type { StaffAction } from '../../shared/wire/staff.js';
import type { FollowupAction } from '../followups.js';

/** The case actions offered for a case in `status` (none for a status outside the contract). */
export const offeredCaseActions = (status: string): StaffCaseAction[] =>
  isHallCaseStatus(status) ? allowedCaseActions(status) : [];

/** The form's fields as typed; absent fields count as empty. */
export type ActionInput = {
  note?: string;
  reason?: string;
  /** Ticked material codes. */
  materials?: readonly string[];
  /** Further materials typed in, one per line (or separated by commas or semicolons). */
  other?: string;
  result?: string;
  trackingNumber?: string;
  days?: number;
};

/** 户口簿首页复印件, 结婚证；… → one material each. */
export const splitMaterials = (text: string): string[] =>
  text
    .split(/[\n,，;；]/)
    .map((t) => t.trim())
    .filter((t) => t !== '');

const filled = (s: string | undefined): string | null => {
  const t = (s ?? '').trim();
  return t === '' ? null : t;
};

/** The body of POST /v1/staff/cases/{id}/actions, or null when a required field is empty. */
export function caseActionBody(action: StaffCaseAction, input: ActionInput): StaffAction | null {
  const note = filled(input.note);
  switch (action) {
    case 'accept':
      return note === null ? { action } : { action, note };
    case 'refuse': {
      const reason = filled(input.reason);
      return reason === null ? null : { action, reason };
    }
    case 'request-correction': {
      const materials = [...(input.materials ?? []), ...splitMaterials(input.other ?? '')];
      if (materials.length === 0) return null;
      return note === null ? { action, materials } : { action, materials, note };
    }
    case 'complete': {
      const result = filled(input.result);
      if (result === null) return null;
      const trackingNumber = filled(input.trackingNumber);
      return trackingNumber === null ? { action, result } : { action, result, trackingNumber };
    }
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** The body of POST /v1/staff/followups/{id}/actions, or null when a required field is empty. */
export function followupActionBody(
  action: FollowupAction['action'],
  input: ActionInput,
): FollowupAction | null {
  const note = filled(input.note);
  const reason = filled(input.reason);
  switch (action) {
    case 'start':
      return note === null ? { action } : { action, note };
    case 'request-extension':
      return reason === null || input.days === undefined ? null : { action, days: input.days, reason };
    case 'grant-extension':
      return input.days === undefined ? { action } : { action, days: input.days };
    case 'complete':
      return note === null ? null : { action, note };
    case 'deny-extension':
    case 'mark-invalid':
    case 'cannot-fix':
      return reason === null ? null : { action, reason };
    default: {
      const never: never = action;
      return never;
    }
  }
}
