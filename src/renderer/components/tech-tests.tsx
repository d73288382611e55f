/**
 * The console's test actions, each with a plain result: 读卡测试 (the card only ever masked),
 * 打印测试页 on either printer, 扫描测试, and 取号测试 for a chosen window. A result stays on screen
 * until the next run of the same test.
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { WindowCode } from '../../shared/browser.js';
import {
  rpcErrorCode,
  rpcErrorMessage,
  usePrintTest,
  useReadCardTest,
  useScanTest,
  useTechCache,
  useTicketTest,
  useWindows,
  type RouterOutputs,
} from '../api/index.js';
import { useLanguage } from '../hooks/use-language.js';
import { pick } from '../i18n/localized.js';
import { CameraTest } from './camera-test.js';
import { Icon, type IconName } from './icon.js';

type Outputs = RouterOutputs['tech'];
const READ_TIMEOUT_MS = 15_000;

/** One test: its title, what it does, its buttons and its last result. */
function TestCard({
  icon,
  title,
  intro,
  testId,
  children,
  result,
}: {
  icon: IconName;
  title: string;
  intro: string;
  testId: string;
  children: ReactNode;
  result: ReactNode;
}) {
  return (
    <article className="tech-test" data-testid={testId}>
      <h4 className="tech-test-title">
        <Icon name={icon} />
        {title}
      </h4>
      <p className="tech-note">{intro}</p>
      <div className="tech-actions">{children}</div>
      <div className="tech-test-result" aria-live="polite" data-testid={`${testId}-result`}>
        {result}
      </div>
    </article>
  );
}

function Outcome({ ok, children }: { ok: boolean; children: ReactNode }) {
  return (
    <div className={`tech-result ${ok ? 'tone-ok' : 'tone-bad'}`} data-outcome={ok ? 'ok' : 'failed'}>
      <Icon name={ok ? 'ready' : 'fault'} />
      <div className="tech-result-body">{children}</div>
    </div>
  );
}

function Running({ text }: { text: string }) {
  return (
    <div className="tech-result tone-info" data-outcome="running">
      <span className="spinner spinner-small" aria-hidden="true" />
      <div className="tech-result-body">{text}</div>
    </div>
  );
}

