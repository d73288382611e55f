/**
 * A4 archive copy of one submitted application (申请表) for the hall's electronic archive (电子档案,
 * reform point 5 in docs/domain.md) and for a technician to reprint on an A4 printer.
 *
 * Page 1 onwards: title, hall, receipt number and a QR code of the progress URL (手机办, point 16); the
 * form as a two-column table; applicant and helper (帮办代办, point 10 — both identities recorded);
 * result delivery (最多跑一次, point 7); the materials with their page hashes, or 已调用电子证照 for
 * shared licences (point 13); the integrity acknowledgement (受理前廉洁告知, point 20). Then one page
 * per scanned page, unaltered, naming its material and page n/m. Every page carries
 * "第 n 页 / 共 m 页".
 *
 * This document *is* the archive record, so it carries the full name and ID number (unlike receipts
 * and screens, which mask them); it is never shown on the kiosk screen.
 *
 * Pure apart from reading the font: the same input gives the same bytes (CreationDate = submission
 * time). Invalid input is a caller bug (the RPC layer validates with `applicationPdfInputSchema`), so
 * it throws the ZodError rather than returning a value.
 */
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { z } from 'zod';
import { scanner } from '../../devices/index.js';
import { formatDateTime as formatWallClock } from '../../shared/wall-clock.js';
import { NOTO_CJK_BOLD_FACE, NOTO_CJK_BOLD_PATH } from '../../shared/cjk-font.js';

// ---------------------------------------------------------------------------------------------------
// Input

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** U+3000, the full-width space Chinese typesetting uses between a statement and its date. */
const IDEOGRAPHIC_SPACE = '\u3000';
const SEPARATOR = `${IDEOGRAPHIC_SPACE}·${IDEOGRAPHIC_SPACE}`;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const scannedPageSchema = z.object({
  /** The page exactly as archived; embedded as it is (DCTDecode), never re-encoded. */
  jpeg: z.instanceof(Buffer).refine((b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff, {
    message: 'not a JPEG image',
  }),
  width: z.number().int().positive().max(30_000),
  height: z.number().int().positive().max(30_000),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 is 64 lower-case hex digits'),
});

const materialSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** scanned at the kiosk; e-licence: 已调用电子证照 (nothing scanned); missing: 未提交 (optional material). */
    kind: z.enum(['scanned', 'e-licence', 'missing']),
    pages: z.array(scannedPageSchema).max(500),
  })
  .refine((m) => (m.kind === 'scanned' ? m.pages.length > 0 : m.pages.length === 0), {
    message: 'scanned materials have pages; e-licence and missing ones have none',
    path: ['pages'],
  });

const personSchema = z.object({
  name: z.string().trim().min(1).max(60),
  idNumber: z.string().trim().min(1).max(40),
});

export const applicationPdfInputSchema = z
  .object({
    lang: z.enum(['zh', 'en']),
    hallName: z.string().trim().min(1).max(80),
    receiptNo: z.string().trim().min(1).max(40),
    itemName: z.string().trim().min(1).max(200),
    itemCode: z.string().trim().min(1).max(64),
    department: z.string().trim().min(1).max(200),
    caseType: z.enum(['immediate', 'promised']),
    submittedAt: z.date(),
    /** 承诺办结 date (YYYY-MM-DD), computed in working days by shared/working-days. */
    promisedDate: z.string().regex(ISO_DATE, 'expected YYYY-MM-DD').nullable(),
    /** IANA zone of the hall; every time on the form is printed in it. */
    timeZone: z.string().refine(isTimeZone, { message: 'unknown IANA time zone' }),
    applicant: personSchema,
    /** 帮办代办: the helper applying for the resident, or null when the resident applied in person. */
    helper: personSchema.nullable(),
    form: z
      .array(z.object({ label: z.string().trim().min(1).max(80), value: z.string().max(4000) }))
      .max(300),
    delivery: z.discriminatedUnion('method', [
      z.object({
        method: z.literal('ems'),
        recipient: z.string().trim().min(1).max(60),
        phone: z.string().trim().min(1).max(30),
        address: z.string().trim().min(1).max(300),
        postcode: z.string().regex(/^\d{6}$/, 'postcodes are six digits'),
      }),
      z.object({ method: z.literal('pickup') }),
    ]),
    materials: z.array(materialSchema).max(100),
    integrityAcknowledgedAt: z.date(),
    /** Encoded in the QR code; QR version 40-M holds ~2300 bytes, keep well below. */
    progressUrl: z.string().min(1).max(1000),
    kioskName: z.string().trim().min(1).max(80),
  })
  .refine((a) => a.caseType === 'immediate' || a.promisedDate !== null, {
    message: '承诺件 (promised items) need a promised date',
    path: ['promisedDate'],
  });

