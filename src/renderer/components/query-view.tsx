/**
 * Loading, error and not-found states of a query, in the resident's language. An API failure is
 * never a blank or raw error screen: an honest message, a retry, and where to get help; a lapsed
 * session says so (the same sentence as every screen), with no retry that could not help.
 *
 * A query whose procedure answers a Result (the plan, an application, the applicant's list, an item
 * or a bundle of the catalog) is shown with `ResultView`: its error — `session-expired`, `not-found`,
 * `no-identity` — is data, switched over here, never a thrown error.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorOf, RouterOutputs, ValueOf } from '../api/index.js';
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

/** An application this session may not see: only the applicant's card or the receipt's access code opens it. */
export function AccessDeniedPanel() {
  const { t } = useTranslation();
  return (
    <div className="state-panel state-error" role="alert" data-testid="access-denied">
      <Icon name="warning" className="state-icon" />
      <p className="state-title">{t('progressFlow.access.deniedTitle')}</p>
      <p>{t('progressFlow.access.deniedBody')}</p>
    </div>
  );
}

/** A query that got no answer (the backend unreachable, or failed): say so, and offer a retry. */
export function QueryErrorPanel({ onRetry }: { onRetry: () => void }) {
  return <ErrorPanel onRetry={onRetry} />;
}

/** Why a read the screens make answered no value, as the router types it. */
export type ReadError = ErrorOf<
  | RouterOutputs['application']['plan']
  | RouterOutputs['progress']['mine']
  | RouterOutputs['progress']['detail']
  | RouterOutputs['catalog']['item']
  | RouterOutputs['catalog']['bundle']
>;

/** The panel for a read's error: the lapsed-session sentence, not found, or no card read yet. */
export function ReadErrorPanel({ error }: { error: ReadError }) {
  switch (error.kind) {
    case 'session-expired':
      return <SessionExpiredPanel />;
    case 'not-found':
      return <ErrorPanel notFound />;
    case 'no-identity':
      // The list belongs to the card read in this visit; a retry without one cannot help.
      return <ErrorPanel />;
    case 'access-denied':
    case 'too-many-attempts':
      // Not this session's case (docs/security.md, "Receipt access codes"): the card or the code opens it.
      return <AccessDeniedPanel />;
    default: {
      const never: never = error;
      return never;
    }
  }
}

/** A query answering a plain value: the value, or loading, or the failed call with a retry. */
export function QueryView<T>({
  query,
  children,
}: {
  query: UseQueryResult<T, unknown>;
  children: (data: T) => ReactNode;
}) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.isError) return <QueryErrorPanel onRetry={() => void query.refetch()} />;
  return <LoadingPanel />;
}

/** A query answering a Result: its value, or the panel for its error (or loading, or the retry). */
export function ResultView<O extends { ok: true; value: unknown } | { ok: false; error: ReadError }>({
  query,
  children,
}: {
  query: UseQueryResult<O, unknown>;
  children: (value: ValueOf<O>) => ReactNode;
}) {
  const data = query.data;
  if (data?.ok) return <>{children(data.value as ValueOf<O>)}</>;
  if (data) return <ReadErrorPanel error={data.error} />;
  if (query.isError) return <QueryErrorPanel onRetry={() => void query.refetch()} />;
  return <LoadingPanel />;
}
