/**
 * One of the hall's case documents (受理通知书, 补正告知书, 不予受理决定书) as an A4 PDF: title, 受理编号,
 * salutation, the wording's paragraphs with the case's facts filled in, the materials or the reason,
 * the hall's name and a red seal with its text, the date, and a footer. The wording comes from
 * resources/hall/documents/zh-CN.yaml (`loadDocumentWording`), never from code, so a hall rewords its
 * documents without a release.
 *
 * Pure apart from reading the font: the same input gives the same bytes (the CreationDate is the
 * document's date). It runs in the document worker (document-worker.ts): parsing the CJK font takes
 * long enough that the hall's API would stall on it.
 */
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { CjkFonts } from '../shared/cjk-font.js';
import type { CaseDocumentKind } from '../shared/wire/index.js';
import type { Loaded } from './resources.js';

const line = z.string().min(1).max(2000);
const lines = z.array(line).max(20);

export const documentWordingSchema = z.object({
  hall: z.object({ name: line, seal: line }),
  common: z.object({ number: line, salutation: line, dateLine: line, footer: line }),
  acceptance: z.object({ title: line, paragraphs: lines, immediate: line, note: line }),
  correction: z.object({
    title: line,
    paragraphs: lines,
    materialsHeading: line,
    note: line,
    closing: lines,
  }),
  refusal: z.object({ title: line, paragraphs: lines, reasonHeading: line, reason: line, closing: lines }),
});
export type DocumentWording = z.infer<typeof documentWordingSchema>;

