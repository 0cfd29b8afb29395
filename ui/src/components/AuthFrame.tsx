import type { ReactNode } from "react";
import { useT } from "../i18n";
import { LanguageSwitch } from "./LanguageSwitch";

/** The centred card the set-up, passphrase, login and database-error screens share. */
export function AuthFrame({ title, wide = false, children }: { title: string; wide?: boolean; children: ReactNode }) {
  const t = useT();
  return (
    <div className="auth-screen">
      <main className={wide ? "auth-card wide" : "auth-card"}>
        <div className="auth-brand">
          <span className="brand-name">{t.appName}</span>
          <span className="brand-tagline">{t.appTagline}</span>
        </div>
        <h1>{title}</h1>
        {children}
        <div className="auth-footer">
          <LanguageSwitch />
        </div>
      </main>
    </div>
  );
}