export function TechTests({ onExpired }: { onExpired: () => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const apiLang = lang === 'en' ? 'en' : 'zh';
  const cache = useTechCache();
  const [callError, setCallError] = useState<Partial<Record<'card' | 'print' | 'scan' | 'ticket', string>>>(
    {},
  );

  const fail = (which: 'card' | 'print' | 'scan' | 'ticket') => (e: unknown) => {
    if (rpcErrorCode(e) === 'UNAUTHORIZED') onExpired();
    else setCallError((c) => ({ ...c, [which]: rpcErrorMessage(e) }));
  };
  const clear = (which: 'card' | 'print' | 'scan' | 'ticket') => () =>
    setCallError((c) => ({ ...c, [which]: undefined }));
  // A print changes the previews, the printer's state and maybe the recent errors.
  const afterPrint = () => {
    cache.previews();
    cache.overview();
  };

  const readCard = useReadCardTest({ onMutate: clear('card'), onError: fail('card') });
  const [printWhich, setPrintWhich] = useState<'printer' | 'ticketPrinter'>('printer');
  const printTest = usePrintTest({ onMutate: clear('print'), onError: fail('print'), onSettled: afterPrint });
  const scanTest = useScanTest({ onMutate: clear('scan'), onError: fail('scan'), onSettled: cache.overview });
  const ticketTest = useTicketTest({
    onMutate: clear('ticket'),
    onError: fail('ticket'),
    onSettled: afterPrint,
  });
  const windows = useWindows();
  const [windowCode, setWindowCode] = useState<WindowCode | null>(null);
  const chosenWindow = windowCode ?? windows.data?.[0]?.code ?? null;

  return (
    <section className="card tech-section" aria-labelledby="tech-tests-title">
      <h3 id="tech-tests-title" className="section-title">
        <Icon name="tools" />
        {t('tech.tests.heading')}
      </h3>
      <div className="tech-tests">
        <TestCard
          icon="idcard"
          title={t('tech.tests.card.title')}
          intro={t('tech.tests.card.intro', { seconds: READ_TIMEOUT_MS / 1000 })}
          testId="test-card"
          result={
            readCard.isPending ? (
              <Running text={t('tech.tests.card.waiting', { seconds: READ_TIMEOUT_MS / 1000 })} />
            ) : callError.card ? (
              <Outcome ok={false}>{callError.card}</Outcome>
            ) : readCard.data ? (
              <CardResult result={readCard.data} />
            ) : null
          }
        >
          <button
            type="button"
            className="btn btn-primary"
            disabled={readCard.isPending}
            onClick={() => readCard.mutate({ timeoutMs: READ_TIMEOUT_MS })}
          >
            <Icon name="idcard" />
            {t('tech.tests.card.run')}
          </button>
        </TestCard>

        <TestCard
          icon="printer"
          title={t('tech.tests.print.title')}
          intro={t('tech.tests.print.intro')}
          testId="test-print"
          result={
            printTest.isPending ? (
              <Running text={t('tech.tests.print.running')} />
            ) : callError.print ? (
              <Outcome ok={false}>{callError.print}</Outcome>
            ) : printTest.data ? (
              <PrintResult result={printTest.data} which={printWhich} />
            ) : null
          }
        >
          {(['printer', 'ticketPrinter'] as const).map((which) => (
            <button
              key={which}
              type="button"
              className="btn btn-primary"
              data-which={which}
              disabled={printTest.isPending}
              onClick={() => {
                setPrintWhich(which);
                printTest.mutate({ which, lang: apiLang });
              }}
            >
              <Icon name={which === 'printer' ? 'printer' : 'queue'} />
              {t(`tech.tests.print.run.${which}`)}
            </button>
          ))}
        </TestCard>

        <TestCard
          icon="scanner"
          title={t('tech.tests.scan.title')}
          intro={t('tech.tests.scan.intro')}
          testId="test-scan"
          result={
            scanTest.isPending ? (
              <Running text={t('tech.tests.scan.running')} />
            ) : callError.scan ? (
              <Outcome ok={false}>{callError.scan}</Outcome>
            ) : scanTest.data ? (
              <ScanResult result={scanTest.data} />
            ) : null
          }
        >
          <button
            type="button"
            className="btn btn-primary"
            disabled={scanTest.isPending}
            onClick={() => scanTest.mutate()}
          >
            <Icon name="scanner" />
            {t('tech.tests.scan.run')}
          </button>
        </TestCard>

        <CameraTest onExpired={onExpired} />

        <TestCard
          icon="queue"
          title={t('tech.tests.ticket.title')}
          intro={t('tech.tests.ticket.intro')}
          testId="test-ticket"
          result={
            ticketTest.isPending ? (
              <Running text={t('tech.tests.ticket.running')} />
            ) : callError.ticket ? (
              <Outcome ok={false}>{callError.ticket}</Outcome>
            ) : ticketTest.data ? (
              <TicketResult result={ticketTest.data} />
            ) : null
          }
        >
          <fieldset className="choice-group">
            <legend className="tech-label">{t('tech.tests.ticket.window')}</legend>
            <div className="choices">
              {(windows.data ?? []).map((w) => (
                <button
                  key={w.code}
                  type="button"
                  className="btn btn-small btn-choice"
                  aria-pressed={chosenWindow === w.code}
                  data-window={w.code}
                  onClick={() => setWindowCode(w.code)}
                >
                  <span className="window-letter window-letter-choice" aria-hidden="true">
                    {w.queuePrefix}
                  </span>
                  {pick(w.name, lang)}
                </button>
              ))}
            </div>
          </fieldset>
          <button
            type="button"
            className="btn btn-primary"
            disabled={ticketTest.isPending || chosenWindow === null}
            onClick={() => {
              if (chosenWindow !== null) ticketTest.mutate({ window: chosenWindow, lang: apiLang });
            }}
          >
            <Icon name="queue" />
            {t('tech.tests.ticket.run')}
          </button>
        </TestCard>
      </div>
    </section>
  );
}

function CardResult({ result }: { result: Outputs['readCard'] }) {
  const { t } = useTranslation();
  if (!result.ok) {
    return (
      <Outcome ok={false}>
        <strong>{t('tech.tests.card.failed')}</strong>
        <span className="tech-detail">{result.error.message}</span>
      </Outcome>
    );
  }
  const { card } = result.value;
  return (
    <Outcome ok>
      <strong>{t('tech.tests.card.ok')}</strong>
      <dl className="tech-facts">
        <div>
          <dt>{t('tech.tests.card.name')}</dt>
          <dd data-testid="card-name">{card.name}</dd>
        </div>
        <div>
          <dt>{t('tech.tests.card.idNumber')}</dt>
          <dd className="code" data-testid="card-id">
            {card.idNumber}
          </dd>
        </div>
        <div>
          <dt>{t('tech.tests.card.type')}</dt>
          <dd>{t(`tech.cardTypes.${card.cardType}`)}</dd>
        </div>
        <div>
          <dt>{t('tech.tests.card.validTo')}</dt>
          <dd>{card.validTo}</dd>
        </div>
      </dl>
    </Outcome>
  );
}

function PrintResult({
  result,
  which,
}: {
  result: Outputs['printTest'];
  which: 'printer' | 'ticketPrinter';
}) {
  const { t } = useTranslation();
  const device = t(`status.device.${which}`);
  if (!result.ok) {
    return (
      <Outcome ok={false}>
        <strong>{t('tech.tests.print.notOpen', { device })}</strong>
        <span className="tech-detail">{result.error.message}</span>
      </Outcome>
    );
  }
  const { outcome, text } = result.value;
  const printed = outcome === 'printed';
  return (
    <Outcome ok={printed}>
      <strong>
        {printed ? t('tech.tests.print.ok', { device }) : t('tech.tests.print.failed', { device })}
      </strong>
      <span>{text}</span>
      <span className="tech-detail">{t('tech.tests.print.outcome', { outcome })}</span>
    </Outcome>
  );
}

function ScanResult({ result }: { result: Outputs['scanTest'] }) {
  const { t } = useTranslation();
  if (!result.ok) {
    const e = result.error;
    // Pages scanned before a scanner fault are kept, and counted here.
    const before = e.kind === 'scanner' ? e.pages.length : 0;
    return (
      <Outcome ok={false}>
        <strong>{t('tech.tests.scan.failed')}</strong>
        <span className="tech-detail">{e.message}</span>
        {before > 0 && <span>{t('tech.tests.scan.pagesBefore', { count: before })}</span>}
      </Outcome>
    );
  }
  const { pages, blankPages } = result.value;
  const first = pages[0];
  return (
    <Outcome ok>
      <strong>{t('tech.tests.scan.ok', { count: pages.length })}</strong>
      {first && (
        <span className="tech-detail">
          {t('tech.tests.scan.size', { width: first.width, height: first.height })}
        </span>
      )}
      {blankPages.length > 0 && <span>{t('tech.tests.scan.blank', { count: blankPages.length })}</span>}
    </Outcome>
  );
}

function TicketResult({ result }: { result: Outputs['ticketTest'] }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  if (!result.ok) {
    const e = result.error;
    return (
      <Outcome ok={false}>
        <strong>{t('tech.tests.ticket.failed')}</strong>
        <span>{t(`tech.tests.ticket.errors.${e.kind}`)}</span>
        {'detail' in e && e.detail ? <span className="tech-detail">{e.detail}</span> : null}
      </Outcome>
    );
  }
  const { ticket } = result.value;
  const printed = ticket.printState === 'printed';
  return (
    <Outcome ok={printed}>
      <strong className="ticket-number" data-testid="ticket-number">
        {ticket.number}
      </strong>
      <span>{pick(ticket.windowName, lang)}</span>
      <span>{t(`tech.tests.ticket.print.${ticket.printState}`)}</span>
      {ticket.printDetail ? <span className="tech-detail">{ticket.printDetail}</span> : null}
    </Outcome>
  );
}
