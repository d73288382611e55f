/**
 * 办理结果通知单: what a 即办件 (immediate item) prints when the hall decides while the resident waits
 * at the kiosk (立等可取, reform point 12 in docs/domain.md). Personal data arrives masked.
 */
import type { PrintDocument } from '../escpos/document.js';
import { DEFAULT_TIME_ZONE, formatDateTime, type TemplateLang } from './format.js';

export type DecisionSlipInput = {
  lang: TemplateLang;
  hallName: string;
  receiptNo: string;
  itemName: string;
  applicantMasked: string;
  decision: 'completed' | 'refused';
  /** The hall's result text (结果名称 or the refusal reason). */
  note: string | null;
  decidedAt: Date;
  progressQr: string;
  timeZone?: string;
};

const TEXT = {
  zh: {
    title: '办理结果通知单',
    receiptNo: '办件编号',
    item: '事项名称',
    applicant: '申请人',
    result: '办理结果',
    completed: '已办结',
    refused: '不予办理',
    note: '说明',
    at: '办结时间',
    scan: '扫码查看详情',
  },
  en: {
    title: 'DECISION NOTICE',
    receiptNo: 'Receipt no.',
    item: 'Service',
    applicant: 'Applicant',
    result: 'Result',
    completed: 'Completed',
    refused: 'Refused',
    note: 'Note',
    at: 'Decided',
    scan: 'Scan for details',
  },
} as const;

export function decisionSlip(input: DecisionSlipInput): PrintDocument {
  const t = TEXT[input.lang];
  return {
    blocks: [
      { kind: 'text', text: input.hallName, align: 'center', bold: true },
      { kind: 'text', text: t.title, align: 'center', bold: true, size: { width: 1, height: 2 } },
      { kind: 'rule' },
      { kind: 'pair', label: t.receiptNo, value: input.receiptNo },
      { kind: 'pair', label: t.item, value: input.itemName },
      { kind: 'pair', label: t.applicant, value: input.applicantMasked },
      {
        kind: 'pair',
        label: t.result,
        value: input.decision === 'completed' ? t.completed : t.refused,
        bold: true,
      },
      ...(input.note ? [{ kind: 'pair' as const, label: t.note, value: input.note }] : []),
      {
        kind: 'pair',
        label: t.at,
        value: formatDateTime(input.decidedAt, input.timeZone ?? DEFAULT_TIME_ZONE),
      },
      { kind: 'feed', lines: 1 },
      { kind: 'qr', data: input.progressQr, moduleSize: 5, errorCorrection: 'M', align: 'center' },
      { kind: 'feed', lines: 1 },
      { kind: 'text', text: t.scan, align: 'center' },
      { kind: 'cut', cut: 'partial', feedLines: 4 },
    ],
  };
}
