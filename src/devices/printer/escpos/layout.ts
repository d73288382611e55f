/**
 * Width-aware line layout for the printer font (docs/devices-printer.md, "Chinese text"): 58 mm paper
 * is 384 dots = 32 ASCII columns, 80 mm is 576 dots = 48 columns; a CJK character takes two columns; a
 * magnified character (`GS ! n`) takes `width` times as many.
 */
import { charColumns, textColumns } from './gb18030.js';

export type PaperWidth = 58 | 80;
export type PaperGeometry = { mm: PaperWidth; dots: number; columns: number };

/** One ASCII column is 12 dots wide at normal size (12×24 font; CJK 24×24). */
export const DOTS_PER_COLUMN = 12;
/** Height of one text line at normal size, glyph band only. */
export const GLYPH_DOTS = 24;

export const PAPER: Readonly<Record<PaperWidth, PaperGeometry>> = {
  58: { mm: 58, dots: 384, columns: 32 },
  80: { mm: 80, dots: 576, columns: 48 },
};

export function isPaperWidth(n: number): n is PaperWidth {
  return n === 58 || n === 80;
}

/** Columns available for characters magnified `widthMultiplier` times. */
export function columnsAt(paper: PaperGeometry, widthMultiplier: number): number {
  return Math.max(1, Math.floor(paper.columns / widthMultiplier));
}

/** Characters that must not start a line (Chinese line-breaking rule, 行首禁则). */
const NO_LINE_START = new Set(Array.from('，。、；：！？）】》」』”’…,.;:!?)]}%'));

type Token = { text: string; cols: number; space: boolean };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // ASCII words stay whole; every wider character is its own token (CJK text breaks anywhere).
  const re = /([ ]+)|([\x21-\x7e]+)|([^\x21-\x7e ])/gu;
  for (const m of text.matchAll(re)) {
    const t = m[0];
    tokens.push({ text: t, cols: textColumns(t), space: m[1] !== undefined });
  }
  return tokens;
}

function splitLongToken(token: Token, columns: number): Token[] {
  const out: Token[] = [];
  let cur = '';
  let curCols = 0;
  for (const ch of token.text) {
    const c = charColumns(ch);
    if (curCols + c > columns && cur !== '') {
      out.push({ text: cur, cols: curCols, space: false });
      cur = '';
      curCols = 0;
    }
    cur += ch;
    curCols += c;
  }
  if (cur !== '') out.push({ text: cur, cols: curCols, space: false });
  return out;
}

function wrapParagraph(text: string, columns: number): string[] {
  const lines: string[] = [];
  let cur: Token[] = [];
  let curCols = 0;
  const flush = (): void => {
    while (cur.length > 0 && cur[cur.length - 1]!.space) curCols -= cur.pop()!.cols;
    lines.push(cur.map((t) => t.text).join(''));
    cur = [];
    curCols = 0;
  };
  const queue = tokenize(text);
  for (let i = 0; i < queue.length; i++) {
    const tok = queue[i]!;
    if (tok.space) {
      if (cur.length === 0 && lines.length > 0) continue; // no leading spaces on continuation lines
      if (curCols + tok.cols <= columns) {
        cur.push(tok);
        curCols += tok.cols;
      } else flush();
      continue;
    }
    if (tok.cols > columns) {
      queue.splice(i + 1, 0, ...splitLongToken(tok, columns));
      continue;
    }
    if (curCols + tok.cols <= columns) {
      cur.push(tok);
      curCols += tok.cols;
      continue;
    }
    // Line break needed. Keep closing punctuation off the start of a line by carrying the previous
    // character over with it.
    const last = cur[cur.length - 1];
    if (
      NO_LINE_START.has(tok.text) &&
      last !== undefined &&
      !last.space &&
      cur.length >= 2 &&
      last.cols + tok.cols <= columns
    ) {
      cur.pop();
      curCols -= last.cols;
      flush();
      cur = [last, tok];
      curCols = last.cols + tok.cols;
      continue;
    }
    flush();
    cur = [tok];
    curCols = tok.cols;
  }
  if (cur.length > 0 || lines.length === 0) flush();
  return lines;
}

/** Wraps text into lines of at most `columns` columns; `\n` forces a break. */
export function wrapText(text: string, columns: number): string[] {
  if (columns < 2) throw new RangeError(`cannot wrap into ${columns} columns`);
  return text.split('\n').flatMap((p) => wrapParagraph(p, columns));
}

export function padRight(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - textColumns(text)));
}

/** Wraps with continuation lines indented by `indent` columns (e.g. under "3. " of a numbered item). */
export function wrapHanging(text: string, columns: number, indent: number): string[] {
  const all = wrapText(text, columns);
  if (indent <= 0 || all.length <= 1 || columns - indent < 2) return all;
  const first = all[0]!;
  const rest = text.slice(first.length).trimStart();
  return [first, ...wrapText(rest, columns - indent).map((l) => ' '.repeat(indent) + l)];
}

/**
 * A label/value line: value right-aligned on the label's line when both fit; a short label keeps the
 * value beside it with a hanging indent; a long label wraps and the value goes right-aligned on the
 * label's last line (or the line after).
 */
export function pairLines(label: string, value: string, columns: number, labelIndent = 0): string[] {
  const lw = textColumns(label);
  const vw = textColumns(value);
  if (lw + 1 + vw <= columns) return [label + ' '.repeat(columns - lw - vw) + value];
  if (lw > 0 && lw <= Math.floor(columns / 2)) {
    const indent = lw + 1;
    const valueLines = wrapText(value, columns - indent);
    return valueLines.map((v, i) => (i === 0 ? `${label} ` : ' '.repeat(indent)) + v);
  }
  const labelLines = wrapHanging(label, columns, labelIndent);
  const lastLabel = labelLines[labelLines.length - 1] ?? '';
  const lastWidth = textColumns(lastLabel);
  if (lastWidth + 1 + vw <= columns) {
    labelLines[labelLines.length - 1] = lastLabel + ' '.repeat(columns - lastWidth - vw) + value;
    return labelLines;
  }
  const valueLines = wrapText(value, columns).map(
    (v) => ' '.repeat(Math.max(0, columns - textColumns(v))) + v,
  );
  return [...labelLines, ...valueLines];
}
