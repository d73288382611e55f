/**
 * 大厅同步 in the technician console: the sync state (backlog, last success, last error, online) and
 * enrolment with a one-time code typed on the on-screen keyboard. The hall's address is shown, not
 * typed: it comes from the configuration file (docs/security.md, "Technician powers").
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rpcErrorCode, rpcErrorMessage, useSyncEnroll, useTechSyncStatus } from '../api/index.js';
import { formatDateTime } from '../lib/tech-console.js';
import { AddressKeys } from './address-keys.js';
import { Icon } from './icon.js';

export function TechSync({ onExpired }: { onExpired: () => void }) {
  const { t } = useTranslation();
  const status = useTechSyncStatus();
  const [code, setCode] = useState('');
  const enroll = useSyncEnroll({
    onError: (e) => (rpcErrorCode(e) === 'UNAUTHORIZED' ? onExpired() : undefined),
    onSuccess: () => void status.refetch(),
  });
  const s = status.data;
  const hallUrl = s?.configuredHallUrl ?? null;

  return (
    <section className="card tech-section" aria-labelledby="tech-sync-title" data-testid="tech-sync">
      <h3 id="tech-sync-title" className="section-title">
        <Icon name={s?.online ? 'online' : 'offline'} />
        {t('tech.sync.heading')}
      </h3>
      {s && (
        <dl className="sync-facts" data-testid="sync-facts">
          <div>
            <dt>{t('tech.sync.state')}</dt>
            <dd>{s.online ? t('tech.sync.online') : t('tech.sync.offline')}</dd>
          </div>
          <div>
            <dt>{t('tech.sync.backlog')}</dt>
            <dd data-testid="sync-backlog">{s.backlog}</dd>
          </div>
          <div>
            <dt>{t('tech.sync.lastSuccess')}</dt>
            <dd>{s.lastSuccessAt ? formatDateTime(s.lastSuccessAt) : t('tech.sync.never')}</dd>
          </div>
          <div>
            <dt>{t('tech.sync.lastError')}</dt>
            <dd>{s.lastError ?? t('tech.sync.none')}</dd>
          </div>
        </dl>
      )}
      {status.isError && <p className="tech-detail">{rpcErrorMessage(status.error)}</p>}
      <h4 className="tech-test-title">{t('tech.sync.enrollHeading')}</h4>
      <dl className="sync-facts">
        <div>
          <dt>{t('tech.sync.hallUrl')}</dt>
          <dd data-testid="sync-hallUrl">{hallUrl ?? t('tech.sync.none')}</dd>
        </div>
      </dl>
      <p className="tech-detail">{hallUrl ? t('tech.sync.hallUrlFromConfig') : t('tech.sync.noHallUrl')}</p>
      <div className="sync-fields">
        <label className="sync-field is-editing">
          <span>{t('tech.sync.code')}</span>
          <input value={code} readOnly inputMode="none" data-testid="sync-code" />
        </label>
      </div>
      <AddressKeys
        onKey={(k) => setCode((v) => v + k)}
        onBackspace={() => setCode((v) => v.slice(0, -1))}
        onClear={() => setCode('')}
        disabled={enroll.isPending || !hallUrl}
      />
      <div className="tech-actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={enroll.isPending || !hallUrl || code.trim().length < 4}
          onClick={() => enroll.mutate({ code })}
          data-testid="sync-enroll"
        >
          <Icon name="online" />
          {t('tech.sync.enroll')}
        </button>
      </div>
      <div aria-live="polite" data-testid="sync-enroll-result">
        {enroll.data?.ok && (
          <p className="tech-result tone-ok">
            {t('tech.sync.enrolled', { kioskId: enroll.data.value.kioskId })}
          </p>
        )}
        {enroll.data && !enroll.data.ok && (
          <p className="tech-result tone-bad">
            {t('tech.sync.enrollFailed')}{' '}
            <span className="tech-detail" data-kind={enroll.data.error.kind}>
              {/* The hall's or the network's own words where there are some; else what went wrong. */}
              {'message' in enroll.data.error ? enroll.data.error.message : enroll.data.error.kind}
            </span>
          </p>
        )}
        {enroll.isError && rpcErrorCode(enroll.error) !== 'UNAUTHORIZED' && (
          <p className="tech-result tone-bad">{rpcErrorMessage(enroll.error)}</p>
        )}
      </div>
    </section>
  );
}
