/**
 * State machine of the on-screen keyboard, without React: which layout is showing, the pinyin
 * letters waiting to be converted, the candidate page, caps. The field's text itself belongs to the
 * field (the keyboard is controlled), so every step takes the current value and returns the next.
 *
 * Rules a resident relies on:
 *  - the field's limit is never exceeded: a key that would pass it does nothing, and a candidate
 *    that does not fit is not committed (the keyboard shows it disabled);
 *  - pinyin: letters go to the buffer; a candidate converts the part of the buffer it covers and the
 *    rest stays; space takes the first candidate; backspace edits the buffer before the text;
 *    leaving pinyin (other layout, 完成, a punctuation key) keeps what was typed rather than losing
 *    it — as letters, the way desktop IMEs commit on Enter or Shift;
 *  - id-number: digits and, only as the 18th character, X (GB 11643: the check digit may be X);
 *    phone: digits only; decimal: digits and one point, two decimals at most;
 *  - every text layout (pinyin, letters) has the digits and a punctuation row, 全角 or 半角.
 */
import {
  type Candidate,
  DEFAULT_PAGE_LIMITS,
  defaultPinyinIme,
  paginate,
  type PinyinIme,
} from './pinyin-ime.js';

export type KeyboardLayout = 'pinyin' | 'letters' | 'digits' | 'decimal' | 'id-number' | 'phone';

export type KeyboardConfig = {
  /** Layouts the field allows; the first one shows first. */
  layouts: readonly KeyboardLayout[];
  maxLength?: number | undefined;
  /** Codes (project codes, permit numbers): letters come out upper case from the start. */
  upper?: boolean | undefined;
};

export type KeyboardState = {
  layout: KeyboardLayout;
  /** Pinyin letters not yet converted (a–z and the "'" separator). */
  buffer: string;
  page: number;
  caps: boolean;
  /** Punctuation row: 全角 （，。） or 半角 (,.). */
  fullWidth: boolean;
  /** The 生僻字 picker: the candidate bar lists every ideograph of the syllable typed. */
  rare: boolean;
};

export type KeyboardAction =
  | { type: 'letter'; letter: string }
  /** The pinyin syllable break "'" (xi'an), for when the default split is not the one meant. */
  | { type: 'separator' }
  /** Digits, punctuation, X: straight into the text. */
  | { type: 'symbol'; text: string }
  | { type: 'space' }
  | { type: 'backspace' }
  | { type: 'clear' }
  | { type: 'pick'; candidate: Candidate }
  | { type: 'page'; delta: 1 | -1 }
  | { type: 'layout'; layout: KeyboardLayout }
  | { type: 'caps' }
  /** 全角 ⇄ 半角 punctuation. */
  | { type: 'width' }
  /** Opens or closes the 生僻字 picker. */
  | { type: 'rare' }
  | { type: 'done' };

export type KeyboardModel = { state: KeyboardState; value: string };
export type KeyboardStep = KeyboardModel & { done: boolean };

/** Resident ID numbers have 18 characters (GB 11643-1999). */
export const ID_NUMBER_LENGTH = 18;
/** Mainland mobile numbers have 11 digits. */
export const PHONE_LENGTH = 11;
/** Longer pinyin than this is not a word anyone types in one go; more letters are ignored. */
export const MAX_BUFFER = 30;

/** The field's limit: maxLength if given, else the shortest default of its number layouts. */
export function limitOf(config: KeyboardConfig): number | undefined {
  if (config.maxLength !== undefined) return config.maxLength;
  const defaults: number[] = [];
  if (config.layouts.includes('id-number')) defaults.push(ID_NUMBER_LENGTH);
  if (config.layouts.includes('phone')) defaults.push(PHONE_LENGTH);
  return defaults.length > 0 ? Math.min(...defaults) : undefined;
}

export function initialKeyboardState(config: KeyboardConfig): KeyboardState {
  const layout = config.layouts[0] ?? 'letters';
  // Chinese text takes full-width punctuation （陕（2024）…）, codes and Latin text half-width.
  return {
    layout,
    buffer: '',
    page: 0,
    caps: config.upper === true,
    fullWidth: layout === 'pinyin',
    rare: false,
  };
}

