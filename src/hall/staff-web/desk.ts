/**
 * What every part of the desk shares: the API client, the status line, and the little state the
 * page keeps between redraws (the hall's time zone, the open case and follow-up). Handed to each
 * view as one object.
 */
import { staffMay, type StaffPermission } from '../../shared/staff-roles.js';
import type { StaffMe } from '../../shared/wire/staff.js';
import type { FollowupView } from '../followups.js';
import { createStaffApi, type StaffApi } from './api.js';
import type { DeskKey, DeskLanguage, DeskText } from './desk-i18n.js';
import { DEFAULT_DESK_TIME_ZONE } from './format.js';

/**
 * A message for the desk's status line (and the sign-in form's), put into words each time it is
 * shown, so a language switch redraws it: a key of the copy with its values, or words made from the
 * copy and the data (an action's outcome, why a request failed). Never finished text: text made in
 * one language would stay in it after the switch.
 */
export type StatusMessage =
  | { key: DeskKey; vars?: Record<string, string | number> }
  | { words: (t: DeskText, language: DeskLanguage) => string };
/** Says a message on the status line; `bad` marks a failure. */
export type Say = (message: StatusMessage, bad?: boolean) => void;

/** A status message in the language shown. */
export const messageText = (message: StatusMessage, t: DeskText, language: DeskLanguage): string =>
  'key' in message ? t(message.key, message.vars) : message.words(t, language);

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
  /**
   * The status line under the tabs (announced politely to screen readers): a message, redrawn in the
   * language shown.
   */
  say: Say;
  /** Whether the signed-in account's roles allow this (staffMay); the hall refuses it either way. */
  may(permission: StaffPermission): boolean;
};

/**
 * The desk's shared state is a plain object the builder views write as well; the React parts change
 * it through these (never in a component's own code), so React's rules see no mutation of a prop.
 */
export const setDeskTimeZone = (desk: Desk, timeZone: string): void => {
  desk.state.timeZone = timeZone;
};

/** The case shown in the detail (a refresh reads it again). */
export const selectDeskCase = (desk: Desk, id: string | null): void => {
  desk.state.selectedCase = id;
};

export const forgetDeskSelection = (desk: Desk): void => {
  desk.state.selectedCase = null;
  desk.state.selectedFollowup = null;
};

/** Whether an account's roles allow this (a staff bearer token, roles null, may do every desk action). */
export const rolesMay = (me: StaffMe | null, permission: StaffPermission): boolean =>
  me !== null && staffMay({ ...(me.roles ? { roles: me.roles } : {}) }, permission);

/**
 * The desk object and the session behind it, made once for the page's life outside React: the
 * builder views hold on to the desk, and the API client reads the session's CSRF token at each call.
 * The React shell binds what a status line or an ended session does on the page.
 */
export type DeskBridge = {
  desk: Desk;
  signIn(who: StaffMe): void;
  /** Forgets the account, the open case and follow-up. */
  signOut(): void;
  /** The session's CSRF token (null: signed out), for the views that send their own requests. */
  csrf(): string | null;
  bind(handlers: { say: Say; ended: () => void }): void;
};

export function createDeskBridge(fetchImpl: typeof fetch): DeskBridge {
  let me: StaffMe | null = null;
  let handlers: { say: Say; ended: () => void } = { say: () => undefined, ended: () => undefined };
  const desk: Desk = {
    api: createStaffApi({
      csrf: () => me?.csrfToken ?? null,
      onUnauthenticated: () => handlers.ended(),
      fetch: (input, init) => fetchImpl(input, init),
    }),
    state: { timeZone: DEFAULT_DESK_TIME_ZONE, selectedCase: null, selectedFollowup: null, followups: [] },
    say: (message, bad) => handlers.say(message, bad),
    may: (permission) => rolesMay(me, permission),
  };
  return {
    desk,
    signIn(who) {
      me = who;
    },
    signOut() {
      me = null;
      forgetDeskSelection(desk);
    },
    csrf: () => me?.csrfToken ?? null,
    bind(h) {
      handlers = h;
    },
  };
}
