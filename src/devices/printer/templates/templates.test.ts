import { describe, expect, it } from 'vitest';
import { layoutDocument, type PrintDocument } from '../escpos/document.js';
import { textColumns } from '../escpos/gb18030.js';
import { applicationReceipt, applicationReceiptInputSchema } from './application-receipt.js';
import { sampleApplicationReceipt, sampleQueueTicket } from './fixtures.js';
import { formatDateTime } from './format.js';
import { queueTicket, queueTicketInputSchema } from './queue-ticket.js';
import { testPage } from './test-page.js';

function printedText(doc: PrintDocument, paperWidth: 58 | 80 = 80): string[] {
  return layoutDocument(doc, paperWidth).flatMap((l) =>
    l.kind === 'text' ? [l.text] : l.kind === 'qr' ? [`[QR:${new TextDecoder().decode(l.data)}]`] : [],
  );
}

function expectFits(doc: PrintDocument): void {
  for (const paperWidth of [58, 80] as const) {
    const columns = paperWidth === 58 ? 32 : 48;
    for (const l of layoutDocument(doc, paperWidth))
      if (l.kind === 'text') expect(textColumns(l.text) * l.size.width, l.text).toBeLessThanOrEqual(columns);
  }
}

describe('application receipt (收件材料接收凭证)', () => {
  it('zh: title, every field, materials with pages / e-licence, EMS address, phone, QR, notice, cut', () => {
    const doc = applicationReceipt(sampleApplicationReceipt());
    const text = printedText(doc);
    const all = text.join('\n');
    expect(text[0]).toBe('西咸新区政务服务中心');
    expect(text[1]).toBe('收件材料接收凭证');
    expect(all).toMatch(/办件编号 +XA202611260001/);
    expect(all).toMatch(/事项名称 +企业设立登记（有限责任公司）/);
    expect(all).toMatch(/申请人 +张\*三/);
    expect(all).toMatch(/提交时间 +2026-11-26 14:05/); // 06:05 UTC in China Standard Time
    expect(all).toMatch(/承诺办结 +2026-12-10/);
    expect(all).toContain('已收材料（共 4 项）');
    expect(all).toMatch(/1\. 居民身份证 +2 页/);
    expect(all).toMatch(/2\. 营业执照 +已调用电子证照/);
    expect(all).toMatch(/取件方式 +EMS 免费邮寄/);
    expect(all).toMatch(/邮寄地址 +陕西省西安市雁塔区科技路\*\*号/);
    expect(all).toMatch(/咨询电话 +029-12345678/);
    expect(all).toContain('[QR:https://zwfw.example.gov.cn/progress/XA202611260001]');
    expect(all).toContain('扫码查询办理进度');
    expect(all).toContain('无需再跑一趟');
    expect(doc.blocks.at(-1)).toEqual({ kind: 'cut', cut: 'partial', feedLines: 4 });
    expectFits(doc);
  });

  it('en: English labels with the official Chinese title kept, pickup instead of EMS', () => {
    const doc = applicationReceipt(
      sampleApplicationReceipt({ lang: 'en', delivery: { method: 'pickup', place: 'Window 3' } }),
    );
    const all = printedText(doc).join('\n');
    expect(all).toContain('APPLICATION RECEIPT');
    expect(all).toContain('收件材料接收凭证');
    expect(all).toMatch(/Receipt no\. +XA202611260001/);
    expect(all).toMatch(/Applicant +张\*三/);
    expect(all).toMatch(/1\. 居民身份证 +2 pages/);
    expect(all).toMatch(/2\. 营业执照 +e-licence on file/);
    expect(all).toMatch(/Delivery +Collect at the hall/);
    expect(all).toMatch(/Collect at +Window 3/);
    expect(all).not.toContain('EMS');
    expect(all).not.toMatch(/[办件编号申请人]{3}/);
    expectFits(doc);
  });

  it('prints the masked name it was given and nothing else about the applicant', () => {
    const doc = applicationReceipt(sampleApplicationReceipt({ applicantMasked: '欧阳*娜' }));
    const all = printedText(doc).join('\n');
    expect(all).toMatch(/申请人 +欧阳\*娜/);
  });

  it('validates its input at the boundary', () => {
    expect(applicationReceiptInputSchema.safeParse(sampleApplicationReceipt()).success).toBe(true);
    expect(
      applicationReceiptInputSchema.safeParse({ ...sampleApplicationReceipt(), promisedDate: '10/12/2026' })
        .success,
    ).toBe(false);
    expect(
      applicationReceiptInputSchema.safeParse({
        ...sampleApplicationReceipt(),
        materials: [{ kind: 'scanned', name: 'x', pages: 0 }],
      }).success,
    ).toBe(false);
    expect(
      applicationReceiptInputSchema.safeParse({ ...sampleApplicationReceipt(), lang: 'fr' }).success,
    ).toBe(false);
  });
});

