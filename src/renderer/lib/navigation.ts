/**
 * Where the resident is: a stack of screens, home at the bottom. "上一步" pops one screen, "返回首页"
 * clears the stack. Each entry remembers how far its page was scrolled, so going back lands where
 * the resident left off on a long list.
 */
import type { ApplyTarget, EndReason, WindowCode } from '../../shared/browser.js';
import type { FarewellKind } from '../session/leaving.js';

export type Route =
  | { name: 'home' }
  | { name: 'catalog'; query: string }
  | { name: 'window'; code: WindowCode }
  | { name: 'item'; code: string }
  | { name: 'bundles' }
  | { name: 'bundle'; code: string }
  /** 我要办事, optionally straight to an item or bundle (from its guide). */
  | { name: 'apply'; target: ApplyTarget | null }
  | { name: 'progress' }
  | { name: 'queue' }
  | { name: 'evaluate' }
  /** After a session ended: take your card and papers (or, after 排队取号, your ticket). */
  | { name: 'farewell'; reason: EndReason; kind: FarewellKind };

export type NavEntry = { route: Route; scrollTop: number };
/** Never empty: home is always at the bottom. */
export type NavState = { stack: readonly NavEntry[] };

export type NavAction =
  | { type: 'push'; route: Route; scrollTop: number }
  | { type: 'replace'; route: Route }
  | { type: 'back' }
  | { type: 'home' }
  /** One screen above home (the farewell reminder): 上一步 from it goes home. */
  | { type: 'reset'; route: Route };

const HOME: NavEntry = { route: { name: 'home' }, scrollTop: 0 };
export const initialNav: NavState = { stack: [HOME] };

export function currentEntry(state: NavState): NavEntry {
  return state.stack[state.stack.length - 1] ?? HOME;
}

export function sameRoute(a: Route, b: Route): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function navReducer(state: NavState, action: NavAction): NavState {
  switch (action.type) {
    case 'push': {
      const top = currentEntry(state);
      // A double tap on the same tile must not stack the same screen twice.
      if (sameRoute(top.route, action.route)) return state;
      if (action.route.name === 'home') return initialNav;
      const below = state.stack.slice(0, -1);
      return {
        stack: [...below, { ...top, scrollTop: action.scrollTop }, { route: action.route, scrollTop: 0 }],
      };
    }
    case 'replace': {
      if (state.stack.length === 1) return { stack: [{ route: action.route, scrollTop: 0 }] };
      return { stack: [...state.stack.slice(0, -1), { route: action.route, scrollTop: 0 }] };
    }
    case 'back': {
      if (state.stack.length <= 1) return state;
      return { stack: state.stack.slice(0, -1) };
    }
    case 'reset':
      return { stack: [HOME, { route: action.route, scrollTop: 0 }] };
    case 'home':
      return state.stack.length === 1 && currentEntry(state).route.name === 'home' ? state : initialNav;
    default: {
      const never: never = action;
      return never;
    }
  }
}
