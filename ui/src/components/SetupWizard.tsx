import { useState } from "react";
import type { FormEvent } from "react";
import { toApiError } from "../api";
import type { ApiError, SessionView } from "../api";
import { useApi } from "../apiContext";
import { useT } from "../i18n";
import { MIN_PASSPHRASE_CHARS, MIN_PASSWORD_CHARS, charCount } from "../text";
import { AuthFrame } from "./AuthFrame";
import { TextField } from "./Field";
import { FormError } from "./FormError";

/**
 * First run: choose how the database is encrypted (when `needsKey`) and create
 * the first administrator, who is then logged in.
 */
export function SetupWizard({
  needsKey,
  onDone,
  onFailed,
}: {
  needsKey: boolean;
  onDone: (view: SessionView) => void;
  /** A failed set-up may have changed what is left to do; the session is read again. */
  onFailed: () => void;
}) {
  const api = useApi();
  const t = useT();
  const [useKeyFile, setUseKeyFile] = useState(false);
  const [passphrase, setPassphrase] = useState("");
  const [passphrase2, setPassphrase2] = useState("");
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [password2, setPassword2] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | string | null>(null);

  const askPassphrase = needsKey && !useKeyFile;

  const problem = (): string | null => {
    if (askPassphrase) {
      if (charCount(passphrase) < MIN_PASSPHRASE_CHARS) return t.passphraseTooShort;
      if (passphrase !== passphrase2) return t.passphraseMismatch;
    }
    if (username.trim() === "") return t.usernameRequired;
    if (charCount(password) < MIN_PASSWORD_CHARS) return t.passwordTooShort;
    if (password !== password2) return t.passwordMismatch;
    return null;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const local = problem();
    if (local !== null) {
      setError(local);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const view = await api.setupFirstRun({
        passphrase: askPassphrase ? passphrase : undefined,
        useKeyFile: needsKey && useKeyFile,
        username: username.trim(),
        displayName: displayName.trim(),
        password,
      });
      onDone(view);
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
      onFailed();
    }
  };

  return (
    <AuthFrame title={t.setupTitle} wide>
      <form className="auth-form" onSubmit={(e) => void submit(e)} data-testid="setup-form" noValidate>
        <p className="muted">{t.setupIntro}</p>

        {needsKey && (
          <fieldset className="auth-fieldset">
            <legend>{t.setupKeyHeading}</legend>
            <label className="check">
              <input
                type="checkbox"
                checked={useKeyFile}
                onChange={(e) => setUseKeyFile(e.target.checked)}
                disabled={busy}
                data-testid="setup-keyfile-option"
              />
              <span>{t.setupKeyFileOption}</span>
            </label>
            {useKeyFile ? (
              <>
                <p className="muted small">{t.setupKeyFileHelp}</p>
                <p className="notice small" role="note" data-testid="setup-recovery-note">
                  {t.setupKeyFileNote}
                </p>
              </>
            ) : (
              <>
                <TextField
                  label={t.passphraseLabel}
                  type="password"
                  value={passphrase}
                  onChange={setPassphrase}
                  autoComplete="new-password"
                  disabled={busy}
                  testId="setup-passphrase"
                />
                <TextField
                  label={t.passphraseConfirmLabel}
                  type="password"
                  value={passphrase2}
                  onChange={setPassphrase2}
                  autoComplete="new-password"
                  disabled={busy}
                  testId="setup-passphrase-confirm"
                />
                <p className="muted small">{t.passphraseHelp}</p>
                <p className="notice small" role="note" data-testid="setup-recovery-note">
                  {t.setupPassphraseNote}
                </p>
              </>
            )}
          </fieldset>
        )}

        <fieldset className="auth-fieldset">
          <legend>{t.setupAdminHeading}</legend>
          <p className="muted small">{t.setupAdminHelp}</p>
          <TextField
            label={t.usernameLabel}
            value={username}
            onChange={setUsername}
            autoComplete="username"
            spellCheck={false}
            disabled={busy}
            testId="setup-username"
          />
          <TextField
            label={t.displayNameLabel}
            value={displayName}
            onChange={setDisplayName}
            autoComplete="name"
            disabled={busy}
            testId="setup-display-name"
          />
          <TextField
            label={t.passwordLabel}
            type="password"
            value={password}
            onChange={setPassword}
            autoComplete="new-password"
            disabled={busy}
            testId="setup-password"
          />
          <TextField
            label={t.passwordConfirmLabel}
            type="password"
            value={password2}
            onChange={setPassword2}
            autoComplete="new-password"
            disabled={busy}
            testId="setup-password-confirm"
          />
        </fieldset>

        <FormError error={error} testId="setup-error" showOriginal />

        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="setup-submit">
          {busy ? t.settingUp : t.setupSubmit}
        </button>
      </form>
    </AuthFrame>
  );
}