/** Length as the resident counts it: one per character (code point), not per UTF-16 unit. */
export function lengthOf(text: string): number {
  return [...text].length;
}

/** Whether `text` can be added to `value` without passing the field's limit. */
export function fits(value: string, text: string, config: KeyboardConfig): boolean {
  const limit = limitOf(config);
  return limit === undefined || lengthOf(value) + lengthOf(text) <= limit;
}

/** Candidates of the buffer (or the 生僻字 picker's), split into the pages the candidate bar shows. */
export function candidatePages(
  buffer: string,
  ime: PinyinIme = defaultPinyinIme(),
  rare = false,
): Candidate[][] {
  if (buffer === '') return [];
  return paginate(rare ? ime.rareCandidates(buffer) : ime.candidates(buffer), DEFAULT_PAGE_LIMITS);
}

/** Whether the X key may be used now: as the 18th character of an ID number only. */
export function canTypeX(value: string, config: KeyboardConfig): boolean {
  return lengthOf(value) === ID_NUMBER_LENGTH - 1 && fits(value, 'X', config);
}

/** Decimal pad: one point, after a digit, and at most two decimals (validation takes 89.56). */
export const MAX_DECIMALS = 2;

export function decimalAllowed(value: string, text: string): boolean {
  const point = value.indexOf('.');
  if (text === '.') return point < 0 && /\d$/.test(value);
  if (!/^\d$/.test(text)) return false;
  return point < 0 || value.length - point - 1 < MAX_DECIMALS;
}

/** The layout showing: the state's if the field allows it, else the field's first. */
function currentLayout(state: KeyboardState, config: KeyboardConfig): KeyboardLayout {
  return config.layouts.includes(state.layout) ? state.layout : (config.layouts[0] ?? 'letters');
}

/** Appends as much of `text` as fits (used for raw letters, which may be cut). */
function appendFitting(value: string, text: string, config: KeyboardConfig): string {
  const limit = limitOf(config);
  if (limit === undefined) return value + text;
  const room = Math.max(0, limit - lengthOf(value));
  return value + [...text].slice(0, room).join('');
}

