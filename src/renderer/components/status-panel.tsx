/**
 * The kiosk's health on the home screen, for residents: network and every device in words — what
 * works today and, for a device in trouble, what that means for them (never a raw code, never
 * "simulated" or "development mode": diagnostics live in the technician console). Icon + text;
 * colour is only a second cue.
 */
import { useTranslation } from 'react-i18next';
import type { DeviceKind, DeviceStatus, NetworkStatus } from '../../shared/browser.js';
import type { KioskStatus } from '../hooks/use-kiosk-status.js';
import { networkView, residentDeviceView } from '../lib/status-view.js';
import { Icon } from './icon.js';

function NetworkLine({ network }: { network: NetworkStatus }) {
  const { t } = useTranslation();
  const v = networkView(network);
  const text =
    'count' in v.text
      ? t(`status.net.${v.text.key}`, { count: v.text.count })
      : t(`status.net.${v.text.key}`);
  return (
    <div className={`status-line tone-${v.tone}`} data-testid="network-status" data-state={network.state}>
      <span className="status-label">{t('status.network')}</span>
      <span className="status-value">
        <Icon name={v.icon} />
        <span>
          <strong>{text}</strong>
          <span className="status-note">{t(`status.net.${v.note}`)}</span>
        </span>
      </span>
    </div>
  );
}

export function StatusPanel({ kiosk }: { kiosk: KioskStatus }) {
  const { t } = useTranslation();
  const { status } = kiosk;
  return (
    <section className="card status-panel" aria-labelledby="status-heading">
      <div className="status-head">
        <h2 id="status-heading" className="section-title">
          <Icon name="devices" />
          {t('status.heading')}
        </h2>
        {status && <p className="status-kiosk">{t('status.kiosk', { name: status.kioskName })}</p>}
      </div>
      {status === undefined ? (
        <p className="status-missing" role="status">
          {kiosk.failed ? (
            <>
              <Icon name="warning" /> {t('status.unavailable')}
              <button type="button" className="btn btn-small" onClick={kiosk.retry}>
                <Icon name="retry" />
                {t('common.retry')}
              </button>
            </>
          ) : (
            t('status.loading')
          )}
        </p>
      ) : (
        <>
          <NetworkLine network={status.network} />
          <ul className="device-list" aria-label={t('status.devices')} data-testid="device-status">
            {status.devices.map((d) => {
              const v = residentDeviceView(d);
              const icon =
                v.key === 'ok'
                  ? 'ready'
                  : v.key === 'absent'
                    ? 'notConfigured'
                    : v.problem
                      ? 'fault'
                      : 'warning';
              return (
                <li key={d.kind} className={`device tone-${v.tone}`} data-kind={d.kind} data-state={d.state}>
                  <span className="device-name">{t(`status.device.${d.kind}`)}</span>
                  <span className="device-state">
                    <Icon name={icon} />
                    {/* Short here; the sentence of what it means stands above the tiles. */}
                    {t(`status.resident.${v.key === 'notice' ? (v.problem ? 'unavailable' : 'low') : v.key}`)}
                  </span>
                </li>
              );
            })}
          </ul>
          {kiosk.reconnecting && (
            <p className="status-note" role="status">
              {t('status.reconnecting')}
            </p>
          )}
        </>
      )}
    </section>
  );
}

/**
 * Device trouble said at the top of the home screen, before a resident starts a flow that needs the
 * device: one sentence per device in trouble (nothing when all is well).
 */
export function DeviceNotices({
  devices,
  kinds,
}: {
  devices: readonly DeviceStatus[] | undefined;
  /** Only these devices (a flow names the ones it needs); all when omitted. */
  kinds?: readonly DeviceKind[];
}) {
  const { t } = useTranslation();
  const notices = (devices ?? [])
    .filter((d) => !kinds || kinds.includes(d.kind))
    .map((d) => ({ kind: d.kind, v: residentDeviceView(d) }))
    .filter((x) => x.v.problem && x.v.notice);
  if (notices.length === 0) return null;
  return (
    <section className="notice notice-warn device-notices" role="status" data-testid="device-notices">
      <h2 className="section-title">
        <Icon name="warning" />
        {t('status.resident.noticesTitle')}
      </h2>
      <ul>
        {notices.map(({ kind, v }) => (
          <li key={kind} data-kind={kind}>
            {v.notice ? t(`status.resident.problems.${v.notice}`) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
