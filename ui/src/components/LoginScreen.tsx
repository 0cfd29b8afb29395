import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { toApiError } from "../api";
import type { ApiError, SessionView } from "../api";
import { useApi } from "../apiContext";
import { useT } from "../i18n";
import { AuthFrame } from "./AuthFrame";
import { TextField } from "./Field";
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
        <TextField
          label={t.usernameLabel}
          value={username}
          onChange={setUsername}
          autoComplete="username"
          spellCheck={false}
          autoFocus
          disabled={busy}
          testId="login-username"
        />
        <TextField
          ref={passwordRef}
          label={t.passwordLabel}
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          disabled={busy}
          testId="login-password"
        />
        <FormError error={error} testId="login-error" />
        <button type="submit" className="btn btn-primary" disabled={busy || !ready} data-testid="login-submit">
          {busy ? t.loggingIn : t.loginSubmit}
        </button>
      </form>
    </AuthFrame>
  );
}