describe('queue ticket (排队取号)', () => {
  it('zh: number in double size, people waiting, time, window, QR', () => {
    const doc = queueTicket(sampleQueueTicket());
    const layout = layoutDocument(doc, 58);
    const number = layout.find((l) => l.kind === 'text' && l.text === 'A005');
    expect(number).toMatchObject({ size: { width: 2, height: 2 }, align: 'center', bold: true });
    const all = printedText(doc, 58).join('\n');
    expect(all).toContain('证照联办');
    expect(all).toContain('前方等待 3 人');
    expect(all).toMatch(/取号时间 +2026-11-26 09:30/);
    expect(all).toMatch(/办理窗口 +3 号综合窗口/);
    expect(all).toContain('[QR:https://zwfw.example.gov.cn/queue/A005?d=20261126]');
    expectFits(doc);
  });

  it('offline: says honestly that the number of people waiting is unknown, in zh and en', () => {
    expect(printedText(queueTicket(sampleQueueTicket({ waiting: 'unknown' }))).join('\n')).toContain(
      '前方等待人数暂无法获取（离线取号）',
    );
    // wrapped lines joined back with spaces
    const en = printedText(queueTicket(sampleQueueTicket({ lang: 'en', waiting: 'unknown' }))).join(' ');
    expect(en).toContain('People ahead: not available (ticket issued offline)');
    expect(printedText(queueTicket(sampleQueueTicket({ lang: 'en', waiting: 1 }))).join('\n')).toContain(
      '1 person ahead of you',
    );
    expect(queueTicketInputSchema.safeParse(sampleQueueTicket({ waiting: 'unknown' })).success).toBe(true);
    expect(queueTicketInputSchema.safeParse({ ...sampleQueueTicket(), waiting: -1 }).success).toBe(false);
  });
});

describe('technician test page', () => {
  it('has the kiosk name, address, paper width, ￥, a raster line for 𠮷, a QR code and the status', () => {
    const doc = testPage({
      address: 'tcp://10.0.0.5:9100',
      paperWidth: 58,
      status: { status: 'paper-near-end', detail: 'paper near end (DLE EOT 1..4 = 12 12 12 1E)' },
      printedAt: new Date('2026-11-26T02:00:00Z'),
      kioskId: 'XX-001',
    });
    const layout = layoutDocument(doc, 58);
    const all = printedText(doc, 58).join('\n');
    expect(all).toContain('政务服务自助终端');
    expect(all).toMatch(/地址 Address +tcp:\/\/10\.0\.0\.5:9100/);
    expect(all).toMatch(/纸宽 Paper +58mm 384dots 32cols/);
    expect(all).toMatch(/状态 Status +paper-near-end/);
    expect(all).toContain('￥128.00');
    expect(all).not.toContain('¥');
    expect(layout.some((l) => l.kind === 'text' && l.raster && l.text.includes('𠮷'))).toBe(true);
    expect(layout.some((l) => l.kind === 'qr')).toBe(true);
    expect(all).toContain('12345678901234567890123456789012');
    expectFits(doc);
  });
});

describe('formatDateTime', () => {
  it('prints kiosk-local time (China Standard Time by default)', () => {
    expect(formatDateTime(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01 00:30');
    expect(formatDateTime(new Date('2026-12-31T16:30:00Z'), 'UTC')).toBe('2026-12-31 16:30');
  });
});
