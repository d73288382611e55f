import { describe, expect, it } from 'vitest';
import { currentEntry, initialNav, navReducer, type NavState } from './navigation.js';

const routes = (s: NavState) => s.stack.map((e) => e.route.name);

describe('navReducer', () => {
  it('pushes screens and remembers the scroll position of the one left', () => {
    let s = navReducer(initialNav, { type: 'push', route: { name: 'catalog', query: '' }, scrollTop: 0 });
    s = navReducer(s, { type: 'push', route: { name: 'window', code: 'ylsb' }, scrollTop: 120 });
    expect(routes(s)).toEqual(['home', 'catalog', 'window']);
    expect(s.stack[1]?.scrollTop).toBe(120);
    expect(currentEntry(s).scrollTop).toBe(0);
  });

  it('goes back one screen, and never below home', () => {
    let s = navReducer(initialNav, { type: 'push', route: { name: 'bundles' }, scrollTop: 0 });
    s = navReducer(s, { type: 'back' });
    expect(routes(s)).toEqual(['home']);
    expect(navReducer(s, { type: 'back' })).toBe(s);
  });

  it('ignores a second push of the screen already shown (double tap)', () => {
    const s = navReducer(initialNav, { type: 'push', route: { name: 'item', code: 'A1' }, scrollTop: 0 });
    expect(navReducer(s, { type: 'push', route: { name: 'item', code: 'A1' }, scrollTop: 0 })).toBe(s);
  });

  it('replaces the current screen (a new search query) without growing the stack', () => {
    let s = navReducer(initialNav, { type: 'push', route: { name: 'catalog', query: '' }, scrollTop: 0 });
    s = navReducer(s, { type: 'replace', route: { name: 'catalog', query: 'sb' } });
    expect(s.stack).toHaveLength(2);
    expect(currentEntry(s).route).toEqual({ name: 'catalog', query: 'sb' });
  });

  it('returns home from any depth', () => {
    let s = navReducer(initialNav, { type: 'push', route: { name: 'catalog', query: '' }, scrollTop: 0 });
    s = navReducer(s, { type: 'push', route: { name: 'item', code: 'X' }, scrollTop: 0 });
    expect(navReducer(s, { type: 'home' })).toEqual(initialNav);
    expect(navReducer(initialNav, { type: 'home' })).toBe(initialNav);
  });
});
