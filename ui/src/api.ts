// The one place where the UI talks to the backend.
//
// Everything the UI needs from the Tauri side goes through the `BedsideApi`
// interface. `tauriApi` is the real implementation (Tauri 2 commands plus the
// dialog plugin). A browser implementation for tests can be passed to
// <ApiProvider api={...}> instead, or the Tauri IPC can be mocked with
// `mockIPC` from `@tauri-apps/api/mocks`.

import { Channel, invoke } from "@tauri-apps/api/core";
import { open } from "@tauri-apps/plugin-dialog";

// ---------------------------------------------------------------------------
// Types (field names are exactly the backend's snake_case JSON)
// ---------------------------------------------------------------------------

export interface ModelInfo {
  path: string;
  name: string;
  architecture: string;
  chat_template: boolean;
}

export interface AppInfo {
  version: string;
  data_dir: string;
  model: ModelInfo | null;
  documents: number;
  chunks: number;
}

export interface ImportedFile {
  path: string;
  document_id: number;
  title: string;
  chunks: number;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface FailedFile {
  path: string;
  code: string;
  message: string;
}

export interface ImportReport {
  imported: ImportedFile[];
  skipped: SkippedFile[];
  failed: FailedFile[];
}

export type ImportFileStatus = "imported" | "skipped" | "failed";

export type ImportEvent =
  | { type: "started"; total: number }
  | {
      type: "file";
      index: number;
      total: number;
      path: string;
      status: ImportFileStatus;
      code?: string;
      message?: string;
    }
  | { type: "finished"; report: ImportReport };

/** [start, end) offsets in Unicode code points into `snippet`. */
export type HighlightRange = [number, number];

export interface SearchHit {
  chunk_id: string;
  file_name: string;
  title: string;
  section: string;
  page: number | null;
  score: number;
  snippet: string;
  highlights: HighlightRange[];
}

export interface SearchResult {
  hits: SearchHit[];
}

export interface Chunk {
  chunk_id: string;
  file_name: string;
  title: string;
  section: string;
  page: number | null;
  text: string;
}

export interface Citation {
  n: number;
  chunk_id: string;
  file_name: string;
  section: string;
  quote: string;
}

export interface AskStats {
  prompt_tokens: number;
  generated_tokens: number;
  ttft_ms: number;
  tok_per_s: number;
}

export type AskEvent =
  | { type: "token"; text: string }
  | {
      type: "done";
      answer: string;
      stopped: boolean;
      citations: Citation[];
      stats: AskStats;
    };

// ---------------------------------------------------------------------------
// Accounts, session and audit
// ---------------------------------------------------------------------------

export type Role = "nurse" | "clinician" | "admin";

export const ROLES: readonly Role[] = ["nurse", "clinician", "admin"];

/** Which screen the window shows. */
export type SessionStage = "needs_setup" | "needs_passphrase" | "db_error" | "needs_login" | "locked" | "active";

/** The logged-in user. */
export interface Actor {
  user_id: number;
  username: string;
  display_name: string;
  role: Role;
}

/** The session as the backend sees it (this one is camelCase). */
export interface SessionView {
  stage: SessionStage;
  user: Actor | null;
  idleLockMinutes: number;
  /** During set-up: whether the database key still has to be chosen. */
  needsKey: boolean;
  error: ApiError | null;
}

export interface SetupRequest {
  /** The database passphrase, unless `useKeyFile`. */
  passphrase?: string;
  useKeyFile: boolean;
  username: string;
  displayName: string;
  password: string;
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  password: string;
}

export interface UserRecord {
  id: number;
  username: string;
  display_name: string;
  role: string;
  disabled: boolean;
  failed_logins: number;
  /** Unix seconds until which logins are refused. */
  locked_until: number | null;
  created_at: string;
}

export type AuditOutcome = "ok" | "denied" | "failed";

export interface AuditRecord {
  id: number;
  /** UTC, RFC 3339. */
  at: string;
  username: string;
  role: string;
  action: string;
  object_kind: string;
  object_id: string;
  outcome: string;
  /** JSON text. */
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface AuditQuery {
  username?: string;
  action?: string;
  outcome?: string;
  since?: string;
  until?: string;
  /** Only rows older than this id (paging backwards). */
  beforeId?: number;
  limit?: number;
}

export interface ChainReport {
  rows: number;
  head_id: number;
  head_hash: string;
  first_broken: number | null;
  reason: string | null;
}

/** What the backend rejects with: `{code, message, details}`. */
export interface ApiError {
  code: string;
  message: string;
  details?: unknown;
}

export interface BedsideApi {
  appInfo(): Promise<AppInfo>;
  libraryImport(paths: string[], onEvent: (event: ImportEvent) => void): Promise<ImportReport>;
  librarySearch(query: string, limit?: number): Promise<SearchResult>;
  libraryChunk(chunkId: string): Promise<Chunk>;
  /**
   * Resolves once generation has ended and the `done` event (if the backend
   * sent one) has been delivered to `onEvent`.
   */
  ask(question: string, onEvent: (event: AskEvent) => void): Promise<void>;
  askCancel(): Promise<void>;

  sessionState(): Promise<SessionView>;
  setupFirstRun(setup: SetupRequest): Promise<SessionView>;
  unlockDatabase(passphrase: string): Promise<SessionView>;
  login(username: string, password: string): Promise<SessionView>;
  logout(): Promise<SessionView>;
  lockSession(): Promise<SessionView>;
  unlockSession(password: string): Promise<SessionView>;
  /** Tells the backend the user is at the keyboard. */
  sessionTouch(): Promise<void>;

