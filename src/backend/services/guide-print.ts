/**
 * 办事指南 printing (docs/resident-journey.md, "办事指南"): a summary on the receipt printer, or — when the hall has
 * configured a system (CUPS) printer for A4 — the full guide as a PDF (pdfkit, Noto CJK) sent with
 * `lp`. Without an A4 printer the receipt summary is what a resident gets.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printer as printers, scanner, type DeviceManager } from '../../devices/index.js';
import type { Localized, ServiceItem } from '../../shared/index.js';
import { err, notFound, ok, type NotFound, type Result } from '../../shared/result.js';
import type { CatalogService } from './catalog.js';

type Lang = 'zh' | 'en';

export type GuidePrintError =
  /** No service item by that code (any more: the catalog changed). */
  NotFound | { kind: 'no-printer'; detail: string | null } | { kind: 'print-failed'; detail: string };

export type GuidePrintResult = Result<{ via: 'receipt' | 'a4' }, GuidePrintError>;

function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

export function timeLimitText(item: ServiceItem, lang: Lang): string {
  if (item.caseType === 'immediate') return lang === 'zh' ? '即办' : 'On the spot';
  const legal =
    item.legalDays === 0
      ? lang === 'zh'
        ? '法定无时限'
        : 'no statutory limit'
      : lang === 'zh'
        ? `法定 ${item.legalDays} 个工作日`
        : `statutory ${item.legalDays} working days`;
  const promised =
    lang === 'zh' ? `承诺 ${item.promisedDays} 个工作日` : `promised ${item.promisedDays} working days`;
  return `${legal} / ${promised}`;
}

function feeText(item: ServiceItem, lang: Lang): string {
  if (!item.fee.charged) return lang === 'zh' ? '不收费' : 'Free';
  return `￥${yuan(item.fee.amountFen ?? 0)} ${item.fee.description[lang]}`;
}

/** The full guide on A4. */
export async function renderGuidePdf(item: ServiceItem, lang: Lang, hallName: string): Promise<Buffer> {
  // pdfkit (with fontkit) loads with the first A4 guide, not when the kiosk starts.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: item.name[lang], CreationDate: new Date(0) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.registerFont('cjk', scanner.NOTO_CJK_PATH, scanner.NOTO_CJK_FACE);
  doc.font('cjk');
  const L = (l: Localized) => l[lang];
  const head = (text: string) =>
    doc.moveDown(0.6).fontSize(13).fillColor('#0b3d91').text(text).fillColor('#16202e').fontSize(11);
  doc.fontSize(10).fillColor('#4a5870').text(hallName, { align: 'right' });
  doc.fontSize(18).fillColor('#082f74').text(L(item.name));
  doc.fontSize(11).fillColor('#16202e');
  doc.text(`${lang === 'zh' ? '实施主体' : 'Department'}: ${L(item.department)}`);
  doc.text(`${lang === 'zh' ? '办理时限' : 'Time limit'}: ${timeLimitText(item, lang)}`);
  doc.text(`${lang === 'zh' ? '收费' : 'Fee'}: ${feeText(item, lang)}`);
  head(lang === 'zh' ? '受理条件' : 'Conditions');
  doc.text(L(item.conditions));
  head(lang === 'zh' ? '申请材料' : 'Materials');
  item.materials.forEach((m, i) => {
    const counts =
      lang === 'zh'
        ? `原件 ${m.originals} 份，复印件 ${m.copies} 份`
        : `${m.originals} original(s), ${m.copies} cop(ies)`;
    const licence =
      m.source === 'shared-licence' ? (lang === 'zh' ? '（可调用电子证照）' : ' (e-licence accepted)') : '';
    doc.text(
      `${i + 1}. ${L(m.name)}${m.required ? '' : lang === 'zh' ? '（如有）' : ' (if any)'}${licence} — ${counts}`,
    );
    doc
      .fontSize(9)
      .fillColor('#4a5870')
      .text(`   ${L(m.issuer)} · ${L(m.requirements)}`)
      .fontSize(11)
      .fillColor('#16202e');
  });
  head(lang === 'zh' ? '办理流程' : 'Steps');
  item.steps.forEach((s, i) => doc.text(`${i + 1}. ${L(s.title)}: ${L(s.description)}`));
  head(lang === 'zh' ? '办理结果与送达' : 'Result and delivery');
  doc.text(
    `${L(item.resultName)} · ${[item.delivery.ems ? (lang === 'zh' ? 'EMS 免费邮寄' : 'free EMS delivery') : null, item.delivery.pickup ? (lang === 'zh' ? '窗口领取' : 'collect at the hall') : null].filter(Boolean).join(' / ')}`,
  );
  head(lang === 'zh' ? '办理地点与咨询' : 'Where and enquiries');
  doc.text(`${L(item.location)} · ${L(item.hours)}`);
  doc.text(
    `${lang === 'zh' ? '咨询电话' : 'Enquiries'}: ${item.consultPhone}   ${lang === 'zh' ? '监督电话' : 'Supervision'}: ${item.supervisePhone}`,
  );
  doc.end();
  return done;
}

