import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { toApiError } from "../api";
import type { ApiError, SessionView } from "../api";
import { useApi } from "../apiContext";
import { useT } from "../i18n";
import { AuthFrame } from "./AuthFrame";
import { TextField } from "./Field";
import { FormError } from "./FormError";

/** Start of the day: the database passphrase opens the encrypted database. */
export function PassphraseScreen({ onDone }: { onDone: (view: SessionView) => void }) {
  const api = useApi();
  const t = useT();
  const [passphrase, setPassphrase] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || passphrase === "") return;
    setBusy(true);
    setError(null);
    try {
      onDone(await api.unlockDatabase(passphrase));
    } catch (err) {
      setError(toApiError(err));
      setPassphrase("");
      setBusy(false);
      inputRef.current?.focus();
    }
  };

  return (
    <AuthFrame title={t.passphraseTitle}>
      <form className="auth-form" onSubmit={(e) => void submit(e)} data-testid="passphrase-form">
        <p className="muted">{t.passphraseIntro}</p>
        <TextField
          ref={inputRef}
          label={t.passphraseLabel}
          type="password"
          value={passphrase}
          onChange={setPassphrase}
          autoComplete="current-password"
          autoFocus
          disabled={busy}
          testId="passphrase-input"
        />
        <FormError error={error} testId="passphrase-error" />
        <button type="submit" className="btn btn-primary" disabled={busy || passphrase === ""} data-testid="passphrase-submit">
          {busy ? t.opening : t.passphraseSubmit}
        </button>
      </form>
    </AuthFrame>
  );
}
