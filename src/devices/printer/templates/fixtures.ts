/**
 * Sample template inputs (made-up people and places) used by tests, the benchmark and the simulator
 * previews, so every figure is measured on the same "standard application receipt".
 */
import type { ApplicationReceiptInput } from './application-receipt.js';
import type { QueueTicketInput } from './queue-ticket.js';

export function sampleApplicationReceipt(
  overrides: Partial<ApplicationReceiptInput> = {},
): ApplicationReceiptInput {
  return {
    lang: 'zh',
    hallName: '西咸新区政务服务中心',
    receiptNo: 'XA202611260001',
    itemName: '企业设立登记（有限责任公司）',
    applicantMasked: '张*三',
    submittedAt: new Date('2026-11-26T06:05:00Z'),
    promisedDate: '2026-12-10',
    materials: [
      { kind: 'scanned', name: '居民身份证', pages: 2 },
      { kind: 'e-licence', name: '营业执照' },
      { kind: 'scanned', name: '公司章程（全体股东签字）', pages: 12 },
      { kind: 'scanned', name: '住所使用证明（租赁合同及产权证明）', pages: 5 },
    ],
    delivery: { method: 'ems', addressMasked: '陕西省西安市雁塔区科技路**号' },
    hallPhone: '029-12345678',
    progressQr: 'https://zwfw.example.gov.cn/progress/XA202611260001',
    ...overrides,
  };
}

export function sampleQueueTicket(overrides: Partial<QueueTicketInput> = {}): QueueTicketInput {
  return {
    lang: 'zh',
    hallName: '西咸新区政务服务中心',
    categoryName: '证照联办',
    number: 'A005',
    waiting: 3,
    issuedAt: new Date('2026-11-26T01:30:00Z'),
    window: '3 号综合窗口',
    qr: 'https://zwfw.example.gov.cn/queue/A005?d=20261126',
    ...overrides,
  };
}
