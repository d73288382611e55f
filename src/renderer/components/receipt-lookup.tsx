/**
 * Finding an application by its receipt number (进度查询, 服务评价): typed on the on-screen keyboard
 * (letters and digits, upper-case), or read from the receipt's QR code by the code reader — a
 * `code` event opens the application at once; a code that is not one of this hall's receipts says
 * so in words. Every failure is a sentence, never a blank screen.
 */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplicationDetail } from '../../shared/browser.js';
import { findByReceipt } from '../api/index.js';
import { checkReceiptNo, normaliseReceiptInput } from '../flows/progress/progress-view.js';
import { useKioskEvent } from '../lib/kiosk-events.js';
import { Icon } from './icon.js';
import { OnScreenKeyboard } from './keyboard/on-screen-keyboard.js';
import './receipt-lookup.css';

export type LookupMessage =
  | { kind: 'empty' }
  | { kind: 'badFormat'; value: string }
  | { kind: 'notFound'; receiptNo: string }
  | { kind: 'foreignCode' }
  | { kind: 'failed' };

export type ReceiptLookup = {
  busy: boolean;
  message: LookupMessage | null;
  setMessage: (m: LookupMessage | null) => void;
  lookup: (receiptNo: string) => Promise<void>;
};

/** Looks a receipt number up; `onFound` gets the application. */
export function useReceiptLookup(onFound: (detail: ApplicationDetail) => void): ReceiptLookup {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<LookupMessage | null>(null);
  const lookup = useCallback(
    async (receiptNo: string) => {
      setBusy(true);
      setMessage(null);
      const r = await findByReceipt(receiptNo);
      setBusy(false);
      if (r.ok) {
        onFound(r.value);
        return;
      }
      switch (r.error.kind) {
        case 'not-found':
          setMessage({ kind: 'notFound', receiptNo });
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
    [onFound],
  );
  return { busy, message, setMessage, lookup };
}

/** While `enabled`, a receipt QR code held to the code reader is looked up at once. */
export function useReceiptCodes(enabled: boolean, l: ReceiptLookup): void {
  useKioskEvent((event) => {
    if (!enabled || event.type !== 'code' || l.busy) return;
    if (event.receiptNo === null) l.setMessage({ kind: 'foreignCode' });
    else void l.lookup(event.receiptNo);
  });
}

export function LookupNotice({ message }: { message: LookupMessage | null }) {
  const { t } = useTranslation();
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
