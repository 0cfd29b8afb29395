import type { ApiError } from "../api";
import { useT } from "../i18n";

function detailsText(details: unknown): string | null {
  if (details === undefined || details === null || details === "") return null;
  if (typeof details === "string") return details;
  try {
    return JSON.stringify(details, null, 2);
  } catch {
    return String(details);
  }
}

/** A clear error banner: message first, then the code and any details, all as text. */
export function ErrorBanner({ error, onDismiss }: { error: ApiError; onDismiss?: () => void }) {
  const t = useT();
  const details = detailsText(error.details);
  return (
    <div className="error-banner" role="alert" data-testid="error" data-code={error.code}>
      <div className="error-body">
        <strong className="error-title">{t.errorTitle}</strong>
        <p className="error-message" data-testid="error-message">
          {error.message}
        </p>
        <p className="error-code">
          {t.errorCode}: <code data-testid="error-code">{error.code}</code>
        </p>
        {details !== null && (
          <details className="error-details">
            <summary>{t.errorDetails}</summary>
            <pre>{details}</pre>
          </details>
        )}
      </div>
      {onDismiss && (
        <button type="button" className="btn btn-quiet" onClick={onDismiss} data-testid="error-dismiss">
          {t.dismiss}
        </button>
      )}
    </div>
  );
}
