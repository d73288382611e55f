/**
 * Loading, error and not-found states of a query, in the resident's language. An API failure is
 * never a blank or raw error screen: an honest message, a retry, and where to get help; a lapsed
 * session says so (the same sentence as every screen), with no retry that could not help.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isLapseThrown, rpcErrorCode } from '../api/index.js';
import { Icon } from './icon.js';

export function LoadingPanel() {
  const { t } = useTranslation();
  return (
    <div className="state-panel" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <p>{t('common.loading')}</p>
    </div>
  );
}

export function ErrorPanel({ onRetry, notFound = false }: { onRetry?: () => void; notFound?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="state-panel state-error" role="alert" data-testid="error-panel">
      <Icon name="warning" className="state-icon" />
      {/* Not a heading: the panel can stand under any level of heading of the screen around it. */}
      <p className="state-title">{notFound ? t('common.notFoundTitle') : t('common.errorTitle')}</p>
      <p>{notFound ? t('common.notFoundBody') : t('common.errorBody')}</p>
      {onRetry && !notFound && (
        <button type="button" className="btn btn-primary btn-bar" onClick={onRetry}>
          <Icon name="retry" />
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** The resident's session is gone: the one sentence every screen uses (go home, start again). */
export function SessionExpiredPanel() {
  const { t } = useTranslation();
  return (
    <div className="state-panel state-error" role="alert" data-testid="session-expired">
      <Icon name="warning" className="state-icon" />
      <p className="state-title">{t('sessionFlow.expired')}</p>
    </div>
  );
}

/** The panel for a failed query: lapsed session, not found, or an error with a retry. */
export function QueryErrorPanel({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  if (isLapseThrown(error)) return <SessionExpiredPanel />;
  return <ErrorPanel notFound={rpcErrorCode(error) === 'NOT_FOUND'} onRetry={onRetry} />;
}

export function QueryView<T>({
  query,
  children,
}: {
  query: UseQueryResult<T, unknown>;
  children: (data: T) => ReactNode;
}) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.isError) {
    return <QueryErrorPanel error={query.error} onRetry={() => void query.refetch()} />;
  }
  return <LoadingPanel />;
}
