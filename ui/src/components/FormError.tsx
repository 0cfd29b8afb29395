import type { ApiError } from "../api";
import { errorText, useT } from "../i18n";

/**
 * A form's error line, as text: a check done here (already translated) or a
 * backend error translated by its code. The backend's own English message is
 * kept in the tooltip, and shown below when `showOriginal` (admin screens,
 * where its specifics help).
 */
export function FormError({
  error,
  testId,
  showOriginal = false,
}: {
  error: ApiError | string | null;
  testId: string;
  showOriginal?: boolean;
}) {
  const t = useT();
  if (error === null) return null;
  if (typeof error === "string") {
    return (
      <div className="form-error" role="alert" data-testid={testId}>
        <p className="form-error-message">{error}</p>
      </div>
    );
  }
  const text = errorText(t, error.code, error.message);
  const original = error.message.trim() !== "" && error.message !== text ? error.message : null;
  return (
    <div className="form-error" role="alert" data-testid={testId} data-code={error.code}>
      <p className="form-error-message" title={original ?? undefined}>
        {text}
      </p>
      {showOriginal && original !== null && (
        <p className="form-error-original" lang="en">
          {original}
        </p>
      )}
    </div>
  );
}
