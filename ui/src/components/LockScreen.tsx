import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { toApiError } from "../api";
import type { Actor, ApiError, SessionView } from "../api";
import { useApi } from "../apiContext";
import { roleText, useT } from "../i18n";
import { TextField } from "./Field";
import { FormError } from "./FormError";

/**
 * Covers the whole window while the session is locked. The work underneath
 * stays mounted (a half-typed question survives) but hidden and inert; the
 * same user's password unlocks it, or someone else logs in after a logout.
 */
export function LockScreen({ user, onDone }: { user: Actor | null; onDone: (view: SessionView) => void }) {
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

  const switchUser = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await api.logout());
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  };

  return (
    <div className="lock-screen" role="dialog" aria-modal="true" aria-labelledby="lock-title" data-testid="lock-screen">
      <form className="auth-card auth-form" onSubmit={(e) => void unlock(e)}>
        <div className="auth-brand">
          <span className="brand-name">{t.appName}</span>
          <span className="brand-tagline">{t.appTagline}</span>
        </div>
        <h1 id="lock-title">{t.lockTitle}</h1>
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
          <button type="button" className="btn btn-link" onClick={() => void switchUser()} disabled={busy} data-testid="lock-switch-user">
            {t.switchUser}
          </button>
          <p className="muted small">{t.switchUserHelp}</p>
        </div>
      </form>
    </div>
  );
}
