import { useRef, useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { toApiError } from "../api";
import type { Actor, ApiError, SessionView } from "../api";
import { useApi } from "../apiContext";
import { roleText, useT } from "../i18n";
import { TextField } from "./Field";
import { FormError } from "./FormError";

/**
 * Covers the whole window while the session is locked. The work underneath
 * stays mounted (a half-typed question survives) but hidden and inert; the
 * same user's password unlocks it. Someone else may log in from here: their
 * credentials are checked before the locked session ends, so a wrong guess
 * changes nothing, and the locked user's unsaved intake is kept for them.
 */
export function LockScreen({ user, onDone }: { user: Actor | null; onDone: (view: SessionView) => void }) {
  const [switching, setSwitching] = useState(false);
  return switching ? (
    <SwitchUserForm onDone={onDone} onBack={() => setSwitching(false)} />
  ) : (
    <UnlockForm user={user} onDone={onDone} onSwitch={() => setSwitching(true)} />
  );
}

function UnlockForm({
  user,
  onDone,
  onSwitch,
}: {
  user: Actor | null;
  onDone: (view: SessionView) => void;
  onSwitch: () => void;
}) {
  const api = useApi();
  const t = useT();
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const unlock = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || password === "") return;
    setBusy(true);
    setError(null);
    try {
      const view = await api.unlockSession(password);
      setPassword("");
      setBusy(false);
      onDone(view);
    } catch (err) {
      setError(toApiError(err));
      setPassword("");
      setBusy(false);
      passwordRef.current?.focus();
    }
  };

  return (
    <LockFrame>
      <form className="auth-card auth-form" onSubmit={(e) => void unlock(e)}>
        <LockHeading />
        {user && (
          <p className="lock-user" data-testid="lock-user" data-username={user.username}>
            {t.lockedUser(user.display_name || user.username, roleText(t, user.role))}
          </p>
        )}
        <p className="muted">{t.lockHelp}</p>
        <TextField
          ref={passwordRef}
          label={t.passwordLabel}
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          autoFocus
          disabled={busy}
          testId="unlock-password"
        />
        <FormError error={error} testId="unlock-error" />
        <button type="submit" className="btn btn-primary" disabled={busy || password === ""} data-testid="unlock-submit">
          {busy ? t.unlocking : t.unlockSubmit}
        </button>
        <div className="lock-switch">
          <button type="button" className="btn btn-link" onClick={onSwitch} disabled={busy} data-testid="lock-switch-user">
            {t.switchUser}
          </button>
          <p className="muted small">{t.switchUserHelp}</p>
        </div>
      </form>
    </LockFrame>
  );
}

function SwitchUserForm({ onDone, onBack }: { onDone: (view: SessionView) => void; onBack: () => void }) {
  const api = useApi();
  const t = useT();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const ready = username.trim() !== "" && password !== "";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !ready) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await api.login(username.trim(), password));
    } catch (err) {
      setError(toApiError(err));
      setPassword("");
      setBusy(false);
      passwordRef.current?.focus();
    }
  };

  return (
    <LockFrame>
      <form className="auth-card auth-form" onSubmit={(e) => void submit(e)} data-testid="switch-form">
        <LockHeading />
        <p className="muted">{t.switchUserHelp}</p>
        <TextField
          label={t.usernameLabel}
          value={username}
          onChange={setUsername}
          autoComplete="username"
          spellCheck={false}
          autoFocus
          disabled={busy}
          testId="switch-username"
        />
        <TextField
          ref={passwordRef}
          label={t.passwordLabel}
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          disabled={busy}
          testId="switch-password"
        />
        <FormError error={error} testId="switch-error" />
        <button type="submit" className="btn btn-primary" disabled={busy || !ready} data-testid="switch-submit">
          {busy ? t.loggingIn : t.loginSubmit}
        </button>
        <div className="lock-switch">
          <button type="button" className="btn btn-link" onClick={onBack} disabled={busy} data-testid="switch-back">
            {t.switchBack}
          </button>
        </div>
      </form>
    </LockFrame>
  );
}

function LockFrame({ children }: { children: ReactNode }) {
  return (
    <div className="lock-screen" role="dialog" aria-modal="true" aria-labelledby="lock-title" data-testid="lock-screen">
      {children}
    </div>
  );
}

function LockHeading() {
  const t = useT();
  return (
    <>
      <div className="auth-brand">
        <span className="brand-name">{t.appName}</span>
        <span className="brand-tagline">{t.appTagline}</span>
      </div>
      <h1 id="lock-title">{t.lockTitle}</h1>
    </>
  );
}
