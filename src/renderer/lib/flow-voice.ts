/**
 * What the kiosk says in 进度查询, 排队取号 and 服务评价 (docs/resident-journey.md, "Voice"): like the
 * apply flow's prompts (voice-prompts.ts), each screen says what to do next rather than its title; a
 * refused entry is read out in words; a result is said — the case status in words with its receipt
 * number one character at a time, the queue number and the window to wait at, the thanks after a
 * rating. Text only from the i18n resources (sessionFlow.voice.*, and the flows' own sentences the
 * screen shows); never personal data: no name, no ID number, and a typed value is never echoed — a
 * receipt number is said only once the kiosk found it, a ticket number only once it was issued.
 * Pure functions of a translator, unit-tested without React (flow-voice.test.ts).
 */
import { spellReceiptNo, type Translate } from './voice-prompts.js';

/** The two flows that find an application first (find-application.tsx). */
export type FindPurpose = 'progress' | 'evaluate';

/** A screen of finding an application, with what its prompt depends on. */
export type FindVoice =
  | { screen: 'choose'; purpose: FindPurpose; canScan: boolean }
  | { screen: 'receipt' }
  /** The receipt number alone showed the status (item name and status label, never personal). */
  | { screen: 'unlock'; item: string; status: string; hasAccessCode: boolean }
  | { screen: 'identify' }
  | { screen: 'list'; purpose: FindPurpose; count: number };

/**
 * Sentences said one after another: each ends with the language's full stop unless it already ends
 * with punctuation (the resources' instructions have none, the screens' sentences do).
 */
export function sentences(t: Translate, parts: readonly string[]): string {
  const end = t('sessionFlow.voice.sentenceEnd');
  return parts
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => (/[。！？.!?]$/.test(p) ? p : `${p}${end}`))
    .join(end === '。' ? '' : ' ');
}

export function findPrompt(t: Translate, v: FindVoice): string {
  switch (v.screen) {
    case 'choose': {
      const ways = t(`sessionFlow.voice.find.${v.purpose}`);
      return v.canScan ? sentences(t, [ways, t('sessionFlow.voice.find.code')]) : ways;
    }
    case 'receipt':
      return t('sessionFlow.voice.find.receipt');
    case 'unlock':
      return t(v.hasAccessCode ? 'sessionFlow.voice.find.unlock' : 'sessionFlow.voice.find.unlockNoCode', {
        item: v.item,
        status: v.status,
      });
    case 'identify':
      return t('sessionFlow.voice.find.identify');
    case 'list':
      if (v.count === 0) return t('sessionFlow.voice.find.listEmpty');
      return v.purpose === 'progress'
        ? t('sessionFlow.voice.find.listProgress', { count: v.count })
        : t('sessionFlow.voice.find.listEvaluate');
    default: {
      const never: never = v;
      return never;
    }
  }
}

/**
 * A refused or failed search, as receipt-lookup.ts records it. The screen repeats a mistyped value
 * ("ZZ01-2026 不是有效的受理编号"); the voice never does — it says what is wrong and what to do.
 */
export type LookupVoice =
  | { kind: 'badFormat' | 'notFound' }
  | { kind: 'accessDenied'; attemptsLeft: number }
  | { kind: 'tooMany'; seconds: number }
  | { kind: 'empty' | 'foreignCode' | 'failed' | 'badCode' | 'emptyCode' | 'sessionExpired' };

export function lookupPrompt(t: Translate, m: LookupVoice): string {
  switch (m.kind) {
    case 'badFormat':
    case 'notFound':
      return t(`sessionFlow.voice.lookup.${m.kind}`);
    case 'accessDenied':
      return m.attemptsLeft > 0
        ? t('progressFlow.receipt.accessDenied', { count: m.attemptsLeft })
        : t('progressFlow.receipt.accessDeniedLast');
    case 'tooMany':
      return t('progressFlow.receipt.tooMany', { seconds: m.seconds });
    case 'empty':
    case 'foreignCode':
    case 'failed':
    case 'badCode':
    case 'emptyCode':
    case 'sessionExpired':
      return t(`progressFlow.receipt.${m.kind}`);
    default: {
      const never: never = m;
      return never;
    }
  }
}

/** 进度查询's detail: the case's status in words, its receipt number, and what can be done now. */
export type CaseVoice = {
  item: string;
  status: string;
  explain: string;
  receiptNo: string;
  correction: boolean;
  canEvaluate: boolean;
};

export function casePrompt(t: Translate, c: CaseVoice): string {
  return sentences(t, [
    t('sessionFlow.voice.progress.status', { item: c.item, status: c.status, explain: c.explain }),
    t('sessionFlow.voice.receipt', { number: spellReceiptNo(t, c.receiptNo) }),
    c.correction ? t('sessionFlow.voice.progress.correction') : '',
    t('sessionFlow.voice.progress.next'),
    c.canEvaluate ? t('sessionFlow.voice.progress.evaluate') : '',
  ]);
}

/** 排队取号's window choice: what to tap, or that nothing is open now. */
export function queueChoosePrompt(t: Translate, allClosed: boolean): string {
  return t(allClosed ? 'sessionFlow.voice.queue.allClosed' : 'sessionFlow.voice.queue.choose');
}

/** How the ticket came out of the printer (the screen's notice, said after the number). */
export type TicketPrint = 'printed' | 'pending' | 'failed';

/**
 * The issued number, one character at a time (PA003 → "P A 零 零 三"), the window to wait at and
 * what became of the printed ticket. A queue number is not personal: the hall calls it aloud.
 */
export function ticketPrompt(
  t: Translate,
  ticket: { number: string; window: string; print: TicketPrint },
): string {
  const number = spellReceiptNo(t, ticket.number);
  const print =
    ticket.print === 'printed'
      ? t('queueFlow.ticket.printed')
      : ticket.print === 'failed'
        ? t('queueFlow.ticket.printFailed', { number })
        : t('queueFlow.ticket.pending');
  return sentences(t, [t('sessionFlow.voice.queue.ticket', { number, window: ticket.window }), print]);
}

/** A screen of the 好差评 form. */
export type EvaluationVoice =
  | { phase: 'level' }
  /** A bad review was chosen: a reason is asked for. */
  | { phase: 'reason' }
  /** 提交评价 refused: each problem's sentence, as the screen shows them. */
  | { phase: 'problems'; problems: readonly string[] }
  | { phase: 'thanks' }
  /** Refused by the kiosk (already rated, no access…): the screen's sentence. */
  | { phase: 'refused'; message: string };

export function evaluationPrompt(t: Translate, v: EvaluationVoice): string {
  switch (v.phase) {
    case 'level':
      return t('sessionFlow.voice.evaluate.level');
    case 'reason':
      return t('sessionFlow.voice.evaluate.reason');
    case 'problems':
      return v.problems.length === 0
        ? ''
        : sentences(t, [t('sessionFlow.voice.errors.count', { count: v.problems.length }), ...v.problems]);
    case 'thanks':
      return t('sessionFlow.voice.evaluate.thanks');
    case 'refused':
      return v.message;
    default: {
      const never: never = v;
      return never;
    }
  }
}
