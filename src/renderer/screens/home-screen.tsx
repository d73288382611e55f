/** Home / attract screen: five large service tiles and the kiosk's live status. */
import { useEffect } from 'react';
import { hallOpening } from '../../shared/browser.js';
import { useQueueHours } from '../api/index.js';
import { useTranslation } from 'react-i18next';
import { Icon, type IconName } from '../components/icon.js';
import { DeviceNotices, StatusPanel } from '../components/status-panel.js';
import type { KioskStatus } from '../hooks/use-kiosk-status.js';
import { useLanguage } from '../hooks/use-language.js';
import { hallHoursLine } from '../lib/hall-hours.js';
import { sayWith } from '../flows/queue/queue-view.js';
import type { Route } from '../lib/navigation.js';
import { useResidentSession } from '../session/session-context.js';

/** How often the alarm for a card left on the reader is said again while it lies there. */
export const CARD_LEFT_REPEAT_MS = 8_000;

type TileKey = 'apply' | 'progress' | 'queue' | 'guide' | 'evaluate';

const TILES: readonly { key: TileKey; icon: IconName; route: Route }[] = [
  { key: 'apply', icon: 'apply', route: { name: 'apply', target: null } },
  { key: 'progress', icon: 'progress', route: { name: 'progress' } },
  { key: 'queue', icon: 'queue', route: { name: 'queue' } },
  { key: 'guide', icon: 'guide', route: { name: 'catalog', query: '' } },
  { key: 'evaluate', icon: 'star', route: { name: 'evaluate' } },
];

export function HomeScreen({ kiosk, onOpen }: { kiosk: KioskStatus; onOpen: (route: Route) => void }) {
  const { t } = useTranslation();
  return (
    <div className="home">
      <div className="home-greeting">
        <h2 className="screen-title">{t('home.greeting')}</h2>
        <p className="home-sub">{t('app.subtitle')}</p>
        <HallHours />
        {kiosk.status?.cardLeft === true && <CardLeftAlarm />}
        <DeviceNotices devices={kiosk.status?.devices} />
      </div>
      <ul className="tiles" aria-label={t('home.tilesLabel')}>
        {TILES.map((tile) => (
          <li key={tile.key} className={`tile-cell tile-cell-${tile.key}`}>
            <button
              type="button"
              className={`tile tile-${tile.key}`}
              // The name is the label alone (exactly 我要办事 …); the hint is read as the description.
              aria-describedby={`tile-${tile.key}-hint`}
              data-tile={tile.key}
              onClick={() => onOpen(tile.route)}
            >
              <span className="tile-icon">
                <Icon name={tile.icon} />
              </span>
              <span className="tile-text">
                <span className="tile-label">{t(`home.tiles.${tile.key}.label`)}</span>
                <span className="tile-hint" id={`tile-${tile.key}-hint`} aria-hidden="true">
                  {t(`home.tiles.${tile.key}.hint`)}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="home-side">
        <StatusPanel kiosk={kiosk} />
      </div>
    </div>
  );
}

/**
 * Today's hours of the hall, or that it is closed now and self-service is there 24 hours, with when it
 * opens next. Nothing while the hours are not known (the line is help, not a fault to report).
 */
function HallHours() {
  const { t } = useTranslation();
  const lang = useLanguage();
  const hours = useQueueHours();
  const hall = hours.data ? hallOpening(hours.data.windows) : null;
  if (hall === null) return null;
  const line = hallHoursLine(hall, sayWith(t), lang === 'en' ? 'en' : 'zh');
  return (
    <p className={`home-hours home-hours-${line.state}`} data-testid="home-hours" data-state={line.state}>
      <Icon name="clock" />
      <span className="home-hours-text">
        <span data-testid="home-hours-today">{line.text}</span>
        {line.next !== null && (
          <span className="home-hours-next" data-testid="home-hours-next">
            {line.next}
          </span>
        )}
      </span>
    </p>
  );
}

/**
 * A card was left on the reader when the last session ended (docs/security.md, "Whose card, whose
 * case"): shown on the home screen and said again and again until the card is taken.
 */
function CardLeftAlarm() {
  const { t } = useTranslation();
  const { voice } = useResidentSession();
  const text = t('home.cardLeft');
  useEffect(() => {
    voice.say(text);
    const timer = setInterval(() => voice.say(text), CARD_LEFT_REPEAT_MS);
    return () => clearInterval(timer);
  }, [text, voice]);
  return (
    <div className="notice notice-bad card-left-alarm" role="alert" data-testid="card-left-alarm">
      <Icon name="idcard" />
      <p>{text}</p>
    </div>
  );
}
