/**
 * What every part of the desk shares: the API client, the status line, and the little state the
 * page keeps between redraws (the hall's time zone, the open case and follow-up). Handed to each
 * view as one object.
 */
import type { StaffPermission } from '../../shared/staff-roles.js';
import type { FollowupView } from '../followups.js';
import type { StaffApi } from './api.js';

export type DeskState = {
  /** The hall's zone (HALL_TIME_ZONE), from the supervision report; times are shown in it. */
  timeZone: string;
  selectedCase: string | null;
  selectedFollowup: number | null;
  /** The follow-ups last loaded (the detail is drawn from them, not fetched again). */
  followups: FollowupView[];
};

export type Desk = {
  api: StaffApi;
  state: DeskState;
  /** The status line under the tabs (announced politely to screen readers). */
  say(text: string, bad?: boolean): void;
  /** Whether the signed-in account's roles allow this (staffMay); the hall refuses it either way. */
  may(permission: StaffPermission): boolean;
};
