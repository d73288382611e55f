/**
 * 办事指南 summary on the receipt printer (docs/resident-journey.md, "办事指南"): what a resident takes home to
 * prepare — the item, time limits, fee, the exact materials with originals/copies, the steps, where and whom
 * to call, and a QR code of the full guide.
 */
import type { Block, PrintDocument } from '../escpos/document.js';
import type { TemplateLang } from './format.js';

export type GuideSummaryInput = {
  lang: TemplateLang;
  hallName: string;
  itemName: string;
  department: string;
  /** e.g. "法定 20 个工作日 / 承诺 10 个工作日" or "即办". */
  timeLimit: string;
  fee: string;
  materials: { name: string; originals: number; copies: number; required: boolean; eLicence: boolean }[];
  steps: string[];
  location: string;
  consultPhone: string;
  guideQr: string;
};

const TEXT = {
  zh: {
    title: '办事指南（摘要）',
    department: '实施主体',
    limit: '办理时限',
    fee: '收费',
    materials: '申请材料',
    original: (n: number) => `原件${n}份`,
    copy: (n: number) => `复印件${n}份`,
    optional: '（如有）',
    eLicence: '可调用电子证照',
    steps: '办理流程',
    location: '办理地点',
    phone: '咨询电话',
    scan: '扫码查看完整指南',
  },
  en: {
    title: 'SERVICE GUIDE (SUMMARY)',
    department: 'Department',
    limit: 'Time limit',
    fee: 'Fee',
    materials: 'Materials',
    original: (n: number) => `${n} original${n === 1 ? '' : 's'}`,
    copy: (n: number) => `${n} cop${n === 1 ? 'y' : 'ies'}`,
    optional: ' (if any)',
    eLicence: 'e-licence accepted',
    steps: 'Steps',
    location: 'Where',
    phone: 'Enquiries',
    scan: 'Scan for the full guide',
  },
} as const;

export function guideSummary(input: GuideSummaryInput): PrintDocument {
  const t = TEXT[input.lang];
  const materials: Block[] = input.materials.map((m, i) => {
    const counts = [m.originals > 0 ? t.original(m.originals) : null, m.copies > 0 ? t.copy(m.copies) : null]
      .filter((x) => x !== null)
      .join(input.lang === 'zh' ? '，' : ', ');
    const extra = [m.required ? '' : t.optional, m.eLicence ? ` [${t.eLicence}]` : ''].join('');
    return { kind: 'text', text: `${i + 1}. ${m.name}${extra} — ${counts}` };
  });
  return {
    blocks: [
      { kind: 'text', text: input.hallName, align: 'center', bold: true },
      { kind: 'text', text: t.title, align: 'center', bold: true },
      { kind: 'rule' },
      { kind: 'text', text: input.itemName, bold: true },
      { kind: 'pair', label: t.department, value: input.department },
      { kind: 'pair', label: t.limit, value: input.timeLimit },
      { kind: 'pair', label: t.fee, value: input.fee },
      { kind: 'rule', char: '.' },
      { kind: 'text', text: t.materials, bold: true },
      ...materials,
      { kind: 'rule', char: '.' },
      { kind: 'text', text: t.steps, bold: true },
      ...input.steps.map((s, i): Block => ({ kind: 'text', text: `${i + 1}. ${s}` })),
      { kind: 'rule', char: '.' },
      { kind: 'pair', label: t.location, value: input.location },
      { kind: 'pair', label: t.phone, value: input.consultPhone },
      { kind: 'feed', lines: 1 },
      { kind: 'qr', data: input.guideQr, moduleSize: 4, errorCorrection: 'M', align: 'center' },
      { kind: 'feed', lines: 1 },
      { kind: 'text', text: t.scan, align: 'center' },
      { kind: 'cut', cut: 'partial', feedLines: 4 },
    ],
  };
}
