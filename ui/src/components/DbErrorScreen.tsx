import type { ApiError } from "../api";
import { useT } from "../i18n";
import { AuthFrame } from "./AuthFrame";
import { ErrorBanner } from "./ErrorBanner";

/** The database could not be opened (altered, damaged, key file unreadable). */
export function DbErrorScreen({ error }: { error: ApiError | null }) {
  const t = useT();
  return (
    <AuthFrame title={t.dbErrorTitle}>
      <div className="db-error" data-testid="db-error" data-code={error?.code}>
        {error ? <ErrorBanner error={error} /> : <p className="form-error-message">{t.errors.db_open_failed}</p>}
        <p className="muted">{t.dbErrorHelp}</p>
      </div>
    </AuthFrame>
  );
}