export type ApplicationPdfInput = z.infer<typeof applicationPdfInputSchema>;

export type RenderApplicationPdfOptions = {
  /** Defaults to the Noto Sans CJK collection the scanner archive uses (Debian: fonts-noto-cjk). */
  fontPath?: string;
  fontFace?: string;
  /** Bold face for titles and headings; falls back to the regular font when not installed. */
  boldFontPath?: string;
  boldFontFace?: string;
};

// ---------------------------------------------------------------------------------------------------
// Copy

const TEXT = {
  zh: {
    title: '申请表',
    subtitle: 'Application form',
    receiptNo: '办件编号',
    itemName: '事项名称',
    itemCode: '事项编码',
    department: '实施主体',
    caseType: '办件类型',
    immediate: '即办件',
    promised: '承诺件',
    submittedAt: '提交时间',
    promisedDate: '承诺办结',
    promisedNone: '即办',
    kiosk: '提交终端',
    scan: '扫码查询办理进度',
    applicantSection: '申请人',
    applicant: '申请人',
    helper: '代办人（帮办代办）',
    noHelper: '无（本人办理）',
    idNumber: '证件号码',
    formSection: '申请表内容',
    emptyForm: '（无填报项）',
    emptyValue: '（未填写）',
    deliverySection: '结果送达',
    deliveryMethod: '送达方式',
    ems: 'EMS 免费邮寄',
    pickup: '窗口领取',
    recipient: '收件人',
    phone: '联系电话',
    address: '邮寄地址',
    postcode: '邮政编码',
    materialsSection: '申请材料',
    colNo: '序号',
    colName: '材料名称',
    colPages: '页数',
    colHash: 'SHA-256（前 12 位）',
    pages: (n: number) => `${n} 页`,
    eLicence: '已调用电子证照',
    missing: '未提交',
    noMaterials: '（无申请材料）',
    integritySection: '廉洁告知',
    integrity: (at: string) => `已阅读并确认《廉洁告知书》${IDEOGRAPHIC_SPACE}${at}`,
    scanPageTitle: (name: string) => `申请材料：${name}`,
    materialPage: (n: number, m: number) => `材料第 ${n} / ${m} 页`,
    continued: '（续）',
    pageNumber: (n: number, m: number) => `第 ${n} 页 / 共 ${m} 页`,
  },
  en: {
    title: 'Application form',
    subtitle: '申请表',
    receiptNo: 'Receipt no.',
    itemName: 'Service',
    itemCode: 'Service code',
    department: 'Department',
    caseType: 'Case type',
    immediate: 'Immediate (即办件)',
    promised: 'Promised (承诺件)',
    submittedAt: 'Submitted',
    promisedDate: 'Promised by',
    promisedNone: 'On the spot',
    kiosk: 'Kiosk',
    scan: 'Scan to check progress',
    applicantSection: 'Applicant',
    applicant: 'Applicant',
    helper: 'Helper (帮办代办)',
    noHelper: 'None (applied in person)',
    idNumber: 'ID number',
    formSection: 'Form',
    emptyForm: '(no form fields)',
    emptyValue: '(blank)',
    deliverySection: 'Delivery of the result',
    deliveryMethod: 'Method',
    ems: 'Free EMS delivery',
    pickup: 'Collect at the hall',
    recipient: 'Recipient',
    phone: 'Phone',
    address: 'Address',
    postcode: 'Postcode',
    materialsSection: 'Materials',
    colNo: 'No.',
    colName: 'Material',
    colPages: 'Pages',
    colHash: 'SHA-256 (first 12)',
    pages: (n: number) => (n === 1 ? '1 page' : `${n} pages`),
    eLicence: 'e-licence on file (已调用电子证照)',
    missing: 'not submitted (未提交)',
    noMaterials: '(no materials)',
    integritySection: 'Integrity notice',
    integrity: (at: string) => `Read and acknowledged the Integrity Notice (《廉洁告知书》) at ${at}`,
    scanPageTitle: (name: string) => `Material: ${name}`,
    materialPage: (n: number, m: number) => `material page ${n} / ${m}`,
    continued: ' (cont.)',
    pageNumber: (n: number, m: number) => `第 ${n} 页 / 共 ${m} 页 · Page ${n} of ${m}`,
  },
} as const;

