import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { tauriApi } from "./api";
import { ApiProvider } from "./apiContext";
import { I18nProvider } from "./i18n";
import "./styles.css";

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ApiProvider api={tauriApi}>
        <I18nProvider>
          <App />
        </I18nProvider>
      </ApiProvider>
    </StrictMode>,
  );
}
