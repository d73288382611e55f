import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dateParts, formatTime } from '../lib/format.js';
import { useLanguage } from '../hooks/use-language.js';

/** Live time and date, following the backend's clock (offsetMs). */
export function Clock({ offsetMs }: { offsetMs: number }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, []);
  const date = new Date(now + offsetMs);
  return (
    <div className="clock" aria-label={t('clock.label')} role="group">
      <time className="clock-time" dateTime={date.toISOString()}>
        {formatTime(date)}
      </time>
      <span className="clock-date">{t('clock.date', dateParts(date, lang))}</span>
    </div>
  );
}
