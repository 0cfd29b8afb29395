import { useState } from "react";
import type { FormEvent } from "react";
import { toApiError } from "../api";
import type { ApiError, SessionView } from "../api";
import { useApi } from "../apiContext";
import { useT } from "../i18n";
import { MIN_PASSPHRASE_CHARS, MIN_PASSWORD_CHARS, charCount } from "../text";
import { AuthFrame } from "./AuthFrame";
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
                <label className="field">
                  <span className="label">{t.passphraseLabel}</span>
                  <input
                    type="password"
                    className="input"
                    value={passphrase}
                    onChange={(e) => setPassphrase(e.target.value)}
                    autoComplete="new-password"
                    disabled={busy}
                    data-testid="setup-passphrase"
                  />
                </label>
                <label className="field">
                  <span className="label">{t.passphraseConfirmLabel}</span>
                  <input
                    type="password"
                    className="input"
                    value={passphrase2}
                    onChange={(e) => setPassphrase2(e.target.value)}
                    autoComplete="new-password"
                    disabled={busy}
                    data-testid="setup-passphrase-confirm"
                  />
                </label>
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
          <label className="field">
            <span className="label">{t.usernameLabel}</span>
            <input
              type="text"
              className="input"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              autoComplete="username"
              spellCheck={false}
              disabled={busy}
              data-testid="setup-username"
            />
          </label>
          <label className="field">
            <span className="label">{t.displayNameLabel}</span>
            <input
              type="text"
              className="input"
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
              autoComplete="name"
              disabled={busy}
              data-testid="setup-display-name"
            />
          </label>
          <label className="field">
            <span className="label">{t.passwordLabel}</span>
            <input
              type="password"
              className="input"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="new-password"
              disabled={busy}
              data-testid="setup-password"
            />
          </label>
          <label className="field">
            <span className="label">{t.passwordConfirmLabel}</span>
            <input
              type="password"
              className="input"
              value={password2}
              onChange={(e) => setPassword2(e.target.value)}
              autoComplete="new-password"
              disabled={busy}
              data-testid="setup-password-confirm"
            />
          </label>
        </fieldset>

        <FormError error={error} testId="setup-error" showOriginal />

        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="setup-submit">
          {busy ? t.settingUp : t.setupSubmit}
        </button>
      </form>
    </AuthFrame>
  );
}
