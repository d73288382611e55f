/**
 * 收件材料接收凭证 (receipt of application materials, docs/domain.md, "Stages (环节)"): a pure function
 * from the application's printable facts to a print document. Personal data arrives already masked
 * (张*三, masked EMS address); the template never sees raw names or ID numbers.
 */
import { z } from 'zod';
import { formatAccessCode, isAccessCode } from '../../../shared/access-code.js';
import type { Block, PrintDocument } from '../escpos/document.js';
import { DEFAULT_TIME_ZONE, formatDateTime, isoDateSchema, langSchema } from './format.js';

const materialSchema = z.discriminatedUnion('kind', [
  /** Scanned at the kiosk: name × pages. */
  z.object({
    kind: z.literal('scanned'),
    name: z.string().min(1).max(200),
    pages: z.number().int().min(1).max(9999),
  }),
  /** Taken from the shared electronic licence store (已调用电子证照), nothing scanned. */
  z.object({ kind: z.literal('e-licence'), name: z.string().min(1).max(200) }),
]);

export const applicationReceiptInputSchema = z.object({
  lang: langSchema,
  hallName: z.string().min(1).max(80),
  receiptNo: z.string().min(1).max(40),
  itemName: z.string().min(1).max(200),
  /** Already masked, e.g. 张*三. */
  applicantMasked: z.string().min(1).max(40),
  submittedAt: z.date(),
  /** Promised completion date (承诺办结), computed in working days elsewhere. */
  promisedDate: isoDateSchema,
  materials: z.array(materialSchema).max(100),
  delivery: z.discriminatedUnion('method', [
    /** Free EMS delivery (最多跑一次); the address already masked. */
    z.object({ method: z.literal('ems'), addressMasked: z.string().min(1).max(200) }),
    /** 窗口领取, optionally naming the window. */
    z.object({ method: z.literal('pickup'), place: z.string().min(1).max(80).optional() }),
  ]),
  hallPhone: z.string().min(1).max(40),
  /**
   * The receipt access code (docs/security.md, "Receipt access codes"): with the receipt number it
   * lets the holder act on the application at a kiosk. Printed in words and carried in the QR code.
   */
  accessCode: z.string().refine(isAccessCode, 'expected an 8-symbol access code').optional(),
  /** Progress URL or payload for the QR code (手机办). */
  progressQr: z.string().min(1).max(1000),
  timeZone: z.string().optional(),
});

export type ApplicationReceiptInput = z.infer<typeof applicationReceiptInputSchema>;

const TEXT = {
  zh: {
    title: '收件材料接收凭证',
    subtitle: null,
    receiptNo: '办件编号',
    accessCode: '查询码',
    accessCodeNotice: '查询码用于补正、评价和查看详情，请勿告知他人。',
    item: '事项名称',
    applicant: '申请人',
    submitted: '提交时间',
    promised: '承诺办结',
    materials: (n: number) => `已收材料（共 ${n} 项）`,
    noMaterials: '（无纸质材料）',
    pages: (n: number) => `${n} 页`,
    eLicence: '已调用电子证照',
    delivery: '取件方式',
    ems: 'EMS 免费邮寄',
    address: '邮寄地址',
    pickup: '窗口领取',
    place: '领取地点',
    phone: '咨询电话',
    scan: '扫码查询办理进度',
    notice:
      '请妥善保管本凭证。扫描二维码或凭办件编号可查询办理进度；如需补正材料，可在任一自助终端或网上办理，无需再跑一趟。',
  },
  en: {
    title: 'APPLICATION RECEIPT',
    subtitle: '收件材料接收凭证',
    receiptNo: 'Receipt no.',
    accessCode: 'Access code',
    accessCodeNotice: 'The access code lets you correct, rate or see this application. Keep it to yourself.',
    item: 'Service',
    applicant: 'Applicant',
    submitted: 'Submitted',
    promised: 'Promised by',
    materials: (n: number) => `Materials received (${n})`,
    noMaterials: '(no paper materials)',
    pages: (n: number) => (n === 1 ? '1 page' : `${n} pages`),
    eLicence: 'e-licence on file',
    delivery: 'Delivery',
    ems: 'Free EMS delivery',
    address: 'Address',
    pickup: 'Collect at the hall',
    place: 'Collect at',
    phone: 'Hall phone',
    scan: 'Scan to check progress',
    notice:
      'Please keep this receipt. Scan the QR code or quote the receipt number to check progress. If anything needs correcting you can do it online or at any kiosk - no second trip.',
  },
} as const;

