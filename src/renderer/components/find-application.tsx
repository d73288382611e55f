/**
 * "Find your application", shared by 进度查询 and 服务评价: the ways to find it (type the receipt
 * number, hold the receipt's QR code to the reader — listened for all along — or read the ID card
 * for the applicant's list), the receipt-number entry and the card prompt. Each flow keeps its own
 * stack of screens, brings its own list (progress opens a detail, the rating offers what is not
 * rated yet) and says what a found application leads to.
 */
import type { ReactNode } from 'react';
import type { ApplicationStatusOnly } from '../../shared/browser.js';
import { useTranslation } from 'react-i18next';
import { IdentifyPanel } from '../session/identify-panel.js';
import { useVoicePrompt } from '../session/session-context.js';
import { Icon } from './icon.js';
import { AccessCodeEntry, LookupNotice, ReceiptEntry, type ReceiptLookup } from './receipt-lookup.js';
import { useLiveSystemStatus } from '../api/index.js';
import { findPrompt } from '../lib/flow-voice.js';
import { codeReaderUsable } from '../lib/status-view.js';
import { translator } from '../lib/voice-prompts.js';

/**
 * The screens of finding an application. `unlock`: the receipt number alone showed the status; the
 * access code or the applicant's card is asked for (docs/security.md, "Receipt access codes").
 */
export type FindScreen =
  | { kind: 'choose' }
  | { kind: 'receipt' }
  | { kind: 'unlock'; status: ApplicationStatusOnly }
  | { kind: 'identify' }
  | { kind: 'list' };
const FIND_KINDS: ReadonlySet<string> = new Set<FindScreen['kind']>([
  'choose',
  'receipt',
  'unlock',
  'identify',
  'list',
]);

/** The stack once a receipt number showed only the status: the code entry replaces an earlier one. */
export function withUnlock<S extends { kind: string }>(stack: readonly S[], next: S): S[] {
  return [...stack.filter((s) => s.kind !== 'unlock'), next];
}

/**
 * The stack once an application was found: whatever search led to it goes (上一步 returns to the
 * choice, or to the card's list), the flow's next screen comes on top.
 */
export function afterFound<S extends { kind: string }>(stack: readonly S[], next: S): S[] {
  return [...stack.filter((s) => s.kind === 'choose' || s.kind === 'identify' || s.kind === 'list'), next];
}

export function isFindScreen(screen: { kind: string }): screen is FindScreen {
  return FIND_KINDS.has(screen.kind);
}

type Purpose = 'progress' | 'evaluate';

/** Copy and test ids per flow: the ways are the same, what they are for is said in the flow's words. */
const WAYS = {
  progress: {
    title: 'progressFlow.choose.title',
    byReceipt: 'progressFlow.choose.byReceipt',
    byReceiptHint: 'progressFlow.choose.byReceiptHint',
    byCard: 'progressFlow.choose.byCard',
    byCardHint: 'progressFlow.choose.byCardHint',
    byCode: 'progressFlow.choose.byCode',
    byCodeHint: 'progressFlow.choose.byCodeHint',
  },
  evaluate: {
    title: 'evaluateFlow.find.title',
    byReceipt: 'evaluateFlow.find.byReceipt',
    byReceiptHint: 'evaluateFlow.find.byReceiptHint',
    byCard: 'evaluateFlow.find.byCard',
    byCardHint: 'evaluateFlow.find.byCardHint',
    byCode: 'evaluateFlow.find.byCode',
    byCodeHint: 'evaluateFlow.find.byCodeHint',
  },
} as const;

export function FindApplication({
  purpose,
  screen,
  lookup,
  onScreen,
  onIdentified,
  list,
}: {
  purpose: Purpose;
  screen: FindScreen;
  lookup: ReceiptLookup;
  /** Go on to another screen of finding (pushed on the flow's stack). */
  onScreen: (next: FindScreen) => void;
  /** The card was read: the flow shows its list in place of the card prompt. */
  onIdentified: () => void;
  /** The applicant's applications, as the flow lists them. */
  list: ReactNode;
}) {
  const { t } = useTranslation();
  // The card prompt is the shared IdentifyPanel; what to do with the card is said here.
  useVoicePrompt(screen.kind === 'identify' ? findPrompt(translator(t), { screen: 'identify' }) : null);
  const go = (next: FindScreen) => {
    lookup.setMessage(null);
    onScreen(next);
  };
  return (
    <>
      {screen.kind !== 'receipt' && screen.kind !== 'unlock' && <LookupNotice message={lookup.message} />}
      {screen.kind === 'choose' && (
        <WaysToFind
          purpose={purpose}
          busy={lookup.busy}
          onReceipt={() => go({ kind: 'receipt' })}
          onCard={() => go({ kind: 'identify' })}
        />
      )}
      {screen.kind === 'receipt' && <ReceiptEntry lookup={lookup} />}
      {screen.kind === 'unlock' && (
        <AccessCodeEntry status={screen.status} lookup={lookup} onCard={() => go({ kind: 'identify' })} />
      )}
      {screen.kind === 'identify' && <IdentifyPanel role="applicant" onIdentified={onIdentified} />}
      {screen.kind === 'list' && list}
    </>
  );
}

function WaysToFind({
  purpose,
  busy,
  onReceipt,
  onCard,
}: {
  purpose: Purpose;
  busy: boolean;
  onReceipt: () => void;
  onCard: () => void;
}) {
  const { t } = useTranslation();
  const copy = WAYS[purpose];
  // No QR offer without a working code reader (a kiosk may have none fitted).
  const canScan = codeReaderUsable(useLiveSystemStatus().data?.devices);
  useVoicePrompt(findPrompt(translator(t), { screen: 'choose', purpose, canScan }));
  return (
    <section className="find-ways" aria-labelledby={`${purpose}-find-title`}>
      <h3 className="section-title" id={`${purpose}-find-title`}>
        {t(copy.title)}
      </h3>
      <div className="way-grid">
        <button type="button" className="way-tile" data-testid={`${purpose}-by-receipt`} onClick={onReceipt}>
          <span className="way-icon" aria-hidden="true">
            <Icon name="edit" />
          </span>
          <span className="way-text">
            <span className="way-label">{t(copy.byReceipt)}</span>
            <span className="way-hint">{t(copy.byReceiptHint)}</span>
          </span>
        </button>
        <button type="button" className="way-tile" data-testid={`${purpose}-by-card`} onClick={onCard}>
          <span className="way-icon" aria-hidden="true">
            <Icon name="idcard" />
          </span>
          <span className="way-text">
            <span className="way-label">{t(copy.byCard)}</span>
            <span className="way-hint">{t(copy.byCardHint)}</span>
          </span>
        </button>
        {/* Not a button: scanning needs no tap, the reader listens all the time on this flow. */}
        {canScan && (
          <div className="way-tile way-passive" data-testid={`${purpose}-by-code`}>
            <span className="way-icon" aria-hidden="true">
              {busy ? <span className="spinner spinner-small" /> : <Icon name="code" />}
            </span>
            <span className="way-text">
              <span className="way-label">{t(copy.byCode)}</span>
              <span className="way-hint">{t(copy.byCodeHint)}</span>
            </span>
          </div>
        )}
      </div>
      {canScan && (
        <p className="progress-listening" role="status">
          <Icon name="code" />
          {t('progressFlow.choose.codeListening')}
        </p>
      )}
    </section>
  );
}
