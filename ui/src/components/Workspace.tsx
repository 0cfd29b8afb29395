import { useCallback, useState } from "react";
import { toApiError } from "../api";
import type { Actor, ApiError, AuditCheck, AuditRecord, SessionView } from "../api";
import { useApi } from "../apiContext";
import { useAppInfo, useChatSession, useLibrary } from "../state";
import { useModels } from "../modelsState";
import { useBoard, useTriage } from "../triageState";
import { AdminPage } from "./AdminPage";
import { AuditAlarm } from "./AuditFindings";
import { BoardPage } from "./BoardPage";
import { ChatPage } from "./ChatPage";
import { ErrorBanner } from "./ErrorBanner";
import { LibraryPage } from "./LibraryPage";
import { ModelsPage } from "./ModelsPage";
import { PasswordChange } from "./PasswordChange";
import { Nav, landingPage, pagesFor } from "./Nav";
import type { Page } from "./Nav";
import { PassageViewer } from "./PassageViewer";
import { TriagePage } from "./TriagePage";

/**
 * The logged-in window: navigation, Triage, Board, Chat, Library, Models, Admin and
 * the passage panel. It stays mounted while the session is locked (`locked`),
 * so its state (a half-filled intake, the conversation, a half-typed
 * question, search results) survives; it is inert then, under the lock screen.
 */
export function Workspace({
  user,
  locked,
  idleLockMinutes,
  auditAlarm,
  pendingAuditAlarms,
  onSessionView,
}: {
  user: Actor;
  locked: boolean;
  idleLockMinutes: number;
  /** For an admin: the failed audit check at start. */
  auditAlarm: AuditCheck | null;
  /** For an admin: failed checks not yet acknowledged. */
  pendingAuditAlarms: AuditRecord[];
  onSessionView: (view: SessionView) => void;
}) {
  const api = useApi();
  const [page, setPage] = useState<Page>(() => landingPage(user.role));
  const [passageId, setPassageId] = useState<string | null>(null);
  const [sessionBusy, setSessionBusy] = useState(false);
  const [sessionError, setSessionError] = useState<ApiError | null>(null);
  const [changingPassword, setChangingPassword] = useState(false);

  const appInfo = useAppInfo(api, !locked);
  const { refresh: refreshInfo } = appInfo;
  // After an import, a delete or a model change: read the counts and the model again.
  const onContentChanged = useCallback(() => {
    void refreshInfo();
  }, [refreshInfo]);
  const closePassage = useCallback(() => setPassageId(null), []);

  const allowed = pagesFor(user.role);
  const shown: Page = allowed.includes(page) ? page : allowed.includes(landingPage(user.role)) ? landingPage(user.role) : "chat";
  // The conversation (and which one it is) lives here, so it survives page
  // switches and the lock screen; logging out unmounts it with the workspace.
  const chat = useChatSession(api, shown === "chat" && !locked);
  const library = useLibrary(api, onContentChanged, shown === "library" && !locked);
  // Admins only; the import lives here so its progress survives page switches.
  const models = useModels(api, onContentChanged, shown === "models" && !locked);
  const canTriage = allowed.includes("triage");

  // The intake lives here, not in the page, so it survives page switches and the lock screen.
  const triage = useTriage(api, { loadDraft: canTriage && shown === "triage" && !locked, canWrite: canTriage && !locked });
  const board = useBoard(api, canTriage && shown === "board" && !locked);
  const goBoard = useCallback(() => setPage("board"), []);

  const lock = async () => {
    setSessionBusy(true);
    setSessionError(null);
    try {
      onSessionView(await api.lockSession());
    } catch (e) {
      setSessionError(toApiError(e));
    } finally {
      setSessionBusy(false);
    }
  };

  const logout = async () => {
    setSessionBusy(true);
    setSessionError(null);
    try {
      // An answer still streaming belongs to this user: stop it first.
      if (chat.generating) await chat.stop();
      if (triage.assessing === "model") await triage.stop();
      if (models.importState.phase === "running") await models.cancelImport();
      onSessionView(await api.logout());
    } catch (e) {
      setSessionError(toApiError(e));
      setSessionBusy(false);
    }
  };

  return (
    <div className={passageId ? "app with-panel" : "app"} inert={locked}>
      <Nav
        page={shown}
        onNavigate={setPage}
        info={appInfo.info}
        user={user}
        onLock={() => void lock()}
        onLogout={() => void logout()}
        onChangePassword={() => setChangingPassword(true)}
        busy={sessionBusy}
      />
      <main className="main">
        {(auditAlarm || pendingAuditAlarms.length > 0) && (
          <AuditAlarm check={auditAlarm} pending={pendingAuditAlarms} onSessionView={onSessionView} />
        )}
        {sessionError && <ErrorBanner error={sessionError} onDismiss={() => setSessionError(null)} />}
        {appInfo.error && <ErrorBanner error={appInfo.error} onDismiss={appInfo.dismissError} />}
        {shown === "triage" && <TriagePage info={appInfo.info} triage={triage} onGoBoard={goBoard} />}
        {shown === "board" && <BoardPage board={board} />}
        {shown === "chat" && <ChatPage info={appInfo.info} chat={chat} onOpenPassage={setPassageId} />}
        {shown === "library" && (
          <LibraryPage
            info={appInfo.info}
            library={library}
            canImport={user.role === "admin"}
            canDelete={user.role === "admin"}
            onOpenPassage={setPassageId}
          />
        )}
        {shown === "models" && <ModelsPage models={models} />}
        {shown === "admin" && <AdminPage idleLockMinutes={idleLockMinutes} onSessionView={onSessionView} />}
      </main>
      {passageId && <PassageViewer key={passageId} chunkId={passageId} onClose={closePassage} />}
      {changingPassword && !locked && (
        <PasswordChange
          user={user}
          required={false}
          onDone={(view) => {
            setChangingPassword(false);
            onSessionView(view);
          }}
          onLeave={() => setChangingPassword(false)}
        />
      )}
    </div>
  );
}
