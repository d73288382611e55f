/**
 * What the simulated printers printed, newest first, as the paper would look (PNG data URLs from
 * tech.previews). Refreshed after every test print; the refresh button is for prints made elsewhere.
 */
import { useTranslation } from 'react-i18next';
import { useTechPreviews } from '../api/index.js';
import { useExpireOnUnauthorized } from '../hooks/use-tech-session.js';
import { formatTimeOfDay } from '../lib/tech-console.js';
import { Icon } from './icon.js';

export const PREVIEW_LIMIT = 6;

export function ReceiptPreviews({ onExpired }: { onExpired: () => void }) {
  const { t } = useTranslation();
  const previews = useTechPreviews(PREVIEW_LIMIT);
  useExpireOnUnauthorized(previews.error, onExpired);
  const list = previews.data ?? [];
  return (
    <section className="card tech-section" aria-labelledby="tech-previews-title" data-testid="tech-previews">
      <div className="tech-section-head">
        <h3 id="tech-previews-title" className="section-title">
          <Icon name="image" />
          {t('tech.previews.heading')}
        </h3>
        <button
          type="button"
          className="btn btn-small"
          disabled={previews.isFetching}
          onClick={() => void previews.refetch()}
        >
          <Icon name="retry" />
          {t('tech.previews.refresh')}
        </button>
      </div>
      <p className="tech-note">{t('tech.previews.intro', { count: PREVIEW_LIMIT })}</p>
      {previews.isError ? (
        <p className="tech-result tone-bad" role="alert">
          <Icon name="warning" />
          <span>{t('tech.previews.failed')}</span>
        </p>
      ) : list.length === 0 ? (
        <p className="empty">{previews.isPending ? t('common.loading') : t('tech.previews.empty')}</p>
      ) : (
        <ol className="previews">
          {list.map((p) => {
            const device = t(`status.device.${p.which}`);
            const time = formatTimeOfDay(p.at);
            return (
              <li key={`${p.which}-${p.id}`} className="preview" data-which={p.which}>
                <figure>
                  <img
                    className="preview-image"
                    src={p.png}
                    alt={t('tech.previews.alt', { device, time })}
                    data-testid="preview-image"
                  />
                  <figcaption className="preview-caption">
                    <Icon name={p.which === 'printer' ? 'printer' : 'queue'} />
                    <span>
                      {device} · <time dateTime={p.at}>{time}</time>
                    </span>
                  </figcaption>
                </figure>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