/** `lp -d <queue> <file>`: resolves with lp's verdict (exit code and stderr). */
export function sendToCups(
  queue: string,
  file: string,
  lp = 'lp',
): Promise<Result<null, { kind: 'lp-failed'; detail: string }>> {
  return new Promise((resolve) => {
    const child = spawn(lp, ['-d', queue, file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve(err({ kind: 'lp-failed', detail: e.message })));
    child.on('close', (code) =>
      resolve(
        code === 0 ? ok(null) : err({ kind: 'lp-failed', detail: stderr.trim() || `lp exited with ${code}` }),
      ),
    );
  });
}

export function createGuidePrinter(deps: {
  catalog: CatalogService;
  devices: DeviceManager;
  hallName: Localized;
  /** CUPS queue for A4, when the hall has one. */
  a4Printer: string | null;
  /** Base of the guide link in the QR code. */
  guideUrl: string;
  lpCommand?: string;
}) {
  return {
    async print(code: string, lang: Lang, format: 'receipt' | 'a4'): Promise<GuidePrintResult> {
      const item = deps.catalog.item(code);
      if (!item) return notFound();
      if (format === 'a4') {
        if (!deps.a4Printer) return err({ kind: 'no-printer', detail: 'no A4 printer is configured' });
        const dir = await mkdtemp(join(tmpdir(), 'zizhu-guide-'));
        try {
          const file = join(dir, `${item.code}.pdf`);
          await writeFile(file, await renderGuidePdf(item, lang, deps.hallName[lang]));
          const sent = await sendToCups(deps.a4Printer, file, deps.lpCommand);
          return sent.ok ? ok({ via: 'a4' }) : err({ kind: 'print-failed', detail: sent.error.detail });
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }
      const p = deps.devices.receiptPrinter();
      if (!p) return err({ kind: 'no-printer', detail: null });
      const outcome = await p.print(
        printers.guideSummary({
          lang,
          hallName: deps.hallName[lang],
          itemName: item.name[lang],
          department: item.department[lang],
          timeLimit: timeLimitText(item, lang),
          fee: feeText(item, lang),
          materials: item.materials.map((m) => ({
            name: m.name[lang],
            originals: m.originals,
            copies: m.copies,
            required: m.required,
            eLicence: m.source === 'shared-licence',
          })),
          steps: item.steps.map((s) => s.title[lang]),
          location: item.location[lang],
          consultPhone: item.consultPhone,
          guideQr: `${deps.guideUrl.replace(/\/+$/, '')}/guide?item=${encodeURIComponent(item.code)}`,
        }),
      );
      return outcome.kind === 'printed'
        ? ok({ via: 'receipt' })
        : err({ kind: 'print-failed', detail: printers.printOutcomeText(outcome, lang) });
    },
  };
}
export type GuidePrinter = ReturnType<typeof createGuidePrinter>;
