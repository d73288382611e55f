/** What the kiosk shows residents and technicians for each printer status (zh first, en on request). */
import type { PrinterStatus } from './escpos/status.js';
import type { PrintOutcome } from './types.js';

export type Lang = 'zh' | 'en';

const STATUS_TEXT: Record<PrinterStatus, Record<Lang, string>> = {
  ready: { zh: '打印机正常', en: 'Printer ready' },
  'paper-near-end': {
    zh: '打印纸即将用完，请通知工作人员更换',
    en: 'Paper is running low — please tell the staff',
  },
  'paper-out': {
    zh: '打印机缺纸，暂时无法打印，请联系工作人员',
    en: 'The printer is out of paper — please ask the staff for help',
  },
  'cover-open': {
    zh: '打印机舱盖未关闭，请联系工作人员',
    en: 'The printer cover is open — please ask the staff for help',
  },
  offline: { zh: '打印机未连接，暂时无法打印', en: 'The printer is not connected — printing is unavailable' },
  error: { zh: '打印机故障，请联系工作人员', en: 'The printer has a fault — please ask the staff for help' },
};

export function printerStatusText(status: PrinterStatus, lang: Lang): string {
  return STATUS_TEXT[status][lang];
}

/** One sentence for the resident after a print attempt. */
export function printOutcomeText(outcome: PrintOutcome, lang: Lang): string {
  switch (outcome.kind) {
    case 'printed':
      return lang === 'zh' ? '打印完成，请取走凭证' : 'Printed — please take your receipt';
    case 'refused':
      return printerStatusText(outcome.status.status, lang);
    case 'interrupted':
      return lang === 'zh'
        ? '打印可能不完整，请联系工作人员补打（您的办件已保存）'
        : 'The printout may be incomplete — ask the staff to reprint it (your application is saved)';
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(never)}`);
    }
  }
}
