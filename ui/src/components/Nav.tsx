import type { Actor, AppInfo } from "../api";
import { roleText, useT } from "../i18n";
import { LanguageSwitch } from "./LanguageSwitch";

export type Page = "triage" | "board" | "chat" | "library" | "models" | "admin";

/**
 * The pages a role may open: Chat and Library for everyone, Triage and the
 * Board for nurses and clinicians (patient data), Models and Admin for admins.
 */
export function pagesFor(role: string): Page[] {
  if (role === "admin") return ["chat", "library", "models", "admin"];
  if (role === "nurse" || role === "clinician") return ["triage", "board", "chat", "library"];
  return ["chat", "library"];
}

/** Where a role starts: nurses at the triage desk, everyone else in Chat. */
export function landingPage(role: string): Page {
  return role === "nurse" ? "triage" : "chat";
}

export function Nav({
  page,
  onNavigate,
  info,
  user,
  onLock,
  onChangePassword,
  onLogout,
  busy,
}: {
  page: Page;
  onNavigate: (page: Page) => void;
  info: AppInfo | null;
  user: Actor;
  onLock: () => void;
  onChangePassword: () => void;
  onLogout: () => void;
  /** A lock or logout is under way. */
  busy: boolean;
}) {
  const t = useT();
  const labels: Record<Page, string> = {
    triage: t.navTriage,
    board: t.navBoard,
    chat: t.navChat,
    library: t.navLibrary,
    models: t.navModels,
    admin: t.navAdmin,
  };
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-name">{t.appName}</span>
        <span className="brand-tagline">{t.appTagline}</span>
      </div>
      <nav aria-label={t.navLabel}>
        <ul className="nav-list">
          {pagesFor(user.role).map((id) => (
            <li key={id}>
              <button
                type="button"
                className={id === page ? "nav-item active" : "nav-item"}
                aria-current={id === page ? "page" : undefined}
                onClick={() => onNavigate(id)}
                data-testid={`nav-${id}`}
              >
                {labels[id]}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className="sidebar-footer">
        <div className="user-box">
          <span className="user-box-label">{t.currentUserLabel}</span>
          <span className="current-user" data-testid="current-user" data-username={user.username} data-role={user.role}>
            <span className="current-user-name">{user.display_name || user.username}</span>
            <span className="current-user-role">{roleText(t, user.role)}</span>
          </span>
          <div className="user-actions">
            <button type="button" className="side-btn" onClick={onLock} disabled={busy} data-testid="lock-button">
              {t.lockButton}
            </button>
            <button type="button" className="side-btn" onClick={onLogout} disabled={busy} data-testid="logout-button">
              {t.logoutButton}
            </button>
            <button type="button" className="side-btn" onClick={onChangePassword} disabled={busy} data-testid="password-change-button">
              {t.passwordChangeButton}
            </button>
          </div>
        </div>
        <LanguageSwitch />
        {info && <p className="version">{t.version(info.version)}</p>}
      </div>
    </aside>
  );
}