  userList(): Promise<UserRecord[]>;
  userAdd(account: NewAccount): Promise<UserRecord>;
  userSetDisabled(username: string, disabled: boolean): Promise<void>;
  userResetPassword(username: string, password: string): Promise<void>;
  /** Newest first. */
  auditList(query: AuditQuery): Promise<AuditRecord[]>;
  auditVerify(): Promise<ChainReport>;
  settingsSetIdleLock(minutes: number): Promise<SessionView>;

  /** Native file picker; resolves to [] when cancelled. */
  pickFiles(): Promise<string[]>;
  /** Native folder picker; resolves to null when cancelled. */
  pickFolder(): Promise<string | null>;
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/** Turns whatever a rejected promise carried into an ApiError. */
export function toApiError(value: unknown): ApiError {
  if (isApiError(value)) {
    return { code: value.code, message: value.message, details: value.details };
  }
  if (typeof value === "string") {
    return { code: "error", message: value };
  }
  if (value instanceof Error) {
    return { code: "error", message: value.message || String(value) };
  }
  try {
    return { code: "error", message: JSON.stringify(value) };
  } catch {
    return { code: "error", message: String(value) };
  }
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toApiError(e);
  }
}

// Channel messages and the command's own reply travel separately, so the reply
// can come first. After `ask` returns, wait this long for the `done` event.
const DONE_GRACE_MS = 2000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejections that mean the session changed under the window: ask for its state again. */
export const SESSION_GATE_CODES: ReadonlySet<string> = new Set(["session_locked", "not_authenticated"]);

/**
 * The same API, but any call that rejects with a session gate code (locked,
 * not logged in) also reports it to `onGate`, so the window can refresh the
 * session and show the lock or login screen. The rejection still reaches the
 * caller unchanged.
 */
export function watchSessionGate(api: BedsideApi, onGate: (error: ApiError) => void): BedsideApi {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((e: unknown) => {
          const err = toApiError(e);
          if (SESSION_GATE_CODES.has(err.code)) onGate(err);
          throw e;
        });
      };
    },
  });
}

export const FILE_FILTERS = [
  { name: "Documents", extensions: ["md", "markdown", "txt", "html", "htm", "docx"] },
];

// ---------------------------------------------------------------------------
// Tauri implementation
// ---------------------------------------------------------------------------

export const tauriApi: BedsideApi = {
  appInfo() {
    return call<AppInfo>("app_info");
  },

  libraryImport(paths, onEvent) {
    const channel = new Channel<ImportEvent>(onEvent);
    return call<ImportReport>("library_import", { paths, onEvent: channel });
  },

  librarySearch(query, limit) {
    const args: Record<string, unknown> = { query };
    if (limit !== undefined) args.limit = limit;
    return call<SearchResult>("library_search", args);
  },

  libraryChunk(chunkId) {
    return call<Chunk>("library_chunk", { chunkId });
  },

  async ask(question, onEvent) {
    let sawDone = false;
    let resolveDone: () => void = () => {};
    const donePromise = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    const channel = new Channel<AskEvent>((event) => {
      onEvent(event);
      if (event.type === "done") {
        sawDone = true;
        resolveDone();
      }
    });
    await call<void>("ask", { question, onEvent: channel });
    if (!sawDone) {
      await Promise.race([donePromise, delay(DONE_GRACE_MS)]);
    }
  },

  askCancel() {
    return call<void>("ask_cancel");
  },

  sessionState() {
    return call<SessionView>("session_state");
  },

  setupFirstRun(setup) {
    return call<SessionView>("setup_first_run", { setup });
  },

  unlockDatabase(passphrase) {
    return call<SessionView>("unlock_database", { passphrase });
  },

  login(username, password) {
    return call<SessionView>("login", { username, password });
  },

  logout() {
    return call<SessionView>("logout");
  },

  lockSession() {
    return call<SessionView>("lock_session");
  },

  unlockSession(password) {
    return call<SessionView>("unlock_session", { password });
  },

  async sessionTouch() {
    await call<null>("session_touch");
  },

  userList() {
    return call<UserRecord[]>("user_list");
  },

  userAdd(account) {
    return call<UserRecord>("user_add", { account });
  },

  async userSetDisabled(username, disabled) {
    await call<null>("user_set_disabled", { username, disabled });
  },

  async userResetPassword(username, password) {
    await call<null>("user_reset_password", { username, password });
  },

  auditList(query) {
    return call<AuditRecord[]>("audit_list", { query });
  },

  auditVerify() {
    return call<ChainReport>("audit_verify");
  },

  settingsSetIdleLock(minutes) {
    return call<SessionView>("settings_set_idle_lock", { minutes });
  },

  async pickFiles() {
    try {
      const picked = await open({ multiple: true, directory: false, filters: FILE_FILTERS });
      if (picked === null) return [];
      return Array.isArray(picked) ? picked : [picked];
    } catch (e) {
      throw toApiError(e);
    }
  },

  async pickFolder() {
    try {
      const picked = await open({ multiple: false, directory: true, recursive: true });
      if (picked === null) return null;
      return Array.isArray(picked) ? (picked[0] ?? null) : picked;
    } catch (e) {
      throw toApiError(e);
    }
  },
};
