/**
 * 排队取号 queue ticket (scanners-and-queue.md "Queue tickets"): hall, category, the number with its
 * prefix in double size, people waiting (or an honest "unknown" when the number was taken offline),
 * time issued, window, QR and a short notice. A priority number (优先号, src/shared/queue-ticket.ts)
 * says so in double-height bold right under the number, with the reason, so the window clerk sees it.
 */
import { z } from 'zod';
import type { PrintDocument } from '../escpos/document.js';
import { PRIORITY_KINDS } from '../../../shared/queue-ticket.js';
import { DEFAULT_TIME_ZONE, formatDateTime, langSchema } from './format.js';

export const queueTicketInputSchema = z.object({
  lang: langSchema,
  hallName: z.string().min(1).max(80),
  /** Comprehensive window category, e.g. 证照联办. */
  categoryName: z.string().min(1).max(40),
  /** Number with its category prefix, e.g. A005. */
  number: z.string().min(1).max(12),
  /** People ahead; 'unknown' when the kiosk issued the number from its offline range. */
  waiting: z.union([z.number().int().min(0), z.literal('unknown')]),
  issuedAt: z.date(),
  window: z.string().min(1).max(40),
  /** Progress or 好差评 evaluation payload for the QR code. */
  qr: z.string().min(1).max(1000),
  notice: z.string().max(300).optional(),
  timeZone: z.string().optional(),
  /** 优先号: 老年人 / 残疾人 / 孕妇; absent for an ordinary number. */
  priority: z.enum(PRIORITY_KINDS).optional(),
});

export type QueueTicketInput = z.infer<typeof queueTicketInputSchema>;

const TEXT = {
  zh: {
    title: '排队取号凭条',
    waiting: (n: number) => `前方等待 ${n} 人`,
    waitingUnknown: '前方等待人数暂无法获取（离线取号）',
    issued: '取号时间',
    window: '办理窗口',
    scan: '扫码查看叫号进度或评价服务',
    notice: '请留意叫号屏幕和语音提示，过号请重新取号。本号当日有效。',
    priority: { elderly: '优先号 · 老年人', disabled: '优先号 · 残疾人', pregnant: '优先号 · 孕妇' },
    priorityNote: '优先号优先叫号，请在窗口出示相关证件。',
  },
  en: {
    title: 'QUEUE TICKET',
    waiting: (n: number) => (n === 1 ? '1 person ahead of you' : `${n} people ahead of you`),
    waitingUnknown: 'People ahead: not available (ticket issued offline)',
    issued: 'Issued',
    window: 'Window',
    scan: 'Scan to follow the queue or rate the service',
    notice:
      'Watch the display and listen for your number. If you miss it, please take a new ticket. Valid today only.',
    priority: {
      elderly: 'PRIORITY - Senior (60+)',
      disabled: 'PRIORITY - Disability',
      pregnant: 'PRIORITY - Pregnancy',
    },
    priorityNote: 'Priority numbers are called first. Please show proof at the window.',
  },
} as const;

export function queueTicket(input: QueueTicketInput): PrintDocument {
  const t = TEXT[input.lang];
  return {
    blocks: [
      { kind: 'text', text: input.hallName, align: 'center', bold: true },
      { kind: 'text', text: t.title, align: 'center' },
      { kind: 'rule' },
      { kind: 'text', text: input.categoryName, align: 'center', bold: true, size: { width: 1, height: 2 } },
      { kind: 'text', text: input.number, align: 'center', bold: true, size: { width: 2, height: 2 } },
      ...(input.priority
        ? [
            {
              kind: 'text' as const,
              text: t.priority[input.priority],
              align: 'center' as const,
              bold: true,
              size: { width: 1, height: 2 },
            },
            { kind: 'text' as const, text: t.priorityNote, align: 'center' as const },
          ]
        : []),
      {
        kind: 'text',
        text: input.waiting === 'unknown' ? t.waitingUnknown : t.waiting(input.waiting),
        align: 'center',
      },
      { kind: 'rule' },
      {
        kind: 'pair',
        label: t.issued,
        value: formatDateTime(input.issuedAt, input.timeZone ?? DEFAULT_TIME_ZONE),
      },
      { kind: 'pair', label: t.window, value: input.window },
      { kind: 'feed', lines: 1 },
      { kind: 'qr', data: input.qr, moduleSize: 5, errorCorrection: 'M', align: 'center' },
      { kind: 'feed', lines: 1 }, // quiet zone below the symbol
      { kind: 'text', text: t.scan, align: 'center' },
      { kind: 'rule' },
      { kind: 'text', text: input.notice ?? t.notice },
      { kind: 'cut', cut: 'partial', feedLines: 4 },
    ],
  };
}
