/**
 * A small on-screen keyboard for device addresses (ports, hosts, VID:PID, URLs): the kiosk has no
 * keyboard, and the system's own on-screen keyboard is locked away in kiosk mode.
 */
import { useState } from 'react';
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
  // Device paths need capitals: /dev/ttyUSB0, /dev/ttyACM0, COM3.
  const [upper, setUpper] = useState(false);
  return (
    <div className="address-keys" role="group" aria-label={t('tech.address.keyboard')}>
      {ROWS.map((row) => (
        <div key={row} className="address-keys-row">
          {[...row].map((k) => {
            const typed = upper ? k.toUpperCase() : k;
            return (
              <button
                key={k}
                type="button"
                className="btn key"
                data-key={typed}
                disabled={disabled}
                onClick={() => onKey(typed)}
              >
                {typed}
              </button>
            );
          })}
        </div>
      ))}
      <div className="address-keys-row">
        <button
          type="button"
          className="btn key key-wide"
          data-key="caps"
          aria-pressed={upper}
          disabled={disabled}
          onClick={() => setUpper((u) => !u)}
        >
          {t('keyboardFlow.caps')}
        </button>
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
