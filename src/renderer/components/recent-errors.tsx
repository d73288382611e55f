/** The last device faults and failed tests from the audit log (overview.recentErrors), newest first. */
import { useTranslation } from 'react-i18next';
import type { TechOverviewOut } from '../api/index.js';
import { formatDateTime, isDeviceKind, summariseAuditDetail } from '../lib/tech-console.js';
import { Icon } from './icon.js';

type Entry = TechOverviewOut['recentErrors'][number];

const KNOWN_ACTIONS = ['device-fault', 'device-configured', 'test-print-failed'] as const;
type KnownAction = (typeof KNOWN_ACTIONS)[number];
const isKnown = (a: string): a is KnownAction => (KNOWN_ACTIONS as readonly string[]).includes(a);

export function RecentErrors({ entries }: { entries: Entry[] }) {
  const { t } = useTranslation();
  return (
    <section className="card tech-section" aria-labelledby="tech-errors-title" data-testid="recent-errors">
      <h3 id="tech-errors-title" className="section-title">
        <Icon name="warning" />
        {t('tech.errors.heading')}
      </h3>
      {entries.length === 0 ? (
        <p className="empty">{t('tech.errors.none')}</p>
      ) : (
        <ol className="audit-list">
          {entries.map((e, i) => {
            const summary = summariseAuditDetail(e.detail);
            const bad = e.action !== 'device-configured';
            return (
              <li key={`${e.at}-${i}`} className={`audit-entry ${bad ? 'tone-bad' : 'tone-info'}`}>
                <Icon name={bad ? 'fault' : 'edit'} />
                <div className="audit-text">
                  <p className="audit-head">
                    <strong>{isKnown(e.action) ? t(`tech.errors.actions.${e.action}`) : e.action}</strong>
                    {e.subject !== null && (
                      <span>{isDeviceKind(e.subject) ? t(`status.device.${e.subject}`) : e.subject}</span>
                    )}
                    <time className="audit-time" dateTime={e.at}>
                      {formatDateTime(e.at)}
                    </time>
                  </p>
                  {(summary.stateKey !== null || summary.text !== '') && (
                    <p className="audit-detail">
                      {summary.stateKey !== null && <span>{t(`status.state.${summary.stateKey}`)}</span>}
                      {summary.text !== '' && <span className="code">{summary.text}</span>}
                    </p>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
