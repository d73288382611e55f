import { describe, expect, it } from 'vitest';
import { VIEWER_KEYS, VIEWER_START, viewerStep, ZOOMS, type ViewerMove } from './attachment-viewer.js';
import { caseDocuments } from './documents-view.js';
import { trapTab } from './modal.js';

const run = (moves: ViewerMove[], pages: number) =>
  moves.reduce((s, m) => viewerStep(s, m, pages), VIEWER_START);

describe('the attachment viewer', () => {
  it('starts on the first page at 100 %, unturned', () => {
    expect(ZOOMS[VIEWER_START.zoom]).toBe(1);
    expect(VIEWER_START).toMatchObject({ index: 0, rotation: 0 });
  });

  it('pages within the material', () => {
    expect(run(['prev'], 3).index).toBe(0);
    expect(run(['next', 'next', 'next', 'next'], 3).index).toBe(2);
    expect(run(['next', 'prev'], 3).index).toBe(0);
    expect(run(['next'], 1).index).toBe(0);
  });

  it('zooms within its steps, turns by quarters and resets', () => {
    expect(ZOOMS[run(['zoom-in'], 1).zoom]).toBe(1.25);
    expect(ZOOMS[run(Array<ViewerMove>(20).fill('zoom-in'), 1).zoom]).toBe(3);
    expect(ZOOMS[run(Array<ViewerMove>(20).fill('zoom-out'), 1).zoom]).toBe(0.5);
    expect(run(['rotate', 'rotate', 'rotate'], 1).rotation).toBe(270);
    expect(run(['rotate', 'rotate', 'rotate', 'rotate'], 1).rotation).toBe(0);
    expect(run(['next', 'rotate', 'zoom-in', 'reset'], 2)).toEqual({ ...VIEWER_START, index: 1 });
  });

  it('answers the documented keys', () => {
    expect(VIEWER_KEYS).toMatchObject({
      ArrowLeft: 'prev',
      ArrowRight: 'next',
      '+': 'zoom-in',
      '-': 'zoom-out',
    });
    expect(VIEWER_KEYS.r).toBe('rotate');
    expect(VIEWER_KEYS['0']).toBe('reset');
    expect(VIEWER_KEYS.Escape).toBeUndefined(); // the dialog closes on Esc itself
  });
});

describe('the dialog focus trap', () => {
  const items = ['a', 'b', 'c'];
  it('wraps Tab from the last control to the first and Shift+Tab from the first to the last', () => {
    expect(trapTab(items, 'c', false)).toBe('a');
    expect(trapTab(items, 'a', true)).toBe('c');
    expect(trapTab(items, null, false)).toBe('a');
    expect(trapTab(items, null, true)).toBe('c');
  });
  it('leaves Tab alone inside the dialog, and has nothing to go to in an empty one', () => {
    expect(trapTab(items, 'a', false)).toBeNull();
    expect(trapTab(items, 'b', true)).toBeNull();
    expect(trapTab([], null, false)).toBeNull();
  });
});

describe('the documents of a case', () => {
  const ev = (action: string) => ({ action }) as never;
  it('offers each document once its decision was taken, 不予受理决定书 only while refused', () => {
    expect(caseDocuments({ status: 'received', events: [] })).toEqual([]);
    expect(caseDocuments({ status: 'accepted', events: [ev('request-correction'), ev('accept')] })).toEqual([
      'acceptance',
      'correction',
    ]);
    expect(caseDocuments({ status: 'refused', events: [ev('refuse')] })).toEqual(['refusal']);
  });
});
