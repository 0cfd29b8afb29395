import type { ApiError } from "../api";
import { errorText, useT } from "../i18n";

function detailsText(details: unknown): string | null {
  if (details === undefined || details === null || details === "") return null;
  if (typeof details === "string") return details;
  try {
    return JSON.stringify(details, null, 2);
  } catch {
    return String(details);
  }
}

/**
 * A clear error banner, all as text: the message in the user's language first,
 * then the code, then (collapsed) the backend's original English message and
 * any details, for support staff. `message` replaces the code's general text
 * where the action makes a more precise one possible.
 */
export function ErrorBanner({ error, onDismiss, message }: { error: ApiError; onDismiss?: () => void; message?: string }) {
  const t = useT();
  const text = message ?? errorText(t, error.code, error.message);
  const original = error.message.trim() !== "" && error.message !== text ? error.message : null;
  const details = detailsText(error.details);
  return (
    <div className="error-banner" role="alert" data-testid="error" data-code={error.code}>
      <div className="error-body">
        <strong className="error-title">{t.errorTitle}</strong>
        <p className="error-message" data-testid="error-message">
          {text}
        </p>
        <p className="error-code">
          {t.errorCode}: <code data-testid="error-code">{error.code}</code>
        </p>
        {(original !== null || details !== null) && (
          <details className="error-details">
            <summary>{t.errorDetails}</summary>
            {original !== null && (
              <>
                <p className="error-details-label">{t.errorOriginalMessage}</p>
                <pre lang="en" data-testid="error-original-message">
                  {original}
                </pre>
              </>
            )}
            {details !== null && (
              <>
                <p className="error-details-label">{t.errorTechnicalDetails}</p>
                <pre lang="en" data-testid="error-details">
                  {details}
                </pre>
              </>
            )}
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
