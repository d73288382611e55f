/**
 * The statistics (desk-stats.ts) as files a supervisor takes away: CSV — UTF-8 with a byte-order
 * mark, which is how Excel recognises UTF-8 and shows the Chinese right, CRLF line ends (RFC 4180) —
 * and XLSX (write-excel-file), one sheet per table. Both carry the same rows (`statsTables`).
 */
import writeXlsxFile from 'write-excel-file/node';
import type { StaffStats } from '../shared/wire/index.js';

type Cell = string | number | null;
export type StatsTable = { sheet: string; rows: Cell[][] };

const pct = (r: number | null): Cell => (r === null ? null : Math.round(r * 1000) / 10);
const words = (n: { zh: string; en: string } | null, code: string): string => (n ? n.zh : code);

/** The statistics as tables: a summary, then by item, by window, by status and 好差评. */
export function statsTables(s: StaffStats): StatsTable[] {
  const t = s.totals;
  const groupHead = (what: string): Cell[] => [
    `${what}编码 Code`,
    `${what}名称 Name`,
    '办件数 Cases',
    '已办结 Completed',
    '按时办结率% On-time %',
  ];
  return [
    {
      sheet: '概况 Summary',
      rows: [
        ['指标 Metric', '值 Value'],
        ['统计起 From', s.from],
        ['统计止 To', s.to],
        ['时区 Time zone', s.timeZone],
        ['辖区 Jurisdictions', s.jurisdictions.join(' ')],
        ['办件数 Cases', t.cases],
        ['已办结 Completed', t.completed],
        ['不予受理 Refused', t.refused],
        ['按时 On time', t.onTime],
        ['超时 Late', t.late],
        ['按时办结率% On-time %', pct(t.onTimeRate)],
        ['平均办理天数 Average days', t.averageDays],
        ['评价数 Evaluations', s.evaluations.total],
        ['差评数 Bad reviews', s.evaluations.bad],
        ['差评率% Bad-review %', pct(s.evaluations.badRate)],
      ],
    },
    {
      sheet: '按事项 By item',
      rows: [
        groupHead('事项'),
        ...s.byItem.map((g) => [g.code, words(g.name, g.code), g.cases, g.completed, pct(g.onTimeRate)]),
      ],
    },
    {
      sheet: '按窗口 By window',
      rows: [
        groupHead('窗口'),
        ...s.byWindow.map((g) => [g.code, words(g.name, g.code), g.cases, g.completed, pct(g.onTimeRate)]),
      ],
    },
    {
      sheet: '按状态 By status',
      rows: [
        ['状态 Status', '名称 Name', '办件数 Cases'],
        ...s.byStatus.map((r) => [r.status, r.label.zh, r.cases]),
      ],
    },
    {
      sheet: '好差评 Evaluations',
      rows: [
        ['等级 Level', '名称 Name', '数量 Count'],
        ...s.evaluations.byLevel.map((l) => [l.level, l.label.zh, l.count]),
      ],
    },
  ];
}

const csvCell = (c: Cell): string => {
  if (c === null) return '';
  const text = String(c);
  // A cell starting with = + - @ would be a formula in Excel (CSV injection): quote it with a '.
  const safe = typeof c === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** UTF-8 with BOM; the tables one after another, a blank line and the table's name between them. */
export function statsCsv(s: StaffStats): Buffer {
  const lines: string[] = [];
  for (const table of statsTables(s)) {
    if (lines.length > 0) lines.push('');
    lines.push(csvCell(table.sheet));
    for (const row of table.rows) lines.push(row.map(csvCell).join(','));
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

export async function statsXlsx(s: StaffStats): Promise<Buffer> {
  const sheets = statsTables(s).map((table) => ({
    sheet: table.sheet,
    data: table.rows.map((row, i) =>
      row.map((c) => (c === null ? null : { value: c, ...(i === 0 ? { fontWeight: 'bold' as const } : {}) })),
    ),
    columns: [{ width: 28 }, { width: 36 }, { width: 14 }, { width: 14 }, { width: 18 }],
  }));
  return writeXlsxFile(sheets).toBuffer();
}
