/**
 * The console's device list: each device's live state (icon + words, colour only repeats it), its
 * address, and a form to change the address. The form offers the schemes that device can use and
 * the serial ports the kiosk sees; tech.setDevice judges the address and its error is shown as is.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceKind, DeviceStatus } from '../../shared/browser.js';
import {
  rpcErrorCode,
  rpcErrorMessage,
  useSetDevice,
  useTechCache,
  type TechOverviewOut,
} from '../api/index.js';
import {
  BAUD_RATES,
  composeAddress,
  needsDetail,
  parseAddress,
  SCHEMES_BY_KIND,
  withScheme,
  type AddressDraft,
} from '../lib/device-address.js';
import { deviceView } from '../lib/status-view.js';
import { AddressKeys } from './address-keys.js';
import { Icon, type IconName } from './icon.js';

export const DEVICE_ICON: Record<DeviceKind, IconName> = {
  idcard: 'idcard',
  printer: 'printer',
  ticketPrinter: 'queue',
  scanner: 'scanner',
  codeReader: 'code',
};

export function DeviceState({ device }: { device: DeviceStatus }) {
  const { t } = useTranslation();
  const v = deviceView(device);
  return (
    <span className={`device-state tone-${v.tone}`} data-testid="device-state">
      <Icon name={v.icon} />
      {t(`status.state.${v.key}`)}
      {v.detail ? <span className="device-detail">{t('status.detail', { detail: v.detail })}</span> : null}
    </span>
  );
}

export function TechDevices({
  devices,
  serialPorts,
  mode,
  onExpired,
}: {
  devices: DeviceStatus[];
  serialPorts: TechOverviewOut['serialPorts'];
  mode: TechOverviewOut['mode'];
  onExpired: () => void;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<DeviceKind | null>(null);
  return (
    <section className="card tech-section" aria-labelledby="tech-devices-title">
      <h3 id="tech-devices-title" className="section-title">
        <Icon name="devices" />
        {t('tech.devices.heading')}
      </h3>
      <ul className="tech-device-list" data-testid="tech-devices">
        {devices.map((d) => (
          <DeviceRow
            key={d.kind}
            device={d}
            serialPorts={serialPorts}
            mode={mode}
            editing={editing === d.kind}
            onEdit={(on) => setEditing(on ? d.kind : null)}
            onExpired={onExpired}
          />
        ))}
      </ul>
    </section>
  );
}

function DeviceRow({
  device,
  serialPorts,
  mode,
  editing,
  onEdit,
  onExpired,
}: {
  device: DeviceStatus;
  serialPorts: TechOverviewOut['serialPorts'];
  mode: TechOverviewOut['mode'];
  editing: boolean;
  onEdit: (on: boolean) => void;
  onExpired: () => void;
}) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState<string | null>(null);
  const formId = useId();
  // "Reconnecting" is true only for a moment; the live state above says how it went.
  useEffect(() => {
    if (saved === null) return;
    const id = window.setTimeout(() => setSaved(null), 10_000);
    return () => window.clearTimeout(id);
  }, [saved]);
  return (
    <li
      className="tech-device"
      data-kind={device.kind}
      data-state={device.state}
      data-testid={`device-${device.kind}`}
    >
      <div className="tech-device-head">
        <span className="tech-device-icon">
          <Icon name={DEVICE_ICON[device.kind]} />
        </span>
        <div className="tech-device-text">
          <h4 className="tech-device-name">{t(`status.device.${device.kind}`)}</h4>
          <DeviceState device={device} />
          <p className="tech-device-address">
            <span className="tech-label">{t('tech.devices.address')}</span>
            <code className="code" data-testid="device-address">
              {device.uri}
            </code>
          </p>
        </div>
        <button
          type="button"
          className="btn btn-small tech-device-edit"
          aria-expanded={editing}
          aria-controls={editing ? formId : undefined}
          onClick={() => {
            setSaved(null);
            onEdit(!editing);
          }}
        >
          <Icon name={editing ? 'close' : 'edit'} />
          {editing ? t('tech.devices.cancel') : t('tech.devices.change')}
        </button>
      </div>
      {saved !== null && !editing && (
        <p className="tech-result tone-ok" role="status">
          <Icon name="ready" />
          <span>{t('tech.devices.saved', { uri: saved })}</span>
        </p>
      )}
      {editing && (
        <AddressForm
          id={formId}
          device={device}
          serialPorts={serialPorts}
          mode={mode}
          onDone={(uri) => {
            setSaved(uri);
            onEdit(false);
          }}
          onExpired={onExpired}
        />
      )}
    </li>
  );
}

function AddressForm({
  id,
  device,
  serialPorts,
  mode,
  onDone,
  onExpired,
}: {
  id: string;
  device: DeviceStatus;
  serialPorts: TechOverviewOut['serialPorts'];
  mode: TechOverviewOut['mode'];
  onDone: (uri: string) => void;
  onExpired: () => void;
}) {
  const { t } = useTranslation();
  const cache = useTechCache();
  const [draft, setDraft] = useState<AddressDraft>(() => parseAddress(device.uri));
  const [error, setError] = useState<string | null>(null);
  const setDevice = useSetDevice({
    onSuccess: (r, input) => {
      if (r.ok) {
        cache.all();
        onDone(input.uri);
      } else setError(r.error.message);
    },
    onError: (e) => {
      if (rpcErrorCode(e) === 'UNAUTHORIZED') onExpired();
      else setError(rpcErrorMessage(e));
    },
  });
  // Simulators are refused in production: do not offer them there.
  const schemes = SCHEMES_BY_KIND[device.kind].filter((s) => s !== 'sim' || mode === 'development');
  const uri = composeAddress(draft);
  const detailId = `${id}-detail`;
  const update = (next: AddressDraft) => {
    setDraft(next);
    setError(null);
  };
  const busy = setDevice.isPending;

  return (
    <form
      id={id}
      className="address-form"
      data-testid={`address-form-${device.kind}`}
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        setDevice.mutate({ kind: device.kind, uri });
      }}
    >
      <fieldset className="choice-group">
        <legend className="tech-label">{t('tech.address.scheme')}</legend>
        <div className="choices">
          {schemes.map((s) => (
            <button
              key={s}
              type="button"
              className="btn btn-small btn-choice"
              aria-pressed={draft.scheme === s}
              data-scheme={s}
              disabled={busy}
              onClick={() => update(withScheme(draft, s))}
            >
              {draft.scheme === s && <Icon name="ready" />}
              {t(`tech.address.schemes.${s}`)}
            </button>
          ))}
        </div>
      </fieldset>

      {draft.scheme === 'serial' && (
        <>
          <fieldset className="choice-group">
            <legend className="tech-label">{t('tech.address.ports')}</legend>
            {serialPorts.length === 0 ? (
              <p className="tech-note">{t('tech.address.noPorts')}</p>
            ) : (
              <div className="choices">
                {serialPorts.map((p) => (
                  <button
                    key={p.path}
                    type="button"
                    className="btn btn-small btn-choice"
                    aria-pressed={draft.detail === p.path}
                    disabled={busy}
                    onClick={() => update({ ...draft, detail: p.path })}
                  >
                    {draft.detail === p.path && <Icon name="ready" />}
                    <span className="code">{p.path}</span>
                    {p.manufacturer && <span className="choice-note">{p.manufacturer}</span>}
                  </button>
                ))}
              </div>
            )}
          </fieldset>
          <fieldset className="choice-group">
            <legend className="tech-label">{t('tech.address.baud')}</legend>
            <div className="choices">
              {[null, ...BAUD_RATES].map((b) => (
                <button
                  key={b ?? 'default'}
                  type="button"
                  className="btn btn-small btn-choice"
                  aria-pressed={draft.baud === b}
                  disabled={busy}
                  onClick={() => update({ ...draft, baud: b })}
                >
                  {draft.baud === b && <Icon name="ready" />}
                  {b === null ? t('tech.address.baudDefault') : b}
                </button>
              ))}
            </div>
          </fieldset>
        </>
      )}

      {draft.scheme !== 'none' && (
        <div className="address-detail">
          <label className="tech-label" htmlFor={detailId}>
            {t(`tech.address.detail.${draft.scheme}`)}
          </label>
          <input
            id={detailId}
            className="address-input code"
            value={draft.detail}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            placeholder={t(`tech.address.example.${draft.scheme}`)}
            disabled={busy}
            onChange={(e) => update({ ...draft, detail: e.target.value })}
          />
          {!needsDetail(draft.scheme) && <p className="tech-note">{t('tech.address.optional')}</p>}
          <AddressKeys
            disabled={busy}
            onKey={(k) => update({ ...draft, detail: draft.detail + k })}
            onBackspace={() => update({ ...draft, detail: draft.detail.slice(0, -1) })}
            onClear={() => update({ ...draft, detail: '' })}
          />
        </div>
      )}

      <p className="address-preview">
        <span className="tech-label">{t('tech.address.newAddress')}</span>
        <code className="code" data-testid="address-preview">
          {uri}
        </code>
      </p>
      {error !== null && (
        <p className="tech-result tone-bad" role="alert" data-testid="address-error">
          <Icon name="fault" />
          <span>{t('tech.address.refused', { error })}</span>
        </p>
      )}
      <div className="tech-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          <Icon name={busy ? 'clock' : 'ready'} />
          {busy ? t('tech.address.saving') : t('tech.address.save')}
        </button>
      </div>
    </form>
  );
}
