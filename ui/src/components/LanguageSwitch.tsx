import { LANGS, useI18n } from "../i18n";

/** English / 简体中文 toggle; the choice is remembered on this computer. */
export function LanguageSwitch() {
  const { t, lang, setLang } = useI18n();
  return (
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
  );
}
