/**
 * Multi-page PDF for the application archive (申请材料归档): one A4 page per scanned page, the image
 * fitted and centred (landscape images get a landscape page), an optional header line in Chinese set
 * in Noto Sans CJK SC with the page number. JPEG pages are embedded as they are (DCTDecode), so the
 * archive costs little more than its pages.
 */
import { existsSync } from 'node:fs';
import { NOTO_CJK_FACE, NOTO_CJK_PATH } from '../../shared/cjk-font.js';
import { err, ok, type Result } from '../result.js';

export type ArchivePage = { data: Buffer; width: number; height: number };

export type ArchiveOptions = {
  /** One line on top of every page, e.g. "居民身份证 · 受理号 R2026…" (no personal data). */
  header?: string;
  title?: string;
  /** Fixed for reproducible output; defaults to now. */
  creationDate?: Date;
  fontPath?: string;
  /** PostScript name of the face inside a .ttc collection. */
  fontFace?: string;
};

export type ArchiveError =
  | { kind: 'no-pages'; message: string }
  | { kind: 'font-missing'; message: string }
  | { kind: 'bad-image'; message: string; index: number };

// The font's place is shared with the hall's documents (src/shared/cjk-font.ts).
export { NOTO_CJK_FACE, NOTO_CJK_PATH };

/** A4 in PDF points (1/72 in): 210 × 297 mm. */
const A4 = { short: 595.28, long: 841.89 };
const MARGIN = 28;
const HEADER_BAND = 22;
const HEADER_SIZE = 10;

export async function assembleArchivePdf(
  pages: readonly ArchivePage[],
  options: ArchiveOptions = {},
): Promise<Result<Buffer, ArchiveError>> {
  if (pages.length === 0) return err({ kind: 'no-pages', message: 'an archive needs at least one page' });
  const header = options.header?.trim() ?? '';
  const fontPath = options.fontPath ?? NOTO_CJK_PATH;
  if (header !== '' && !existsSync(fontPath)) {
    return err({
      kind: 'font-missing',
      message: `the CJK font ${fontPath} is not installed (Debian: fonts-noto-cjk)`,
    });
  }

  // pdfkit (with fontkit) is loaded by the first archive, not when the kiosk starts.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    autoFirstPage: false,
    margin: 0,
    compress: true,
    info: {
      Title: options.title ?? header,
      Creator: 'Zizhu Kiosk',
      Producer: 'Zizhu Kiosk',
      CreationDate: options.creationDate ?? new Date(),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  if (header !== '') doc.registerFont('cjk', fontPath, options.fontFace ?? NOTO_CJK_FACE);

  for (const [index, page] of pages.entries()) {
    const landscape = page.width > page.height;
    const pw = landscape ? A4.long : A4.short;
    const ph = landscape ? A4.short : A4.long;
    doc.addPage({ size: [pw, ph], margin: 0 });
    let top = MARGIN;
    if (header !== '') {
      const numbering = `第 ${index + 1} / ${pages.length} 页`;
      doc.font('cjk').fontSize(HEADER_SIZE).fillColor('#000000');
      const numberWidth = doc.widthOfString(numbering);
      doc.text(numbering, pw - MARGIN - numberWidth, MARGIN, { lineBreak: false });
      doc.text(header, MARGIN, MARGIN, {
        width: pw - 2 * MARGIN - numberWidth - 12,
        height: HEADER_SIZE * 1.5,
        lineBreak: false,
        ellipsis: true,
      });
      doc
        .moveTo(MARGIN, MARGIN + HEADER_BAND - 6)
        .lineTo(pw - MARGIN, MARGIN + HEADER_BAND - 6)
        .lineWidth(0.5)
        .strokeColor('#888888')
        .stroke();
      top = MARGIN + HEADER_BAND;
    }
    try {
      doc.image(page.data, MARGIN, top, {
        fit: [pw - 2 * MARGIN, ph - top - MARGIN],
        align: 'center',
        valign: 'center',
      });
    } catch (e) {
      doc.end();
      await done;
      return err({
        kind: 'bad-image',
        message: `page ${index + 1} is not a JPEG or PNG image: ${e instanceof Error ? e.message : String(e)}`,
        index,
      });
    }
  }
  doc.end();
  return ok(await done);
}
