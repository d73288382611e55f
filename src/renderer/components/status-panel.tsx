/**
 * The kiosk's health on the home screen: network and every device, each as icon + text (colour is
 * only a second cue). Technicians read it at a glance; residents learn what works today.
 */
import { useTranslation } from 'react-i18next';
import type { NetworkStatus } from '../../shared/browser.js';
import type { KioskStatus } from '../hooks/use-kiosk-status.js';
import { deviceView, networkView } from '../lib/status-view.js';
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
        {status && (
          <p className="status-kiosk">
            {t('status.kiosk', { name: status.kioskName })}
            {status.mode === 'development' && <span className="tag">{t('status.developmentMode')}</span>}
          </p>
        )}
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
              const v = deviceView(d);
              return (
                <li key={d.kind} className={`device tone-${v.tone}`} data-kind={d.kind} data-state={d.state}>
                  <span className="device-name">{t(`status.device.${d.kind}`)}</span>
                  <span className="device-state">
                    <Icon name={v.icon} />
                    {t(`status.state.${v.key}`)}
                    {v.detail ? (
                      <span className="device-detail">{t('status.detail', { detail: v.detail })}</span>
                    ) : null}
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