/** The buffer's letters go into the text as typed (apostrophes dropped) and the buffer empties. */
function commitRaw(model: KeyboardModel, config: KeyboardConfig): KeyboardModel {
  if (model.state.buffer === '') return model;
  return {
    state: { ...model.state, buffer: '', page: 0 },
    value: appendFitting(model.value, model.state.buffer.replace(/'/g, ''), config),
  };
}

function pick(model: KeyboardModel, candidate: Candidate, config: KeyboardConfig): KeyboardModel {
  const { state, value } = model;
  if (state.buffer === '' || candidate.consumed < 1 || candidate.consumed > state.buffer.length) return model;
  if (!fits(value, candidate.text, config)) return model;
  // A leftover starting with "'" (xi'an after 西) would only show an empty syllable.
  const rest = state.buffer.slice(candidate.consumed).replace(/^'+/, '');
  // A picked 生僻字 closes the picker: what is typed next is ordinary pinyin again.
  return { state: { ...state, buffer: rest, page: 0, rare: false }, value: value + candidate.text };
}

/** Converts the buffer with its first candidate, or as letters when nothing matches. */
function commitFirst(model: KeyboardModel, config: KeyboardConfig, ime: PinyinIme): KeyboardModel {
  const first = ime.candidates(model.state.buffer)[0];
  if (!first) return commitRaw(model, config);
  return pick(model, first, config);
}

/** Converts the whole buffer, first candidate after first candidate (zhangsan → 张三). */
function commitAll(model: KeyboardModel, config: KeyboardConfig, ime: PinyinIme): KeyboardModel {
  let current = model;
  while (current.state.buffer !== '') {
    const next = commitFirst(current, config, ime);
    // No progress: the next candidate does not fit the field.
    if (next.state.buffer === current.state.buffer) return current;
    current = next;
  }
  return current;
}

function symbolAllowed(layout: KeyboardLayout, text: string, value: string, config: KeyboardConfig): boolean {
  switch (layout) {
    case 'digits':
    case 'phone':
      return /^\d$/.test(text);
    case 'decimal':
      return decimalAllowed(value, text);
    case 'id-number':
      return /^\d$/.test(text) || (text === 'X' && canTypeX(value, config));
    case 'pinyin':
    case 'letters':
      return text.length > 0;
    default: {
      const never: never = layout;
      return never;
    }
  }
}

export function keyboardReducer(
  model: KeyboardModel,
  action: KeyboardAction,
  config: KeyboardConfig,
  ime: PinyinIme = defaultPinyinIme(),
): KeyboardStep {
  const layout = currentLayout(model.state, config);
  const current: KeyboardModel = { state: { ...model.state, layout }, value: model.value };
  const { state, value } = current;
  const step = (next: KeyboardModel, done = false): KeyboardStep => ({ ...next, done });
  const pinyinBuffer = layout === 'pinyin' && state.buffer !== '';

  switch (action.type) {
    case 'letter': {
      const letter = action.letter.toLowerCase();
      if (!/^[a-z]$/.test(letter)) return step(current);
      if (layout === 'pinyin') {
        // Nothing could be converted into a full field, so the letter would only be lost later.
        if (!fits(value, '一', config) || state.buffer.length >= MAX_BUFFER) return step(current);
        return step({ state: { ...state, buffer: state.buffer + letter, page: 0 }, value });
      }
      if (layout !== 'letters') return step(current);
      const typed = state.caps ? letter.toUpperCase() : letter;
      return step(fits(value, typed, config) ? { state, value: value + typed } : current);
    }
    case 'separator': {
      if (!pinyinBuffer || state.buffer.endsWith("'") || state.buffer.length >= MAX_BUFFER)
        return step(current);
      return step({ state: { ...state, buffer: `${state.buffer}'`, page: 0 }, value });
    }
    case 'symbol': {
      // In the number pads a lower-case x is the same key as X.
      const text = layout === 'id-number' ? action.text.toUpperCase() : action.text;
      if (!symbolAllowed(layout, text, value, config)) return step(current);
      // Punctuation after pinyin: the pinyin is converted first, as desktop IMEs do.
      const base = pinyinBuffer ? commitAll(current, config, ime) : current;
      if (base.state.buffer !== '' || !fits(base.value, text, config)) return step(base);
      return step({ state: base.state, value: base.value + text });
    }
    case 'space': {
      if (pinyinBuffer) return step(commitFirst(current, config, ime));
      if (layout !== 'pinyin' && layout !== 'letters') return step(current);
      return step(fits(value, ' ', config) ? { state, value: value + ' ' } : current);
    }
    case 'backspace': {
      if (pinyinBuffer)
        return step({ state: { ...state, buffer: state.buffer.slice(0, -1), page: 0 }, value });
      return step({ state, value: [...value].slice(0, -1).join('') });
    }
    case 'clear':
      return step({ state: { ...state, buffer: '', page: 0, rare: false }, value: '' });
    case 'pick':
      return step(layout === 'pinyin' ? pick(current, action.candidate, config) : current);
    case 'page': {
      const pages = candidatePages(state.buffer, ime, state.rare).length;
      const page = Math.min(Math.max(0, state.page + action.delta), Math.max(0, pages - 1));
      return step({ state: { ...state, page }, value });
    }
    case 'layout': {
      if (!config.layouts.includes(action.layout) || action.layout === layout) return step(current);
      const committed = commitRaw(current, config);
      return step({
        state: { ...committed.state, layout: action.layout, page: 0, rare: false },
        value: committed.value,
      });
    }
    case 'caps':
      return step({ state: { ...state, caps: !state.caps }, value });
    case 'width':
      return step({ state: { ...state, fullWidth: !state.fullWidth }, value });
    case 'rare':
      return step(layout === 'pinyin' ? { state: { ...state, rare: !state.rare, page: 0 }, value } : current);
    case 'done':
      return step(commitRaw(current, config), true);
    default: {
      const never: never = action;
      return never;
    }
  }
}