export function loadDocumentWording(path: string): Loaded<DocumentWording> {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    return { ok: false, error: `${path}: ${(e as Error).message}` };
  }
  const r = documentWordingSchema.safeParse(raw);
  return r.success
    ? { ok: true, value: r.data }
    : {
        ok: false,
        error: `${path}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      };
}

/** What a document says about its case; every value already in words (names, dates in the hall's zone). */
export type CaseDocumentInput = {
  kind: CaseDocumentKind;
  hallName: string;
  sealText: string;
  receiptNo: string;
  applicant: string;
  itemName: string;
  itemCode: string;
  /** 2026年3月2日 */
  submittedDate: string;
  /** The day of the action the document records (受理, 补正, 不予受理): its date line. */
  actionDate: string;
  /** The same day as an ISO instant, for the PDF's CreationDate. */
  actionAt: string;
  caseType: 'immediate' | 'promised';
  promisedDays: number;
  promisedDate: string;
  note: string | null;
  /** 补正: the materials by name. */
  materials: string[];
  /** 不予受理: the reason. */
  reason: string | null;
};

/** Fills {name} placeholders; an unknown one stays as written so a typo in the wording shows. */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 72;
const INK = '#1a1a1a';
const MUTED = '#555555';
const SEAL_RED = '#c8161d';

export function renderCaseDocument(
  input: CaseDocumentInput,
  wording: DocumentWording,
  fonts: CjkFonts,
): Promise<Buffer> {
  const values: Record<string, string> = {
    hallName: input.hallName,
    receiptNo: input.receiptNo,
    applicant: input.applicant,
    itemName: input.itemName,
    itemCode: input.itemCode,
    submittedDate: input.submittedDate,
    actionDate: input.actionDate,
    promisedDays: String(input.promisedDays),
    promisedDate: input.promisedDate,
    note: input.note ?? '',
    reason: input.reason ?? '',
  };
  const t = (template: string) => fill(template, values);
  const title = wording[input.kind].title;

  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: true,
    info: {
      Title: `${title} ${input.receiptNo}`,
      Author: input.hallName,
      Creator: 'Zizhu Hall',
      Producer: 'Zizhu Hall',
      CreationDate: new Date(input.actionAt),
    },
  });
  doc.registerFont('regular', fonts.regular.path, fonts.regular.face);
  doc.registerFont('bold', fonts.bold.path, fonts.bold.face);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = A4.width - 2 * MARGIN;
  const paragraph = (text: string, opts: { indent?: boolean; size?: number } = {}) => {
    doc
      .font('regular')
      .fontSize(opts.size ?? 13)
      .fillColor(INK)
      .text(text, MARGIN, doc.y, {
        width,
        lineGap: 6,
        // pdfkit trims leading U+3000, so the two-character first-line indent is a measure.
        indent: opts.indent === false ? 0 : 2 * (opts.size ?? 13),
        align: 'justify',
      });
    doc.moveDown(0.6);
  };

  doc
    .font('bold')
    .fontSize(15)
    .fillColor(SEAL_RED)
    .text(input.hallName, MARGIN, MARGIN, { width, align: 'center' });
  doc.moveDown(0.4);
  doc.font('bold').fontSize(24).fillColor(INK).text(title, { width, align: 'center', characterSpacing: 4 });
  doc.moveDown(0.3);
  doc.font('regular').fontSize(11).fillColor(MUTED).text(t(wording.common.number), { width, align: 'right' });
  const ruleY = doc.y + 6;
  doc
    .moveTo(MARGIN, ruleY)
    .lineTo(A4.width - MARGIN, ruleY)
    .lineWidth(1.2)
    .strokeColor(SEAL_RED)
    .stroke();
  doc.y = ruleY + 18;
  paragraph(t(wording.common.salutation), { indent: false });

  switch (input.kind) {
    case 'acceptance': {
      const w = wording.acceptance;
      const [first, ...rest] = w.paragraphs;
      if (first !== undefined) paragraph(t(first));
      if (input.caseType === 'immediate') paragraph(t(w.immediate));
      else for (const p of rest) paragraph(t(p));
      if (input.note) paragraph(t(w.note));
      break;
    }
    case 'correction': {
      const w = wording.correction;
      for (const p of w.paragraphs) paragraph(t(p));
      paragraph(w.materialsHeading, { indent: false });
      input.materials.forEach((m, i) => paragraph(`${i + 1}. ${m}`));
      if (input.note) paragraph(t(w.note));
      for (const p of w.closing) paragraph(t(p));
      break;
    }
    case 'refusal': {
      const w = wording.refusal;
      for (const p of w.paragraphs) paragraph(t(p));
      paragraph(w.reasonHeading, { indent: false });
      paragraph(t(w.reason));
      for (const p of w.closing) paragraph(t(p));
      break;
    }
    default: {
      const never: never = input.kind;
      throw new Error(`unknown document ${String(never)}`);
    }
  }

  // The signature block: the hall's name and the date, right-aligned, the seal over them.
  if (doc.y + 30 + 150 > A4.height - MARGIN) doc.addPage();
  const top = doc.y + 30;
  const right = A4.width - MARGIN;
  doc.font('regular').fontSize(13).fillColor(INK);
  doc.text(input.hallName, MARGIN, top + 40, { width, align: 'right' });
  doc.text(t(wording.common.dateLine), MARGIN, top + 64, { width, align: 'right' });
  drawSeal(doc, right - 72, top + 56, 58, input.sealText);

  // The footer sits in the bottom margin: without lifting the margin pdfkit would start a page for it.
  doc.page.margins.bottom = 0;
  doc
    .font('regular')
    .fontSize(9)
    .fillColor(MUTED)
    .text(t(wording.common.footer), MARGIN, A4.height - MARGIN + 20, {
      width,
      align: 'center',
      lineBreak: false,
    });
  doc.end();
  return done;
}

/** A round red seal: a ring, a five-pointed star, and the text along the upper arc. */
function drawSeal(doc: PDFKit.PDFDocument, cx: number, cy: number, r: number, text: string): void {
  doc.save();
  doc.fillOpacity(0.85).strokeOpacity(0.85);
  doc.circle(cx, cy, r).lineWidth(2.5).strokeColor(SEAL_RED).stroke();
  const star = (outer: number): [number, number][] =>
    Array.from({ length: 10 }, (_, i) => {
      const radius = i % 2 === 0 ? outer : outer * 0.4;
      const a = -Math.PI / 2 + (i * Math.PI) / 5;
      return [cx + radius * Math.cos(a), cy + radius * Math.sin(a)];
    });
  doc
    .polygon(...star(r * 0.3))
    .fillColor(SEAL_RED)
    .fill();
  const chars = [...text];
  const size = Math.min(12, (r * 0.9 * Math.PI) / Math.max(chars.length, 1));
  // Spread over 240° of the top, centred on 12 o'clock, upright to the centre.
  const span = (Math.min(240, chars.length * 24) * Math.PI) / 180;
  doc.font('regular').fontSize(size).fillColor(SEAL_RED);
  chars.forEach((ch, i) => {
    const a = -Math.PI / 2 - span / 2 + (chars.length === 1 ? span / 2 : (i * span) / (chars.length - 1));
    const x = cx + (r - size * 0.95) * Math.cos(a);
    const y = cy + (r - size * 0.95) * Math.sin(a);
    doc.save();
    doc.rotate(((a + Math.PI / 2) * 180) / Math.PI, { origin: [x, y] });
    doc.text(ch, x - size / 2, y - size / 2, { width: size, align: 'center', lineBreak: false });
    doc.restore();
  });
  doc.restore();
}
