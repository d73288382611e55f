/**
 * The resident's display settings: 长辈模式 (elderly mode, its own layout) and 高对比度 (high
 * contrast). Both live in memory only — every session starts in normal mode — and both are shown on
 * <html> as classes (`elderly`, `contrast`) so the styles of every screen follow them.
 *
 * Elderly mode is one rule for time too: every resident-facing wait (the inactivity countdown, the
 * jump to 好差评, the farewell) runs through `residentMs`, so "slower in elderly mode" is decided here
 * and nowhere else (MIIT 适老化 2021: enough time, and time that can be extended).
 */
import { createContext, useContext } from 'react';

export type DisplayMode = {
  elderly: boolean;
  contrast: boolean;
};

export const NORMAL_DISPLAY: DisplayMode = { elderly: false, contrast: false };

/** How much longer every resident wait is in elderly mode. */
export const ELDERLY_TIME_FACTOR = 2;

/** A resident-facing wait in this display mode (twice as long for elders). */
export function residentMs(ms: number, mode: Pick<DisplayMode, 'elderly'>): number {
  return mode.elderly ? ms * ELDERLY_TIME_FACTOR : ms;
}

/** Windows per page of the catalog's window grid: all of them normally, three big tiles for elders. */
export const ELDERLY_WINDOWS_PER_PAGE = 3;

/** One page of a list cut into pages of `perPage` (the page number clamped into range). */
export function pageOf<T>(
  list: readonly T[],
  page: number,
  perPage: number,
): { items: readonly T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(list.length / perPage));
  const p = Math.min(Math.max(0, page), pages - 1);
  return { items: list.slice(p * perPage, (p + 1) * perPage), page: p, pages };
}

export const DisplayModeContext = createContext<DisplayMode>(NORMAL_DISPLAY);

/** The current display mode (normal outside the kiosk shell, e.g. in unit tests). */
export function useDisplayMode(): DisplayMode {
  return useContext(DisplayModeContext);
}
