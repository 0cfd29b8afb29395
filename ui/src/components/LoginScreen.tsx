import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { toApiError } from "../api";
import type { ApiError, SessionView } from "../api";
import { useApi } from "../apiContext";
import { useT } from "../i18n";
import { AuthFrame } from "./AuthFrame";
import { FormError } from "./FormError";

export function LoginScreen({ onDone }: { onDone: (view: SessionView) => void }) {
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
    <AuthFrame title={t.loginTitle}>
      <form className="auth-form" onSubmit={(e) => void submit(e)} data-testid="login-form">
        <label className="field">
          <span className="label">{t.usernameLabel}</span>
          <input
            type="text"
            className="input"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            spellCheck={false}
            autoFocus
            disabled={busy}
            data-testid="login-username"
          />
        </label>
        <label className="field">
          <span className="label">{t.passwordLabel}</span>
          <input
            ref={passwordRef}
            type="password"
            className="input"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            disabled={busy}
            data-testid="login-password"
          />
        </label>
        <FormError error={error} testId="login-error" />
        <button type="submit" className="btn btn-primary" disabled={busy || !ready} data-testid="login-submit">
          {busy ? t.loggingIn : t.loginSubmit}
        </button>
      </form>
    </AuthFrame>
  );
}
