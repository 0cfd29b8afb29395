import { useCallback, useEffect, useState } from "react";
import type { FormEvent } from "react";
import { ROLES, toApiError } from "../api";
import type { ApiError, Role, UserRecord } from "../api";
import { useApi } from "../apiContext";
import { roleText, useI18n } from "../i18n";
import type { Dict, Lang } from "../i18n";
import { MIN_PASSWORD_CHARS, charCount } from "../text";
import { TextField } from "./Field";
import { FormError } from "./FormError";

function userState(t: Dict, lang: Lang, user: UserRecord, nowSeconds: number): string {
  if (user.disabled) return t.stateDisabled;
  if (user.locked_until !== null && user.locked_until > nowSeconds) {
    return t.stateLockedUntil(new Date(user.locked_until * 1000).toLocaleString(lang));
  }
  return t.stateActive;
}

/** The user table, each user's Disable/Enable and password reset, and the add form. */
export function AdminUsers() {
  const api = useApi();
  const { t, lang } = useI18n();
  const [users, setUsers] = useState<UserRecord[] | null>(null);
  /** When the list was read, to tell whether a login lockout is still running. */
  const [loadedAt, setLoadedAt] = useState(0);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const [resetFor, setResetFor] = useState<string | null>(null);
  const [resetPassword, setResetPassword] = useState("");

  const [newUsername, setNewUsername] = useState("");
  const [newDisplayName, setNewDisplayName] = useState("");
  const [newRole, setNewRole] = useState<Role>("nurse");
  const [newPassword, setNewPassword] = useState("");

  const showUsers = useCallback((list: UserRecord[]) => {
    setUsers(Array.isArray(list) ? list : []);
    setLoadedAt(Date.now() / 1000);
  }, []);

  useEffect(() => {
    let live = true;
    api.userList().then(
      (list) => {
        if (live) showUsers(list);
      },
      (e: unknown) => {
        if (live) setError(toApiError(e));
      },
    );
    return () => {
      live = false;
    };
  }, [api, showUsers]);

  /** Runs one change, shows its outcome, and reads the list again either way. */
  const change = async (work: () => Promise<string | null>): Promise<boolean> => {
    if (busy) return false;
    setBusy(true);
    setError(null);
    setNotice(null);
    let ok = false;
    try {
      setNotice(await work());
      ok = true;
    } catch (e) {
      setError(toApiError(e));
    }
    try {
      showUsers(await api.userList());
    } catch (e) {
      if (ok) setError(toApiError(e));
    }
    setBusy(false);
    return ok;
  };

  const toggleDisabled = (user: UserRecord) => {
    void change(async () => {
      await api.userSetDisabled(user.username, !user.disabled);
      return null;
    });
  };

  const openReset = (username: string) => {
    setResetFor(username);
    setResetPassword("");
    setError(null);
    setNotice(null);
  };

  const confirmReset = async (username: string) => {
    if (charCount(resetPassword) < MIN_PASSWORD_CHARS) {
      setError(t.passwordTooShort);
      return;
    }
    const done = await change(async () => {
      await api.userResetPassword(username, resetPassword);
      return t.passwordResetDone(username);
    });
    if (done) {
      setResetFor(null);
      setResetPassword("");
    }
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const username = newUsername.trim();
    if (username === "") {
      setError(t.usernameRequired);
      return;
    }
    if (charCount(newPassword) < MIN_PASSWORD_CHARS) {
      setError(t.passwordTooShort);
      return;
    }
    const done = await change(async () => {
      const added = await api.userAdd({
        username,
        displayName: newDisplayName.trim(),
        role: newRole,
        password: newPassword,
      });
      return t.userAdded(added?.username ?? username);
    });
    if (done) {
      setNewUsername("");
      setNewDisplayName("");
      setNewRole("nurse");
      setNewPassword("");
    }
  };

  return (
    <section className="card" aria-labelledby="users-heading" data-testid="admin-users">
      <h2 id="users-heading">{t.usersHeading}</h2>

      <FormError error={error} testId="user-error" showOriginal />
      {notice && (
        <p className="ok-text" role="status" data-testid="user-notice">
          {notice}
        </p>
      )}

      {users === null && !error && <p className="muted">{t.loading}</p>}
      {users !== null && users.length === 0 && <p className="muted">{t.noUsers}</p>}
      {users !== null && users.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" data-testid="user-table">
            <thead>
              <tr>
                <th scope="col">{t.colUser}</th>
                <th scope="col">{t.colDisplayName}</th>
                <th scope="col">{t.colRole}</th>
                <th scope="col">{t.colState}</th>
                <th scope="col">{t.colActions}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr
                  key={user.id}
                  data-testid="user-row"
                  data-username={user.username}
                  data-role={user.role}
                  data-disabled={user.disabled ? "true" : "false"}
                  className={user.disabled ? "row-disabled" : undefined}
                >
                  <td className="cell-strong">{user.username}</td>
                  <td>{user.display_name}</td>
                  <td>{roleText(t, user.role)}</td>
                  <td data-testid="user-state">{userState(t, lang, user, loadedAt)}</td>
                  <td>
                    <div className="cell-actions">
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => toggleDisabled(user)}
                        disabled={busy}
                        data-testid="user-toggle-disabled"
                      >
                        {user.disabled ? t.enableUser : t.disableUser}
                      </button>
                      {resetFor !== user.username && (
                        <button
                          type="button"
                          className="btn btn-small"
                          onClick={() => openReset(user.username)}
                          disabled={busy}
                          data-testid="user-reset-password"
                        >
                          {t.resetPassword}
                        </button>
                      )}
                    </div>
                    {resetFor === user.username && (
                      <form
                        className="inline-form"
                        onSubmit={(e) => {
                          e.preventDefault();
                          void confirmReset(user.username);
                        }}
                      >
                        <input
                          type="password"
                          className="input input-small"
                          aria-label={t.newPasswordLabel(user.username)}
                          placeholder={t.passwordLabel}
                          value={resetPassword}
                          onChange={(e) => setResetPassword(e.target.value)}
                          autoComplete="new-password"
                          autoFocus
                          disabled={busy}
                          data-testid="user-reset-password-input"
                        />
                        <button
                          type="submit"
                          className="btn btn-small btn-primary"
                          disabled={busy || resetPassword === ""}
                          data-testid="user-reset-password-confirm"
                        >
                          {t.confirmReset}
                        </button>
                        <button
                          type="button"
                          className="btn btn-small btn-quiet"
                          onClick={() => setResetFor(null)}
                          disabled={busy}
                          data-testid="user-reset-password-cancel"
                        >
                          {t.cancel}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3 className="subheading">{t.addUserHeading}</h3>
      <form className="row wrap" onSubmit={(e) => void add(e)} data-testid="user-add-form" noValidate>
        <TextField
          label={t.usernameLabel}
          value={newUsername}
          onChange={setNewUsername}
          autoComplete="off"
          spellCheck={false}
          disabled={busy}
          testId="user-add-username"
        />
        <TextField
          label={t.displayNameLabel}
          value={newDisplayName}
          onChange={setNewDisplayName}
          autoComplete="off"
          disabled={busy}
          testId="user-add-display-name"
        />
        <label className="field">
          <span className="label">{t.roleLabel}</span>
          <select
            className="input"
            value={newRole}
            onChange={(e) => setNewRole(e.target.value as Role)}
            disabled={busy}
            data-testid="user-add-role"
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t.roles[role]}
              </option>
            ))}
          </select>
        </label>
        <TextField
          label={t.passwordLabel}
          type="password"
          value={newPassword}
          onChange={setNewPassword}
          autoComplete="new-password"
          disabled={busy}
          testId="user-add-password"
        />
        <button type="submit" className="btn btn-primary align-end" disabled={busy} data-testid="user-add-submit">
          {t.addUserSubmit}
        </button>
      </form>
    </section>
  );
}
