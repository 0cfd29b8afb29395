import type { AppInfo } from "../api";
import { LANGS, useI18n } from "../i18n";

export type Page = "chat" | "library";

export function Nav({ page, onNavigate, info }: { page: Page; onNavigate: (page: Page) => void; info: AppInfo | null }) {
  const { t, lang, setLang } = useI18n();
  const items: { id: Page; label: string }[] = [
    { id: "chat", label: t.navChat },
    { id: "library", label: t.navLibrary },
  ];
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-name">{t.appName}</span>
        <span className="brand-tagline">{t.appTagline}</span>
      </div>
      <nav aria-label={t.navLabel}>
        <ul className="nav-list">
          {items.map((item) => (
            <li key={item.id}>
              <button
                type="button"
                className={item.id === page ? "nav-item active" : "nav-item"}
                aria-current={item.id === page ? "page" : undefined}
                onClick={() => onNavigate(item.id)}
                data-testid={`nav-${item.id}`}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className="sidebar-footer">
        <div className="lang-switch" role="group" aria-label={t.languageLabel} data-testid="language-switch">
          {LANGS.map((l) => (
            <button
              key={l}
              type="button"
              lang={l}
              className={l === lang ? "lang-btn active" : "lang-btn"}
              aria-pressed={l === lang}
              onClick={() => setLang(l)}
              data-testid={`lang-${l}`}
            >
              {t.langName[l]}
            </button>
          ))}
        </div>
        {info && <p className="version">{t.version(info.version)}</p>}
      </div>
    </aside>
  );
}
