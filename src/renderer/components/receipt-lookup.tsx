/**
 * Finding an application by its receipt number (进度查询, 服务评价): typed on the on-screen keyboard
 * (letters and digits, upper-case), or read from the receipt's QR code by the code reader — a
 * `code` event opens the application at once; a code that is not one of this hall's receipts says
 * so in words. Every failure is a sentence, never a blank screen.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  formatAccessCode,
  type ApplicationDetail,
  type ApplicationStatusOnly,
} from '../../shared/browser.js';
import { findByReceipt } from '../api/index.js';
import {
  checkAccessCode,
  checkReceiptNo,
  formatDateTime,
  normaliseCodeInput,
  normaliseReceiptInput,
  statusView,
} from '../flows/progress/progress-view.js';
import { useLanguage } from '../hooks/use-language.js';
import { pick } from '../i18n/localized.js';
import { findPrompt, lookupPrompt } from '../lib/flow-voice.js';
import { useKioskEvent } from '../lib/kiosk-events.js';
import { translator } from '../lib/voice-prompts.js';
import { useResidentSession, useVoicePrompt } from '../session/session-context.js';
import { Icon } from './icon.js';
import { OnScreenKeyboard } from './keyboard/on-screen-keyboard.js';
import './receipt-lookup.css';

export type LookupMessage =
  | { kind: 'empty' }
  | { kind: 'badFormat'; value: string }
  | { kind: 'notFound'; receiptNo: string }
  | { kind: 'foreignCode' }
  | { kind: 'failed' }
  | { kind: 'emptyCode' }
  | { kind: 'badCode' }
  /** The access code did not match; `attemptsLeft` before the cool-down. */
  | { kind: 'accessDenied'; attemptsLeft: number }
  | { kind: 'tooMany'; seconds: number }
  | { kind: 'sessionExpired' };

export type ReceiptLookup = {
  busy: boolean;
  message: LookupMessage | null;
  setMessage: (m: LookupMessage | null) => void;
  /** A receipt number, with the access code when it was typed or read from the receipt's QR code. */
  lookup: (receiptNo: string, accessCode?: string) => Promise<void>;
};

/**
 * Looks a receipt number up. `onFound` gets the application (the session's card is the applicant's,
 * or the access code matched); `onStatus` the status alone (docs/security.md, "Receipt access codes"),
 * where the screen asks for the code or the card.
 */
export function useReceiptLookup(
  onFound: (detail: ApplicationDetail) => void,
  onStatus: (status: ApplicationStatusOnly) => void,
): ReceiptLookup {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<LookupMessage | null>(null);
  const sessionId = useResidentSession().session?.id ?? null;
  const lookup = useCallback(
    async (receiptNo: string, accessCode?: string) => {
      if (sessionId === null) {
        setMessage({ kind: 'sessionExpired' });
        return;
      }
      setBusy(true);
      setMessage(null);
      const r = await findByReceipt(sessionId, receiptNo, accessCode);
      setBusy(false);
      if (r.ok) {
        if (r.value.access === 'full') onFound(r.value.application);
        else onStatus(r.value.status);
        return;
      }
      switch (r.error.kind) {
        case 'not-found':
          setMessage({ kind: 'notFound', receiptNo });
          break;
        case 'access-denied':
          setMessage({ kind: 'accessDenied', attemptsLeft: r.error.attemptsLeft });
          break;
        case 'too-many-attempts':
          setMessage({ kind: 'tooMany', seconds: r.error.retryAfterSeconds });
          break;
        case 'session-expired':
          setMessage({ kind: 'sessionExpired' });
          break;
        case 'failed':
          setMessage({ kind: 'failed' });
          break;
        default: {
          const never: never = r.error;
          return never;
        }
      }
    },
    [onFound, onStatus, sessionId],
  );
  return { busy, message, setMessage, lookup };
}

/**
 * While `enabled`, a receipt QR code held to the code reader is looked up at once — with the access
 * code the QR carries, so the application opens without typing anything.
 */
