/**
 * A small on-screen keyboard for device addresses (ports, hosts, VID:PID, URLs): the kiosk has no
 * keyboard, and the system's own on-screen keyboard is locked away in kiosk mode.
 */
import { useTranslation } from 'react-i18next';
import { Icon } from './icon.js';

const ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', './:-_?=&'] as const;

export function AddressKeys({
  onKey,
  onBackspace,
  onClear,
  disabled = false,
}: {
  onKey: (key: string) => void;
  onBackspace: () => void;
  onClear: () => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <div className="address-keys" role="group" aria-label={t('tech.address.keyboard')}>
      {ROWS.map((row) => (
        <div key={row} className="address-keys-row">
          {[...row].map((k) => (
            <button key={k} type="button" className="btn key" disabled={disabled} onClick={() => onKey(k)}>
              {k}
            </button>
          ))}
        </div>
      ))}
      <div className="address-keys-row">
        <button type="button" className="btn key key-wide" disabled={disabled} onClick={onBackspace}>
          <Icon name="backspace" />
          {t('tech.pin.delete')}
        </button>
        <button type="button" className="btn key key-wide" disabled={disabled} onClick={onClear}>
          {t('tech.pin.clear')}
        </button>
      </div>
    </div>
  );
}