/** `2026-03-02 09:28:05` in the hall's zone. */
const formatDateTime = (d: Date, timeZone: string): string => formatWallClock(d, timeZone, { seconds: true });

// ---------------------------------------------------------------------------------------------------
// Geometry (PDF points, 1/72 in)

const A4 = { short: 595.28, long: 841.89 };
/** The left margin leaves room for binding (装订) in the paper archive. */
const MARGIN = { left: 56, right: 42, top: 56, bottom: 56 };
const HEADER_Y = 26;
const FOOTER_Y_FROM_BOTTOM = 34;
const BODY_SIZE = 10;
const SMALL_SIZE = 8;
const LINE_GAP = 2.5;
const CELL_PAD = 4;
const QR_SIZE = 92;
const RULE_COLOR = '#9aa3ad';
const LABEL_FILL = '#eef1f5';
const INK = '#111111';
const MUTED = '#555555';

type Doc = PDFKit.PDFDocument;
type Column = { width: number; shaded?: boolean; font?: 'regular' | 'bold' };

/**
 * Lays out flowing sections on portrait pages, starting a new page when a row does not fit and
 * splitting a cell taller than a whole page (a 2000-character 情况说明 must not be cut off).
 */
function createFlow(doc: Doc, startPage: () => void, continued: string) {
  const width = A4.short - MARGIN.left - MARGIN.right;
  const bottom = A4.long - MARGIN.bottom;
  let y = MARGIN.top;

  const useFont = (font: 'regular' | 'bold', size: number): void => {
    doc.font(font).fontSize(size);
  };
  const measure = (text: string, w: number, font: 'regular' | 'bold' = 'regular'): number => {
    useFont(font, BODY_SIZE);
    return text === '' ? BODY_SIZE * 1.2 : doc.heightOfString(text, { width: w, lineGap: LINE_GAP });
  };

  /** Longest prefix (in characters, never splitting a surrogate pair) that fits in `maxHeight`. */
  const splitToFit = (
    text: string,
    w: number,
    maxHeight: number,
    font: 'regular' | 'bold',
  ): [string, string] => {
    const chars = [...text];
    let lo = 0;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (measure(chars.slice(0, mid).join(''), w, font) <= maxHeight) lo = mid;
      else hi = mid - 1;
    }
    // Prefer to break after a newline or space right at the limit (Latin words stay whole); CJK
    // text may break between any two characters anyway.
    const head = chars.slice(0, lo).join('');
    const soft = Math.max(head.lastIndexOf('\n'), head.lastIndexOf(' '));
    const cut = soft > head.length * 0.9 ? soft + 1 : head.length;
    return [text.slice(0, cut), text.slice(cut).replace(/^\n/, '')];
  };

  const newPage = (): void => {
    startPage();
    y = MARGIN.top;
  };

  const ensure = (height: number): void => {
    if (y + height > bottom) newPage();
  };

  const drawRow = (columns: readonly Column[], cells: readonly string[], height: number): void => {
    let x = MARGIN.left;
    columns.forEach((col, i) => {
      if (col.shaded === true) doc.rect(x, y, col.width, height).fill(LABEL_FILL);
      doc.rect(x, y, col.width, height).lineWidth(0.5).strokeColor(RULE_COLOR).stroke();
      useFont(col.font ?? 'regular', BODY_SIZE);
      doc.fillColor(INK).text(cells[i] ?? '', x + CELL_PAD, y + CELL_PAD, {
        width: col.width - 2 * CELL_PAD,
        lineGap: LINE_GAP,
      });
      x += col.width;
    });
    y += height;
  };

  const rowHeight = (columns: readonly Column[], cells: readonly string[]): number =>
    Math.max(...columns.map((c, i) => measure(cells[i] ?? '', c.width - 2 * CELL_PAD, c.font))) +
    2 * CELL_PAD;

  return {
    width,
    setY(value: number): void {
      y = value;
    },
    heading(text: string): void {
      // Keep a heading with at least two body lines after it.
      ensure(22 + 2 * (BODY_SIZE * 1.2 + LINE_GAP) + 2 * CELL_PAD);
      y += 6;
      useFont('bold', 12);
      doc.fillColor(INK).text(text, MARGIN.left, y, { width, lineBreak: false });
      y += 18;
      doc
        .moveTo(MARGIN.left, y)
        .lineTo(MARGIN.left + width, y)
        .lineWidth(1)
        .strokeColor('#1f3f77')
        .stroke();
      y += 4;
    },
    paragraph(text: string, size = BODY_SIZE, color = INK): void {
      useFont('regular', size);
      const h = doc.heightOfString(text, { width, lineGap: LINE_GAP });
      ensure(h);
      doc.fillColor(color).text(text, MARGIN.left, y, { width, lineGap: LINE_GAP });
      y += h;
    },
    /** A bordered table; `header` is repeated on every page the table runs onto. */
    table(
      columns: readonly Column[],
      rows: readonly (readonly string[])[],
      header?: readonly string[],
    ): void {
      const headerColumns = columns.map((c) => ({ ...c, shaded: true, font: 'bold' as const }));
      const drawHeader = (): void => {
        if (header !== undefined) drawRow(headerColumns, header, rowHeight(headerColumns, header));
      };
      const headerHeight = header === undefined ? 0 : rowHeight(headerColumns, header);
      const minRow = BODY_SIZE * 1.2 + 2 * CELL_PAD;
      ensure(headerHeight + minRow);
      drawHeader();
      for (const row of rows) {
        let cells = [...row];
        for (;;) {
          const h = rowHeight(columns, cells);
          if (y + h <= bottom) {
            drawRow(columns, cells, h);
            break;
          }
          const fresh = bottom - MARGIN.top - headerHeight;
          const room = bottom - y;
          if (h <= fresh || room < 3 * minRow) {
            newPage();
            drawHeader();
            continue;
          }
          // Taller than a page: fill this page, carry the rest over.
          const parts = columns.map((c, i) =>
            splitToFit(cells[i] ?? '', c.width - 2 * CELL_PAD, room - 2 * CELL_PAD, c.font ?? 'regular'),
          );
          drawRow(
            columns,
            parts.map(([head]) => head),
            room,
          );
          // A label that fitted whole is repeated with （续） so the carried-over value keeps its name.
          cells = parts.map(([, tail], i) =>
            tail === '' && columns[i]?.shaded === true ? `${row[i] ?? ''}${continued}` : tail,
          );
          newPage();
          drawHeader();
        }
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Rendering

export async function renderApplicationPdf(
  raw: ApplicationPdfInput,
  options: RenderApplicationPdfOptions = {},
): Promise<Buffer> {
  const input = applicationPdfInputSchema.parse(raw);
  const t = TEXT[input.lang];
  const fontPath = options.fontPath ?? scanner.NOTO_CJK_PATH;
  if (!existsSync(fontPath))
    throw new Error(`the CJK font ${fontPath} is not installed (Debian: fonts-noto-cjk)`);
  const boldPath = options.boldFontPath ?? NOTO_CJK_BOLD_PATH;
  const hasBold = existsSync(boldPath);
  const qr = await QRCode.toBuffer(input.progressUrl, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 2,
    scale: 4,
  });

  const doc = new PDFDocument({
    autoFirstPage: false,
    bufferPages: true, // page numbers need the total, known only at the end
    margin: 0,
    compress: true,
    lang: input.lang === 'zh' ? 'zh-CN' : 'en',
    info: {
      // No personal data in metadata: title and receipt number only.
      Title: `申请表 ${input.receiptNo}`,
      Creator: 'Zizhu Kiosk',
      Producer: 'Zizhu Kiosk',
      CreationDate: input.submittedAt,
      ModDate: input.submittedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', fontPath, options.fontFace ?? scanner.NOTO_CJK_FACE);
  if (hasBold) doc.registerFont('bold', boldPath, options.boldFontFace ?? NOTO_CJK_BOLD_FACE);
  else doc.registerFont('bold', fontPath, options.fontFace ?? scanner.NOTO_CJK_FACE);

  const runningHead = `${input.hallName}${SEPARATOR}${t.title}${SEPARATOR}${t.receiptNo} ${input.receiptNo}`;
  const drawRunningHead = (pageWidth: number): void => {
    doc.font('regular').fontSize(SMALL_SIZE).fillColor(MUTED);
    doc.text(runningHead, MARGIN.left, HEADER_Y, {
      width: pageWidth - MARGIN.left - MARGIN.right,
      lineBreak: false,
      ellipsis: true,
    });
    doc
      .moveTo(MARGIN.left, HEADER_Y + 13)
      .lineTo(pageWidth - MARGIN.right, HEADER_Y + 13)
      .lineWidth(0.4)
      .strokeColor(RULE_COLOR)
      .stroke();
  };
  const startPortraitPage = (): void => {
    doc.addPage({ size: [A4.short, A4.long], margin: 0 });
    drawRunningHead(A4.short);
  };

  startPortraitPage();
  const flow = createFlow(doc, startPortraitPage, t.continued);
  const time = (d: Date): string => formatDateTime(d, input.timeZone);

  // Title block: hall, title, subtitle; the QR code in the top-right corner.
  const qrX = A4.short - MARGIN.right - QR_SIZE;
  const titleWidth = qrX - MARGIN.left - 12;
  let y = MARGIN.top;
  doc
    .font('regular')
    .fontSize(11)
    .fillColor(MUTED)
    .text(input.hallName, MARGIN.left, y, { width: titleWidth });
  y += doc.heightOfString(input.hallName, { width: titleWidth }) + 4;
  doc
    .font('bold')
    .fontSize(22)
    .fillColor(INK)
    .text(t.title, MARGIN.left, y, { width: titleWidth, lineBreak: false });
  y += 30;
  doc
    .font('regular')
    .fontSize(11)
    .fillColor(MUTED)
    .text(t.subtitle, MARGIN.left, y, { width: titleWidth, lineBreak: false });
  y += 18;
  doc.image(qr, qrX, MARGIN.top - 4, { width: QR_SIZE, height: QR_SIZE });
  doc
    .font('regular')
    .fontSize(SMALL_SIZE)
    .fillColor(MUTED)
    .text(t.scan, qrX - 10, MARGIN.top + QR_SIZE - 2, { width: QR_SIZE + 20, align: 'center' });
  flow.setY(Math.max(y, MARGIN.top + QR_SIZE + 16) + 4);

  const labelCol: Column = { width: 118, shaded: true };
  const valueCol: Column = { width: flow.width - labelCol.width };
  const kv = [labelCol, valueCol] as const;

  // Case facts: long ones on full rows, short ones two to a row to keep the first page for the form.
  const pairCol: Column = { width: 84, shaded: true };
  const halfCol: Column = { width: (flow.width - labelCol.width - pairCol.width) / 2 };
  flow.table(kv, [
    [t.itemName, input.itemName],
    [t.department, input.department],
  ]);
  flow.table(
    [labelCol, halfCol, pairCol, halfCol],
    [
      [t.receiptNo, input.receiptNo, t.itemCode, input.itemCode],
      [
        t.caseType,
        input.caseType === 'immediate' ? t.immediate : t.promised,
        t.promisedDate,
        input.promisedDate ?? t.promisedNone,
      ],
      [t.submittedAt, time(input.submittedAt), t.kiosk, input.kioskName],
    ],
  );

  flow.heading(t.applicantSection);
  const helperRows: string[][] =
    input.helper === null
      ? [[t.helper, t.noHelper]]
      : [
          [t.helper, input.helper.name],
          [t.idNumber, input.helper.idNumber],
        ];
  flow.table(kv, [
    [t.applicant, input.applicant.name],
    [t.idNumber, input.applicant.idNumber],
    ...helperRows,
  ]);

  flow.heading(t.formSection);
  if (input.form.length === 0) flow.paragraph(t.emptyForm, BODY_SIZE, MUTED);
  else
    flow.table(
      kv,
      input.form.map((f) => [f.label, f.value === '' ? t.emptyValue : f.value]),
    );

  flow.heading(t.deliverySection);
  switch (input.delivery.method) {
    case 'ems':
      flow.table(kv, [
        [t.deliveryMethod, t.ems],
        [t.recipient, input.delivery.recipient],
        [t.phone, input.delivery.phone],
        [t.address, input.delivery.address],
        [t.postcode, input.delivery.postcode],
      ]);
      break;
    case 'pickup':
      flow.table(kv, [[t.deliveryMethod, t.pickup]]);
      break;
    default: {
      const never: never = input.delivery;
      throw new Error(`unknown delivery ${JSON.stringify(never)}`);
    }
  }

  flow.heading(t.materialsSection);
  if (input.materials.length === 0) {
    flow.paragraph(t.noMaterials, BODY_SIZE, MUTED);
  } else {
    const noCol: Column = { width: 34 };
    const pagesCol: Column = { width: 58 };
    const hashCol: Column = { width: 150 };
    const nameCol: Column = { width: flow.width - noCol.width - pagesCol.width - hashCol.width };
    flow.table(
      [noCol, nameCol, pagesCol, hashCol],
      input.materials.map((m, i) => {
        switch (m.kind) {
          case 'scanned':
            return [
              String(i + 1),
              m.name,
              t.pages(m.pages.length),
              m.pages
                .map((p, n) => `${m.pages.length > 1 ? `${n + 1}: ` : ''}${p.sha256.slice(0, 12)}`)
                .join('\n'),
            ];
          case 'e-licence':
            return [String(i + 1), m.name, '—', t.eLicence];
          case 'missing':
            return [String(i + 1), m.name, '—', t.missing];
          default: {
            const never: never = m.kind;
            throw new Error(`unknown material kind ${String(never)}`);
          }
        }
      }),
      [t.colNo, t.colName, t.colPages, t.colHash],
    );
  }

  flow.heading(t.integritySection);
  flow.paragraph(t.integrity(time(input.integrityAcknowledgedAt)));

  // One page per scanned page: landscape scans get a landscape page, the image fitted and centred.
  for (const material of input.materials) {
    material.pages.forEach((page, index) => {
      const landscape = page.width > page.height;
      const pw = landscape ? A4.long : A4.short;
      const ph = landscape ? A4.short : A4.long;
      doc.addPage({ size: [pw, ph], margin: 0 });
      drawRunningHead(pw);
      const caption = `${t.scanPageTitle(material.name)}${SEPARATOR}${t.materialPage(index + 1, material.pages.length)}`;
      const captionY = ph - FOOTER_Y_FROM_BOTTOM - 16;
      doc.font('regular').fontSize(9).fillColor(INK);
      doc.text(caption, MARGIN.left, captionY, {
        width: pw - MARGIN.left - MARGIN.right,
        align: 'center',
        lineBreak: false,
        ellipsis: true,
      });
      const top = HEADER_Y + 22;
      const box: [number, number] = [pw - MARGIN.left - MARGIN.right, captionY - 8 - top];
      doc.image(page.jpeg, MARGIN.left, top, { fit: box, align: 'center', valign: 'center' });
    });
  }

  // Page numbers on every page, now that the total is known.
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i += 1) {
    const page = doc.switchToPage(i);
    const label = t.pageNumber(i - start + 1, count);
    doc.font('regular').fontSize(SMALL_SIZE).fillColor(MUTED);
    doc.text(label, 0, page.height - FOOTER_Y_FROM_BOTTOM, {
      width: page.width,
      align: 'center',
      lineBreak: false,
    });
  }
  doc.end();
  return done;
}