export function useReceiptCodes(enabled: boolean, l: ReceiptLookup): void {
  useKioskEvent((event) => {
    if (!enabled || event.type !== 'code' || l.busy) return;
    if (event.receiptNo === null) l.setMessage({ kind: 'foreignCode' });
    else void l.lookup(event.receiptNo, event.accessCode ?? undefined);
  });
}

export function LookupNotice({ message }: { message: LookupMessage | null }) {
  const { t } = useTranslation();
  const { voice } = useResidentSession();
  // Said each time a search is refused (the same mistake twice is said twice), never the typed value.
  useEffect(() => {
    if (message) voice.say(lookupPrompt(translator(t), message));
  }, [message, voice, t]);
  return (
    <div className="lookup-notice" aria-live="assertive">
      {message && (
        <div className="notice notice-bad" role="alert" data-testid="lookup-message" data-kind={message.kind}>
          <Icon name="warning" />
          <p>
            {message.kind === 'badFormat'
              ? t('progressFlow.receipt.badFormat', { value: message.value })
              : message.kind === 'notFound'
                ? t('progressFlow.receipt.notFound', { receiptNo: message.receiptNo })
                : message.kind === 'accessDenied'
                  ? message.attemptsLeft > 0
                    ? t('progressFlow.receipt.accessDenied', { count: message.attemptsLeft })
                    : t('progressFlow.receipt.accessDeniedLast')
                  : message.kind === 'tooMany'
                    ? t('progressFlow.receipt.tooMany', { seconds: message.seconds })
                    : t(`progressFlow.receipt.${message.kind}`)}
          </p>
        </div>
      )}
    </div>
  );
}

/** The receipt number field, typed on the on-screen keyboard. */
export function ReceiptEntry({ lookup }: { lookup: ReceiptLookup }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  useVoicePrompt(findPrompt(translator(t), { screen: 'receipt' }));
  const search = () => {
    const check = checkReceiptNo(value);
    if (check.ok) void lookup.lookup(check.receiptNo);
    else
      lookup.setMessage(
        check.problem === 'empty'
          ? { kind: 'empty' }
          : { kind: 'badFormat', value: normaliseReceiptInput(value) },
      );
  };
  const change = (next: string) => {
    setValue(normaliseReceiptInput(next));
    lookup.setMessage(null);
  };
  return (
    <section className="receipt-entry card" data-testid="receipt-entry">
      <h3 className="section-title">
        <Icon name="edit" />
        {t('progressFlow.receipt.title')}
      </h3>
      <p className="receipt-entry-help">{t('progressFlow.receipt.example')}</p>
      <div className="receipt-entry-row">
        <p className="receipt-field" data-testid="receipt-value" aria-live="polite">
          <span className="receipt-field-label">{t('progressFlow.receipt.label')}</span>
          <span className={value === '' ? 'receipt-field-value receipt-field-empty' : 'receipt-field-value'}>
            {value === '' ? t('progressFlow.receipt.placeholder') : value}
          </span>
        </p>
        <button
          type="button"
          className="btn receipt-hyphen"
          data-testid="receipt-hyphen"
          onClick={() => change(`${value}-`)}
        >
          {t('progressFlow.receipt.hyphen')}
        </button>
        <button
          type="button"
          className="btn btn-primary btn-big"
          data-testid="receipt-search"
          disabled={lookup.busy}
          onClick={search}
        >
          {lookup.busy ? (
            <span className="spinner spinner-small" aria-hidden="true" />
          ) : (
            <Icon name="search" />
          )}
          {lookup.busy ? t('progressFlow.receipt.searching') : t('progressFlow.receipt.search')}
        </button>
      </div>
      <LookupNotice message={lookup.message} />
      <OnScreenKeyboard
        value={value}
        onChange={change}
        layouts={['letters', 'digits']}
        maxLength={24}
        onDone={search}
        label={t('progressFlow.receipt.label')}
      />
    </section>
  );
}

/**
 * The receipt number alone showed the status: here it is, and the access code is asked for — typed on
 * the kiosk's own keyboard (capitals and digits) — or the applicant's card (`onCard`). Scanning the
 * receipt's QR code (listened for all along) fills in both.
 */
