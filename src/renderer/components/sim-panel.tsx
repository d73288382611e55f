/**
 * The simulator dev panel (development mode only; the backend refuses sim.* in production): put a
 * sample ID card on the reader or take it off, inject reader faults, set either printer's paper and
 * cover state, load or jam the scanner's feeder, and "scan" a code. Each group says what it did.
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceKind } from '../../shared/browser.js';
import {
  rpcErrorMessage,
  useSimIdcardFault,
  useSimInsertCard,
  useSimPrinterStatus,
  useSimRemoveCard,
  useSimScanCode,
  useSimScanner,
  useSimState,
  useTechCache,
  type RouterInputs,
  type SimAdfState,
  type SimFaultKind,
  type SimPrinterStatus,
} from '../api/index.js';
import { Icon } from './icon.js';

type SampleCard = NonNullable<RouterInputs['sim']['insertCard']['sample']>;
type Group = 'idcard' | 'printer' | 'ticketPrinter' | 'scanner' | 'codeReader';
type Feedback = { ok: boolean; text: string };

/** The list, checked at compile time to name every value the API accepts (a new one fails the build). */
function everyOf<T extends string>() {
  return <const A extends readonly T[]>(
    list: A & ([Exclude<T, A[number]>] extends [never] ? unknown : { missing: Exclude<T, A[number]> }),
  ): A => list;
}

const SAMPLE_CARDS = everyOf<SampleCard>()([
  'resident',
  'helper',
  'resident-rare-name',
  'hmt',
  'foreign2017',
  'foreign2023',
]);
const FAULT_KINDS = everyOf<SimFaultKind>()([
  'bad-checksum',
  'truncated-frame',
  'garbage',
  'sam-failure',
  'no-response',
  'card-read-failed',
  'port-vanish',
]);
const PRINTER_STATUSES = everyOf<SimPrinterStatus>()([
  'ready',
  'paper-near-end',
  'paper-out',
  'cover-open',
  'offline',
  'error',
]);
const ADF_STATES = everyOf<SimAdfState>()(['loaded', 'empty', 'jam', 'door-open']);
/** What the code reader "scans" from the panel: the kiosk's test code. */
export const CODE_PRESETS = ['ZZQ:test'] as const;

const isSample = (name: string): name is SampleCard => (SAMPLE_CARDS as readonly string[]).includes(name);

