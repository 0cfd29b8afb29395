import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { toApiError } from "../api";
import type { Actor, ApiError, SessionView } from "../api";
import { useApi } from "../apiContext";
import { useT } from "../i18n";
import { TextField } from "./Field";
import { FormError } from "./FormError";

/**
 * The user replaces their own password: the current one first, the new one twice. Shown
 * before anything else when an admin set the password (`required`; the only way out is to
 * change it or log out), and from the user box whenever the user wants.
 */
export function PasswordChange({
  user,
  required,
  onDone,
  onLeave,
}: {
  user: Actor;
  required: boolean;
  onDone: (view: SessionView) => void;
  /** Log out (required) or close the form (voluntary). */
  onLeave: () => void;
}) {
  const api = useApi();
  const t = useT();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const currentRef = useRef<HTMLInputElement>(null);
  const mismatch = again !== "" && next !== again;
  const ready = current !== "" && next !== "" && next === again;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !ready) return;
    setBusy(true);
    setError(null);
    try {
      const view = await api.passwordChange(current, next);
      setBusy(false);
      onDone(view);
    } catch (err) {
      setError(toApiError(err));
      setCurrent("");
      setBusy(false);
      currentRef.current?.focus();
    }
  };

  return (
    <div className="lock-screen" role="dialog" aria-modal="true" aria-labelledby="password-change-title" data-testid="password-change">
      <form className="auth-card auth-form" onSubmit={(e) => void submit(e)} data-testid="password-change-form">
        <h1 id="password-change-title">{t.passwordChangeTitle}</h1>
        <p className="muted" data-testid={required ? "password-change-required" : undefined}>
          {required ? t.passwordChangeRequired(user.display_name || user.username) : t.passwordChangeHelp}
        </p>
        <TextField
          ref={currentRef}
          label={t.passwordCurrentLabel}
          type="password"
          value={current}
          onChange={setCurrent}
          autoComplete="current-password"
          autoFocus
          disabled={busy}
          testId="password-current"
        />
        <TextField
          label={t.passwordNewLabel}
          type="password"
          value={next}
          onChange={setNext}
          autoComplete="new-password"
          disabled={busy}
          testId="password-new"
        />
        <TextField
          label={t.passwordConfirmLabel}
          type="password"
          value={again}
          onChange={setAgain}
          autoComplete="new-password"
          disabled={busy}
          error={mismatch ? t.passwordMismatch : undefined}
          testId="password-new-confirm"
        />
        <FormError error={error} testId="password-change-error" />
        <button type="submit" className="btn btn-primary" disabled={busy || !ready} data-testid="password-change-submit">
          {t.passwordChangeSubmit}
        </button>
        <div className="lock-switch">
          <button type="button" className="btn btn-link" onClick={onLeave} disabled={busy} data-testid="password-change-leave">
            {required ? t.logoutButton : t.cancel}
          </button>
        </div>
      </form>
    </div>
  );
}
