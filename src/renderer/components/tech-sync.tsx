/**
 * 大厅同步 in the technician console: the sync state (backlog, last success, last error, online) and
 * enrolment with the hall's address and a one-time code, typed on the on-screen keyboard.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rpcErrorCode, rpcErrorMessage, useSyncEnroll, useTechSyncStatus } from '../api/index.js';
import { formatDateTime } from '../lib/tech-console.js';
import { AddressKeys } from './address-keys.js';
import { Icon } from './icon.js';

type Field = 'hallUrl' | 'code';

export function TechSync({ onExpired }: { onExpired: () => void }) {
  const { t } = useTranslation();
  const status = useTechSyncStatus();
  const [fields, setFields] = useState<Record<Field, string>>({ hallUrl: 'http://', code: '' });
  const [editing, setEditing] = useState<Field>('hallUrl');
  const enroll = useSyncEnroll({
    onError: (e) => (rpcErrorCode(e) === 'UNAUTHORIZED' ? onExpired() : undefined),
    onSuccess: () => void status.refetch(),
  });
  const s = status.data;
  const edit = (f: (v: string) => string) => setFields((old) => ({ ...old, [editing]: f(old[editing]) }));

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
      <div className="sync-fields">
        {(['hallUrl', 'code'] as const).map((f) => (
          <label key={f} className={`sync-field ${editing === f ? 'is-editing' : ''}`}>
            <span>{t(`tech.sync.${f}`)}</span>
            <input
              value={fields[f]}
              readOnly
              inputMode="none"
              onFocus={() => setEditing(f)}
              onClick={() => setEditing(f)}
              data-testid={`sync-${f}`}
            />
          </label>
        ))}
      </div>
      <AddressKeys
        onKey={(k) => edit((v) => v + k)}
        onBackspace={() => edit((v) => v.slice(0, -1))}
        onClear={() => edit(() => '')}
        disabled={enroll.isPending}
      />
      <div className="tech-actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={enroll.isPending || fields.code.length < 4}
          onClick={() => enroll.mutate({ hallUrl: fields.hallUrl, code: fields.code })}
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
