import { useEffect, useMemo } from "react";
import { watchSessionGate } from "./api";
import { ApiProvider, useApi } from "./apiContext";
import { AuthFrame } from "./components/AuthFrame";
import { DbErrorScreen } from "./components/DbErrorScreen";
import { ErrorBanner } from "./components/ErrorBanner";
import { LockScreen } from "./components/LockScreen";
import { PasswordChange } from "./components/PasswordChange";
import { LoginScreen } from "./components/LoginScreen";
import { PassphraseScreen } from "./components/PassphraseScreen";
import { SetupWizard } from "./components/SetupWizard";
import { Workspace } from "./components/Workspace";
import { useT } from "./i18n";
import { useSession } from "./state";

/**
 * Picks the screen from the backend's session stage. The workspace is shown
 * while active and kept mounted under the lock screen while locked, so the
 * user's unsaved work survives a lock.
 */
export function App() {
  const rawApi = useApi();
  const t = useT();
  const session = useSession(rawApi);
  const { view, refresh, apply } = session;

  // Any call refused because the session locked or ended re-reads the session,
  // which brings up the lock or login screen.
  const api = useMemo(() => watchSessionGate(rawApi, () => void refresh()), [rawApi, refresh]);

  useEffect(() => {
    document.title = t.appName;
  }, [t]);

  let screen;
  if (view === null) {
    screen = (
      <AuthFrame title={t.appName}>
        {session.error ? (
          <>
            <p className="muted">{t.sessionLoadFailed}</p>
            <ErrorBanner error={session.error} />
            <button type="button" className="btn btn-primary" onClick={() => void refresh()} data-testid="session-retry">
              {t.retry}
            </button>
          </>
        ) : (
          <p className="muted" data-testid="session-loading">
            {t.loading}
          </p>
        )}
      </AuthFrame>
    );
  } else if (view.stage === "needs_setup") {
    screen = <SetupWizard needsKey={view.needsKey} onDone={apply} onFailed={() => void refresh()} />;
  } else if (view.stage === "needs_passphrase") {
    screen = <PassphraseScreen onDone={apply} />;
  } else if (view.stage === "db_error") {
    screen = <DbErrorScreen error={view.error} />;
  } else if (view.stage === "change_password" && view.user) {
    screen = (
      <PasswordChange
        user={view.user}
        required
        onDone={apply}
        onLeave={() => void api.logout().then(apply, () => void refresh())}
      />
    );
  } else if ((view.stage === "active" || view.stage === "locked") && view.user) {
    const locked = view.stage === "locked";
    screen = (
      <>
        <Workspace
          key={view.user.user_id}
          user={view.user}
          locked={locked}
          idleLockMinutes={view.idleLockMinutes}
          auditAlarm={view.auditAlarm}
          pendingAuditAlarms={view.pendingAuditAlarms}
          onSessionView={apply}
        />
        {locked && <LockScreen user={view.user} onDone={apply} />}
      </>
    );
  } else {
    // needs_login, or a stage this window does not know yet.
    screen = <LoginScreen onDone={apply} />;
  }

  return <ApiProvider api={api}>{screen}</ApiProvider>;
}
