/**
 * 终端状态 (React): every enrolled kiosk with its connection, last contact, what the hall has taken
 * from it, its backlog, the devices that are not fine and its data directory's free space (a warning
 * when little is left), as its last heartbeat reported them.
 */
import { useCallback, useImperativeHandle, useState, type ReactNode, type Ref } from 'react';
import { formatBytes } from '../../shared/storage-space.js';
import { ok } from '../../shared/result.js';
import type { FleetReport } from '../fleet.js';
import type { Answer } from './api.js';
import type { Desk } from './desk.js';
import { useDeskText } from './desk-i18n.js';
import { CONNECTION_LIGHTS, formatTime, HEALTH_LIGHTS, STORAGE_LIGHTS } from './format.js';
import { GridTable, LightBadge } from './panel-parts.js';
import { deviceLine } from './panels-text.js';

export type ReloadHandle = { reload(): Promise<Answer<void>> };

export function FleetPanel(props: { ref: Ref<ReloadHandle>; desk: Desk }): ReactNode {
  const { desk } = props;
  const { ref } = props;
  const { t, language } = useDeskText();
  const [kiosks, setKiosks] = useState<FleetReport['kiosks'] | null>(null);

  const reload = useCallback(async (): Promise<Answer<void>> => {
    const r = await desk.api.fleet();
    if (!r.ok) return r;
    setKiosks(r.value.kiosks);
    return ok(undefined);
  }, [desk]);
  useImperativeHandle(ref, () => ({ reload }), [reload]);

  const tz = desk.state.timeZone;
  return (
    <GridTable
      id="fleet"
      caption={t('fleet.caption')}
      columns={[
        t('fleet.kiosk'),
        t('fleet.jurisdiction'),
        t('fleet.connection'),
        t('fleet.lastContact'),
        t('fleet.acked'),
        t('fleet.backlog'),
        t('fleet.devices'),
        t('fleet.storage'),
        t('fleet.version'),
      ]}
      empty={kiosks && kiosks.length === 0 ? t('fleet.none') : null}
    >
      {(kiosks ?? []).map((k) => {
        const space = k.storage === null ? 'unknown' : k.storage.low ? 'low' : 'ok';
        return (
          <tr key={k.id} data-kiosk={k.id}>
            <td className="mono">{k.id}</td>
            <td>{k.jurisdiction}</td>
            <td>
              <LightBadge light={CONNECTION_LIGHTS[k.connection]} language={language} />
            </td>
            <td>{formatTime(k.lastContactAt, tz)}</td>
            <td>{String(k.lastAppliedSeq)}</td>
            <td>{k.backlog === null ? '—' : String(k.backlog)}</td>
            <td>
              <LightBadge light={HEALTH_LIGHTS[k.health]} language={language} />
              {k.devices.length > 0 ? (
                <ul className="devices">
                  {k.devices.map((d, i) => (
                    <li key={`${d.kind}-${i}`}>{deviceLine(t, d)}</li>
                  ))}
                </ul>
              ) : null}
            </td>
            <td data-storage={space}>
              <LightBadge light={STORAGE_LIGHTS[space]} language={language} />
              {k.storage ? (
                <div className="storage-line">
                  {t('fleet.space', {
                    free: formatBytes(k.storage.freeBytes),
                    total: formatBytes(k.storage.totalBytes),
                  })}
                </div>
              ) : null}
            </td>
            <td>{k.appVersion ?? '—'}</td>
          </tr>
        );
      })}
    </GridTable>
  );
}