export function SimPanel({ simulated }: { simulated: Partial<Record<DeviceKind, boolean>> }) {
  const { t } = useTranslation();
  const cache = useTechCache();
  const state = useSimState();
  const [feedback, setFeedback] = useState<Partial<Record<Group, Feedback>>>({});

  const report = (group: Group, what: string) => ({
    onSuccess: () => {
      setFeedback((f) => ({ ...f, [group]: { ok: true, text: t('tech.sim.done', { what }) } }));
    },
    onError: (e: unknown) => {
      setFeedback((f) => ({
        ...f,
        [group]: { ok: false, text: t('tech.sim.notDone', { what, error: rpcErrorMessage(e) }) },
      }));
    },
    onSettled: () => {
      cache.sim();
      cache.overview();
    },
  });

  const insertCard = useSimInsertCard();
  const removeCard = useSimRemoveCard();
  const idcardFault = useSimIdcardFault();
  const setPrinterStatus = useSimPrinterStatus();
  const scanner = useSimScanner();
  const scanCode = useSimScanCode();

  const s = state.data;
  const samples = (s?.sampleCards ?? SAMPLE_CARDS).filter(isSample);
  const sampleLabel = (name: SampleCard) => t(`tech.sim.samples.${name}`);

  return (
    <section className="card tech-section sim-panel" aria-labelledby="sim-title" data-testid="sim-panel">
      <h3 id="sim-title" className="section-title">
        <Icon name="simulated" />
        {t('tech.sim.heading')}
      </h3>
      <p className="tech-note">{t('tech.sim.intro')}</p>

      <SimGroup kind="idcard" simulated={simulated.idcard} feedback={feedback.idcard}>
        <p className="sim-state" data-testid="sim-card-state">
          <Icon name={s?.idcard && s.idcard.card !== 'absent' ? 'idcard' : 'notConfigured'} />
          {s?.idcard
            ? t(s.idcard.card === 'absent' ? 'tech.sim.cardAbsent' : 'tech.sim.cardPresent')
            : t('common.loading')}
        </p>
        <p className="tech-label">{t('tech.sim.insert')}</p>
        <div className="choices">
          {samples.map((name) => (
            <button
              key={name}
              type="button"
              className="btn btn-small"
              data-sample={name}
              onClick={() =>
                insertCard.mutate(
                  { sample: name },
                  report('idcard', t('tech.sim.inserted', { card: sampleLabel(name) })),
                )
              }
            >
              <Icon name="idcard" />
              {sampleLabel(name)}
            </button>
          ))}
          <button
            type="button"
            className="btn btn-small"
            data-testid="sim-remove-card"
            onClick={() => removeCard.mutate(undefined, report('idcard', t('tech.sim.remove')))}
          >
            <Icon name="close" />
            {t('tech.sim.remove')}
          </button>
        </div>
        <p className="tech-label">{t('tech.sim.faultsLabel')}</p>
        <div className="choices">
          {FAULT_KINDS.map((kind) => (
            <button
              key={kind}
              type="button"
              className="btn btn-small"
              data-fault={kind}
              onClick={() =>
                idcardFault.mutate(
                  { kind },
                  report('idcard', t('tech.sim.faultInjected', { fault: t(`tech.sim.faults.${kind}`) })),
                )
              }
            >
              <Icon name="warning" />
              {t(`tech.sim.faults.${kind}`)}
            </button>
          ))}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => idcardFault.mutate({ kind: null }, report('idcard', t('tech.sim.clearFaults')))}
          >
            <Icon name="ready" />
            {t('tech.sim.clearFaults')}
          </button>
        </div>
      </SimGroup>

      {(['printer', 'ticketPrinter'] as const).map((which) => {
        const current = s?.[which]?.status;
        return (
          <SimGroup key={which} kind={which} simulated={simulated[which]} feedback={feedback[which]}>
            <p className="tech-label">{t('tech.sim.printerStatus')}</p>
            <div className="choices">
              {PRINTER_STATUSES.map((status) => (
                <button
                  key={status}
                  type="button"
                  className="btn btn-small btn-choice"
                  aria-pressed={current === status}
                  data-status={status}
                  onClick={() =>
                    setPrinterStatus.mutate(
                      { which, status },
                      report(
                        which,
                        t('tech.sim.printerSet', {
                          device: t(`status.device.${which}`),
                          status: t(`tech.sim.printer.${status}`),
                        }),
                      ),
                    )
                  }
                >
                  {current === status && <Icon name="ready" />}
                  {t(`tech.sim.printer.${status}`)}
                </button>
              ))}
            </div>
          </SimGroup>
        );
      })}

      <SimGroup kind="scanner" simulated={simulated.scanner} feedback={feedback.scanner}>
        {s?.scanner && (
          <p className="sim-state">
            <Icon name="scanner" />
            {t('tech.sim.feederPages', { count: s.scanner.feederPages })}
          </p>
        )}
        <p className="tech-label">{t('tech.sim.adfLabel')}</p>
        <div className="choices">
          {ADF_STATES.map((adf) => (
            <button
              key={adf}
              type="button"
              className="btn btn-small"
              data-adf={adf}
              onClick={() =>
                scanner.mutate(
                  { adfState: adf },
                  report('scanner', t('tech.sim.adfSet', { state: t(`tech.sim.adf.${adf}`) })),
                )
              }
            >
              {t(`tech.sim.adf.${adf}`)}
            </button>
          ))}
        </div>
        <div className="choices">
          {[1, 5].map((n) => (
            <button
              key={n}
              type="button"
              className="btn btn-small"
              onClick={() =>
                scanner.mutate({ feedPages: n }, report('scanner', t('tech.sim.feed', { count: n })))
              }
            >
              <Icon name="apply" />
              {t('tech.sim.feed', { count: n })}
            </button>
          ))}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => scanner.mutate({ unavailable: true }, report('scanner', t('tech.sim.unplug')))}
          >
            <Icon name="unlinked" />
            {t('tech.sim.unplug')}
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => scanner.mutate({ unavailable: false }, report('scanner', t('tech.sim.plug')))}
          >
            <Icon name="ready" />
            {t('tech.sim.plug')}
          </button>
        </div>
      </SimGroup>

      <SimGroup kind="codeReader" simulated={simulated.codeReader} feedback={feedback.codeReader}>
        <div className="choices">
          {CODE_PRESETS.map((code) => (
            <button
              key={code}
              type="button"
              className="btn btn-small"
              data-code={code}
              onClick={() => scanCode.mutate({ code }, report('codeReader', t('tech.sim.scanned', { code })))}
            >
              <Icon name="code" />
              {t('tech.sim.scan', { code })}
            </button>
          ))}
        </div>
      </SimGroup>
    </section>
  );
}

function SimGroup({
  kind,
  simulated,
  feedback,
  children,
}: {
  kind: DeviceKind;
  simulated: boolean | undefined;
  feedback: Feedback | undefined;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="sim-group" data-testid={`sim-${kind}`}>
      <h4 className="tech-test-title">{t(`status.device.${kind}`)}</h4>
      {simulated === false ? <p className="tech-note">{t('tech.sim.notSimulated')}</p> : children}
      <div aria-live="polite">
        {feedback && (
          <p
            className={`tech-result ${feedback.ok ? 'tone-ok' : 'tone-bad'}`}
            data-outcome={feedback.ok ? 'ok' : 'failed'}
          >
            <Icon name={feedback.ok ? 'ready' : 'fault'} />
            <span>{feedback.text}</span>
          </p>
        )}
      </div>
    </div>
  );
}
