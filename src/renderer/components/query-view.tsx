/**
 * Loading, error and not-found states of a catalog query, in the resident's language. An API failure
 * is never a blank or raw error screen: an honest message, a retry, and where to get help.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from './icon.js';

function isNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('data' in error)) return false;
  const data = (error as { data?: unknown }).data;
  return typeof data === 'object' && data !== null && (data as { code?: unknown }).code === 'NOT_FOUND';
}

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

export function QueryView<T>({
  query,
  children,
}: {
  query: UseQueryResult<T, unknown>;
  children: (data: T) => ReactNode;
}) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.isError) {
    return <ErrorPanel notFound={isNotFound(query.error)} onRetry={() => void query.refetch()} />;
  }
  return <LoadingPanel />;
}
