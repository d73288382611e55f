/**
 * 设备维护 — the technician console: every device's live state and address (tech.overview, kept
 * live by the status events of the event stream), changing an address, the test actions, what the
 * simulated printers printed, recent faults, and in development mode the simulator panel.
 */
import { useTranslation } from 'react-i18next';
import { useTechOverview } from '../api/index.js';
import { Icon } from '../components/icon.js';
import { ErrorPanel, LoadingPanel } from '../components/query-view.js';
import { ReceiptPreviews } from '../components/receipt-previews.js';
import { RecentErrors } from '../components/recent-errors.js';
import { SimPanel } from '../components/sim-panel.js';
import { TechDevices } from '../components/tech-devices.js';
import { TechSync } from '../components/tech-sync.js';
import { TechTests } from '../components/tech-tests.js';
import type { KioskStatus } from '../hooks/use-kiosk-status.js';
import { useExpireOnUnauthorized } from '../hooks/use-tech-session.js';
import { formatBytes, storageLow } from '../lib/status-view.js';
import { liveDevices } from '../lib/tech-console.js';

export function TechConsoleScreen({ kiosk, onExpired }: { kiosk: KioskStatus; onExpired: () => void }) {
  const { t } = useTranslation();
  const overview = useTechOverview();
  useExpireOnUnauthorized(overview.error, onExpired);
  const data = overview.data;

  return (
    <div className="tech-console" data-testid="tech-console">
      <header className="screen-head tech-head">
        <p className="screen-kicker">{t('tech.kicker')}</p>
        <h2 className="screen-title">
          <Icon name="tools" />
          {t('tech.title')}
        </h2>
        <p className="screen-intro">{t('tech.intro')}</p>
        {data && (
          <p className="screen-fact">
            <Icon name={data.mode === 'development' ? 'simulated' : 'ready'} />
            {kiosk.status ? t('status.kiosk', { name: kiosk.status.kioskName }) : null}
            <span className="tag">{t(`tech.mode.${data.mode}`)}</span>
          </p>
        )}
        {data && <StorageFact storage={data.storage} />}
      </header>
      {data === undefined ? (
        overview.isError ? (
          <ErrorPanel onRetry={() => void overview.refetch()} />
        ) : (
          <LoadingPanel />
        )
      ) : (
        <div className="tech-grid">
          <div className="tech-col">
            <TechDevices
              devices={liveDevices(data.devices, kiosk.status?.devices)}
              serialPorts={data.serialPorts}
              mode={data.mode}
              onExpired={onExpired}
            />
            <TechTests onExpired={onExpired} />
          </div>
          <div className="tech-col">
            {data.mode === 'development' && <SimPanel simulated={data.simulated} />}
            <ReceiptPreviews onExpired={onExpired} />
            <TechSync onExpired={onExpired} />
            <RecentErrors entries={data.recentErrors} />
          </div>
        </div>
      )}
    </div>
  );
}

type Storage = { ok: true; freeBytes: number; totalBytes: number } | { ok: false; message: string };

/** The data directory's free space (tech.overview.storage); a warning when little is left. */
function StorageFact({ storage }: { storage: Storage }) {
  const { t } = useTranslation();
  if (!storage.ok)
    return (
      <p className="screen-fact" data-testid="tech-storage" data-state="unknown" role="status">
        <Icon name="warning" />
        {t('tech.storage.unknown', { message: storage.message })}
      </p>
    );
  const low = storageLow(storage.freeBytes, storage.totalBytes);
  const values = { free: formatBytes(storage.freeBytes), total: formatBytes(storage.totalBytes) };
  return (
    <p className="screen-fact" data-testid="tech-storage" data-state={low ? 'low' : 'ok'} role="status">
      <Icon name={low ? 'warning' : 'ready'} />
      {t(low ? 'tech.storage.low' : 'tech.storage.free', values)}
    </p>
  );
}