export function applicationReceipt(input: ApplicationReceiptInput): PrintDocument {
  const t = TEXT[input.lang];
  const tz = input.timeZone ?? DEFAULT_TIME_ZONE;
  const blocks: Block[] = [
    { kind: 'text', text: input.hallName, align: 'center', bold: true },
    // 58 mm paper fits 8 double-width CJK characters: exactly the Chinese title.
    input.lang === 'zh'
      ? { kind: 'text', text: t.title, align: 'center', bold: true, size: { width: 2, height: 2 } }
      : { kind: 'text', text: t.title, align: 'center', bold: true, size: { width: 1, height: 2 } },
  ];
  if (t.subtitle !== null) blocks.push({ kind: 'text', text: t.subtitle, align: 'center' });
  blocks.push(
    { kind: 'rule' },
    { kind: 'pair', label: t.receiptNo, value: input.receiptNo, bold: true },
    ...(input.accessCode !== undefined
      ? [
          {
            kind: 'pair',
            label: t.accessCode,
            value: formatAccessCode(input.accessCode),
            bold: true,
          } as const,
        ]
      : []),
    { kind: 'pair', label: t.item, value: input.itemName },
    { kind: 'pair', label: t.applicant, value: input.applicantMasked },
    { kind: 'pair', label: t.submitted, value: formatDateTime(input.submittedAt, tz) },
    { kind: 'pair', label: t.promised, value: input.promisedDate },
    { kind: 'rule' },
    { kind: 'text', text: t.materials(input.materials.length), bold: true },
  );
  if (input.materials.length === 0) blocks.push({ kind: 'text', text: t.noMaterials });
  input.materials.forEach((m, i) => {
    const number = `${i + 1}. `;
    blocks.push({
      kind: 'pair',
      label: number + m.name,
      labelIndent: number.length,
      value: m.kind === 'scanned' ? t.pages(m.pages) : t.eLicence,
    });
  });
  blocks.push({ kind: 'rule' });
  switch (input.delivery.method) {
    case 'ems':
      blocks.push(
        { kind: 'pair', label: t.delivery, value: t.ems },
        { kind: 'pair', label: t.address, value: input.delivery.addressMasked },
      );
      break;
    case 'pickup':
      blocks.push({ kind: 'pair', label: t.delivery, value: t.pickup });
      if (input.delivery.place !== undefined)
        blocks.push({ kind: 'pair', label: t.place, value: input.delivery.place });
      break;
    default: {
      const never: never = input.delivery;
      throw new Error(`unknown delivery ${JSON.stringify(never)}`);
    }
  }
  blocks.push(
    { kind: 'pair', label: t.phone, value: input.hallPhone },
    { kind: 'feed', lines: 1 },
    { kind: 'qr', data: input.progressQr, moduleSize: 6, errorCorrection: 'M', align: 'center' },
    { kind: 'feed', lines: 1 }, // quiet zone below the symbol
    { kind: 'text', text: t.scan, align: 'center' },
    { kind: 'rule' },
    { kind: 'text', text: t.notice },
    ...(input.accessCode !== undefined ? [{ kind: 'text', text: t.accessCodeNotice } as const] : []),
    { kind: 'cut', cut: 'partial', feedLines: 4 },
  );
  return { blocks };
}