export function AccessCodeEntry({
  status,
  lookup,
  onCard,
}: {
  status: ApplicationStatusOnly;
  lookup: ReceiptLookup;
  onCard: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const [value, setValue] = useState('');
  const view = statusView(status.status);
  useVoicePrompt(
    findPrompt(translator(t), {
      screen: 'unlock',
      item: pick(status.itemName, lang),
      status: pick(view.info.label, lang),
      hasAccessCode: status.hasAccessCode,
    }),
  );
  const submit = () => {
    const check = checkAccessCode(value);
    if (check.ok) void lookup.lookup(status.receiptNo, check.code);
    else lookup.setMessage(check.problem === 'empty' ? { kind: 'emptyCode' } : { kind: 'badCode' });
  };
  const change = (next: string) => {
    setValue(normaliseCodeInput(next));
    lookup.setMessage(null);
  };
  return (
    <section className="access-entry" data-testid="access-entry">
      <section
        className="card access-status"
        data-testid="status-only"
        data-status={status.status}
        aria-labelledby="access-status-title"
      >
        <h3 className="section-title" id="access-status-title">
          <Icon name={view.icon} />
          {t('progressFlow.access.statusTitle')}
        </h3>
        <p className="detail-name" data-testid="status-only-name">
          {pick(status.itemName, lang)}
        </p>
        <p className={`detail-status tone-${view.tone}`} data-testid="status-only-label">
          <strong>{pick(view.info.label, lang)}</strong>
        </p>
        <dl className="detail-facts">
          <div>
            <dt>{t('progressFlow.detail.receiptNo')}</dt>
            <dd data-testid="status-only-receipt">{status.receiptNo}</dd>
          </div>
          <div>
            <dt>{t('progressFlow.detail.submittedAt')}</dt>
            <dd>{formatDateTime(status.submittedAt)}</dd>
          </div>
          <div>
            <dt>{t('progressFlow.detail.promisedDate')}</dt>
            <dd>{status.promisedDate ?? t('progressFlow.detail.noPromisedDate')}</dd>
          </div>
        </dl>
      </section>
      <section className="receipt-entry card" aria-labelledby="access-code-title">
        <h3 className="section-title" id="access-code-title">
          <Icon name="lock" />
          {t('progressFlow.access.title')}
        </h3>
        <p className="receipt-entry-help" data-testid="access-explain">
          {status.hasAccessCode ? t('progressFlow.access.explain') : t('progressFlow.access.noCode')}
        </p>
        {status.hasAccessCode && (
          <>
            <div className="receipt-entry-row">
              <p className="receipt-field" data-testid="access-value" aria-live="polite">
                <span className="receipt-field-label">{t('progressFlow.access.label')}</span>
                <span
                  className={value === '' ? 'receipt-field-value receipt-field-empty' : 'receipt-field-value'}
                >
                  {value === '' ? t('progressFlow.access.placeholder') : formatAccessCode(value)}
                </span>
              </p>
              <button
                type="button"
                className="btn btn-primary btn-big"
                data-testid="access-submit"
                disabled={lookup.busy}
                onClick={submit}
              >
                {lookup.busy ? (
                  <span className="spinner spinner-small" aria-hidden="true" />
                ) : (
                  <Icon name="ready" />
                )}
                {lookup.busy ? t('progressFlow.access.checking') : t('progressFlow.access.submit')}
              </button>
            </div>
            <p className="receipt-entry-help">{t('progressFlow.access.scanHint')}</p>
          </>
        )}
        <LookupNotice message={lookup.message} />
        <button type="button" className="btn btn-big" data-testid="access-by-card" onClick={onCard}>
          <Icon name="idcard" />
          {t('progressFlow.access.byCard')}
        </button>
        {status.hasAccessCode && (
          <OnScreenKeyboard
            value={value}
            onChange={change}
            layouts={['letters', 'digits']}
            upper
            maxLength={8}
            onDone={submit}
            label={t('progressFlow.access.label')}
          />
        )}
      </section>
    </section>
  );
}
