import { useCallback, useEffect, useState } from "react";
import { useApi } from "./apiContext";
import { ChatPage } from "./components/ChatPage";
import { ErrorBanner } from "./components/ErrorBanner";
import { LibraryPage } from "./components/LibraryPage";
import { Nav } from "./components/Nav";
import type { Page } from "./components/Nav";
import { PassageViewer } from "./components/PassageViewer";
import { useT } from "./i18n";
import { useAppInfo, useChatSession, useLibrary } from "./state";

export function App() {
  const api = useApi();
  const t = useT();
  const [page, setPage] = useState<Page>("chat");
  const [passageId, setPassageId] = useState<string | null>(null);

  const appInfo = useAppInfo(api);
  const { refresh: refreshInfo } = appInfo;
  const onImported = useCallback(() => {
    void refreshInfo();
  }, [refreshInfo]);
  const chat = useChatSession(api);
  const library = useLibrary(api, onImported);

  const closePassage = useCallback(() => setPassageId(null), []);

  useEffect(() => {
    document.title = t.appName;
  }, [t]);

  return (
    <div className={passageId ? "app with-panel" : "app"}>
      <Nav page={page} onNavigate={setPage} info={appInfo.info} />
      <main className="main">
        {appInfo.error && <ErrorBanner error={appInfo.error} onDismiss={appInfo.dismissError} />}
        {page === "chat" ? (
          <ChatPage info={appInfo.info} chat={chat} onOpenPassage={setPassageId} />
        ) : (
          <LibraryPage info={appInfo.info} library={library} onOpenPassage={setPassageId} />
        )}
      </main>
      {passageId && <PassageViewer key={passageId} chunkId={passageId} onClose={closePassage} />}
    </div>
  );
}
