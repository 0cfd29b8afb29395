// Application state hooks. They live above the pages, so a running import or
// a streaming answer survives switching between Chat and Library.

import { useCallback, useEffect, useRef, useState } from "react";
import { SESSION_GATE_CODES, toApiError } from "./api";
import type {
  ApiError,
  AppInfo,
  AskStats,
  BedsideApi,
  Citation,
  ConversationRecord,
  ConversationView,
  DocumentRecord,
  ImportEvent,
  ImportedFile,
  ImportJob,
  ImportReport,
  SearchHit,
  SessionView,
} from "./api";

// ---------------------------------------------------------------------------
// Session: who is logged in, locking, and telling the backend about activity
// ---------------------------------------------------------------------------

/** How often the window asks whether the session locked itself. */
export const SESSION_POLL_MS = 15_000;
/** At most one `session_touch` per this interval, and only after real input. */
export const SESSION_TOUCH_MS = 30_000;

// Keys, clicks, touch and scrolling; not "mousemove": a mouse drifting on the desk, or a
// window moved over the board, is not someone at the workstation.
const ACTIVITY_EVENTS = ["keydown", "mousedown", "wheel", "touchstart"] as const;

export interface SessionState {
  /** null until the first `session_state` has answered. */
  view: SessionView | null;
  /** Set when `session_state` itself failed. */
  error: ApiError | null;
  /** Asks the backend for the session again (does not count as activity). */
  refresh: () => Promise<void>;
  /** Shows a SessionView that a command (login, unlock, lock…) returned. */
  apply: (view: SessionView) => void;
}

export function useSession(api: BedsideApi): SessionState {
  const [view, setView] = useState<SessionView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  // Only the newest answer counts: a poll that was already in flight must not
  // undo the view a login or unlock has just returned.
  const seq = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const next = await api.sessionState();
      if (mine === seq.current) {
        setView(next);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError(toApiError(e));
    }
  }, [api]);

  const apply = useCallback((next: SessionView) => {
    seq.current++;
    setView(next);
    setError(null);
  }, []);

  useEffect(() => {
    const mine = ++seq.current;
    api.sessionState().then(
      (next) => {
        if (mine === seq.current) setView(next);
      },
      (e: unknown) => {
        if (mine === seq.current) setError(toApiError(e));
      },
    );
  }, [api]);

  const stage = view?.stage ?? null;

  // While working: notice when the backend locked the session for inactivity.
  useEffect(() => {
    if (stage !== "active") return;
    const timer = window.setInterval(() => void refresh(), SESSION_POLL_MS);
    const onVisible = () => {
      if (document.visibilityState === "visible") void refresh();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [stage, refresh]);

  // While working: report input to the backend, throttled. Logging in or
  // unlocking has just counted as activity, so the first touch can wait.
  useEffect(() => {
    if (stage !== "active") return;
    let lastTouch = Date.now();
    let pending: number | undefined;
    const touch = () => {
      pending = undefined;
      lastTouch = Date.now();
      api.sessionTouch().catch((e: unknown) => {
        if (SESSION_GATE_CODES.has(toApiError(e).code)) void refresh();
      });
    };
    const onInput = () => {
      if (pending !== undefined) return;
      const wait = lastTouch + SESSION_TOUCH_MS - Date.now();
      if (wait <= 0) touch();
      else pending = window.setTimeout(touch, wait);
    };
    const options = { capture: true, passive: true };
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onInput, options);
    return () => {
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onInput, options);
      if (pending !== undefined) window.clearTimeout(pending);
    };
  }, [stage, api, refresh]);

  return { view, error, refresh, apply };
}

// ---------------------------------------------------------------------------
// app_info
// ---------------------------------------------------------------------------

export interface AppInfoState {
  info: AppInfo | null;
  error: ApiError | null;
  refresh: () => Promise<void>;
  dismissError: () => void;
}

/** Loads app_info whenever `enabled` becomes true (on mount and after each unlock). */
export function useAppInfo(api: BedsideApi, enabled: boolean): AppInfoState {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const refresh = useCallback(async () => {
    try {
      const next = await api.appInfo();
      setInfo(next);
      setError(null);
    } catch (e) {
      setError(toApiError(e));
    }
  }, [api]);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    api.appInfo().then(
      (next) => {
        if (!live) return;
        setInfo(next);
        setError(null);
      },
      (e: unknown) => {
        if (live) setError(toApiError(e));
      },
    );
    return () => {
      live = false;
    };
  }, [api, enabled]);

  const dismissError = useCallback(() => setError(null), []);
  return { info, error, refresh, dismissError };
}

// ---------------------------------------------------------------------------
// A request the user can stop (a chat answer, a triage grading)
// ---------------------------------------------------------------------------

export interface StoppableRun {
  /** Stop was pressed and the run has not ended yet. */
  stopping: boolean;
  /** The page's error: a failed Stop sets it, and so may the caller. */
  error: ApiError | null;
  setError: (error: ApiError | null) => void;
  dismissError: () => void;
  /** A run is in progress; only one runs at a time. */
  isRunning: () => boolean;
  /** Stop was pressed during the current (or last) run. */
  wasStopped: () => boolean;
  /** Marks a run as started, with Stop not pressed and no error. */
  begin: () => void;
  /** Marks the run as ended, however it ended. */
  end: () => void;
  /** Asks the backend to cancel the run in progress; nothing when none is. */
  stop: () => Promise<void>;
}

export function useStoppableRun(api: BedsideApi): StoppableRun {
  const [stopping, setStopping] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const busy = useRef(false);
  const stopRequested = useRef(false);

  const isRunning = useCallback(() => busy.current, []);
  const wasStopped = useCallback(() => stopRequested.current, []);

  const begin = useCallback(() => {
    busy.current = true;
    stopRequested.current = false;
    setStopping(false);
    setError(null);
  }, []);

  const end = useCallback(() => {
    busy.current = false;
    setStopping(false);
  }, []);

  const stop = useCallback(async () => {
    if (!busy.current) return;
    stopRequested.current = true;
    setStopping(true);
    try {
      await api.askCancel();
    } catch (e) {
      setError(toApiError(e));
      setStopping(false);
    }
  }, [api]);

  const dismissError = useCallback(() => setError(null), []);

  return { stopping, error, setError, dismissError, isRunning, wasStopped, begin, end, stop };
}

// ---------------------------------------------------------------------------
// Chat
// ---------------------------------------------------------------------------

export interface Turn {
  id: number;
  question: string;
  /** Streamed text while generating; the `done` event's answer afterwards. */
  answer: string;
  status: "generating" | "finished" | "error";
  /** True once the `done` event has arrived. */
  done: boolean;
  stopped: boolean;
  citations: Citation[];
  stats: AskStats | null;
  /** The model that answered, from the `done` event. */
  model: string | null;
  /** The ask failed after part of the answer was streamed (`details: "partial"`); that text is kept. */
  partial: boolean;
  error: ApiError | null;
  /** Read back from a stored conversation rather than asked in this window. */
  stored: boolean;
  /**
   * Summaries of older turns shown above this turn: the one written for its
   * question, or, for a stored conversation, those that end just before it.
   */
  summaries: string[];
}

export interface ChatState {
  turns: Turn[];
  /** Stored summaries with no turn after them yet; shown after the turns, and above the next question. */
  trailingSummaries: string[];
  generating: boolean;
  stopping: boolean;
  error: ApiError | null;
  /** Asks in the current conversation (a new one when there is none yet). */
  ask: (question: string) => Promise<void>;
  stop: () => Promise<void>;
  dismissError: () => void;

  /** The conversation the next question continues; null before the first question. */
  conversationId: number | null;
  /** Its title, once known. */
  conversationTitle: string | null;
  /** Clears the turns; the next question starts a new conversation. Nothing while an answer streams. */
  newConversation: () => void;
  /** Shows a stored conversation; later questions continue it. Nothing while an answer streams. */
  openConversation: (id: number) => Promise<void>;
  /** The conversation being opened, if any. */
  openingId: number | null;
  openError: ApiError | null;
  dismissOpenError: () => void;

  /** The user's conversations, newest first; null until the first read has returned. */
  conversations: ConversationRecord[] | null;
  conversationsLoading: boolean;
  conversationsError: ApiError | null;
  loadConversations: () => Promise<void>;
  dismissConversationsError: () => void;
}

function isCitation(value: unknown): value is Citation {
  if (typeof value !== "object" || value === null) return false;
  const c = value as Record<string, unknown>;
  return typeof c.n === "number" && typeof c.chunk_id === "string";
}

/** The citations stored with a turn (JSON text); none when it can't be read. */
export function parseCitations(json: string): Citation[] {
  try {
    const value: unknown = JSON.parse(json);
    if (!Array.isArray(value)) return [];
    return value.filter(isCitation).map((c) => ({
      n: c.n,
      chunk_id: c.chunk_id,
      file_name: typeof c.file_name === "string" ? c.file_name : "",
      section: typeof c.section === "string" ? c.section : "",
      quote: typeof c.quote === "string" ? c.quote : "",
    }));
  } catch {
    return [];
  }
}

/**
 * A stored conversation as turns: each summary goes above the first turn after
 * the last one it covers; summaries with no later turn are returned apart.
 */
export function storedTurns(view: ConversationView, newId: () => number): { turns: Turn[]; trailing: string[] } {
  const records = Array.isArray(view.turns) ? view.turns : [];
  const summaries = Array.isArray(view.summaries) ? view.summaries : [];
  const turns: Turn[] = records.map((r) => ({
    id: newId(),
    question: r.question,
    answer: r.answer,
    status: "finished",
    done: true,
    stopped: Boolean(r.stopped),
    citations: typeof r.citations_json === "string" ? parseCitations(r.citations_json) : [],
    stats: null,
    model: typeof r.model === "string" && r.model.trim() !== "" ? r.model : null,
    partial: false,
    error: null,
    stored: true,
    summaries: [],
  }));
  const trailing: string[] = [];
  for (const s of summaries) {
    if (typeof s.summary !== "string" || s.summary.trim() === "") continue;
    const at = records.findIndex((r) => r.answer_id > s.through_answer_id);
    if (at < 0) trailing.push(s.summary);
    else turns[at].summaries.push(s.summary);
  }
  return { turns, trailing };
}

/**
 * The chat: its turns, the conversation they belong to, and the list of the
 * user's conversations (read whenever `listActive` becomes true, and after a
 * new conversation's first answer).
 */
export function useChatSession(api: BedsideApi, listActive: boolean): ChatState {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [trailingSummaries, setTrailingState] = useState<string[]>([]);
  const [generating, setGenerating] = useState(false);
  const { stopping, error, dismissError, isRunning, wasStopped, begin, end, stop } = useStoppableRun(api);
  const nextId = useRef(1);

  const [conversationId, setConversationIdState] = useState<number | null>(null);
  const [conversationTitle, setConversationTitle] = useState<string | null>(null);
  const [openingId, setOpeningId] = useState<number | null>(null);
  const [openError, setOpenError] = useState<ApiError | null>(null);
  const [conversations, setConversations] = useState<ConversationRecord[] | null>(null);
  const [conversationsLoading, setConversationsLoading] = useState(false);
  const [conversationsError, setConversationsError] = useState<ApiError | null>(null);
  // Read by `ask`, which must see the id the last `done` event set even before a re-render.
  const currentId = useRef<number | null>(null);
  const trailing = useRef<string[]>([]);
  // Bumped whenever what the chat shows changes hands (new, open, ask): a
  // conversation still being opened then no longer replaces the turns.
  const viewSeq = useRef(0);
  const listSeq = useRef(0);

  const setConversationId = useCallback((id: number | null) => {
    currentId.current = id;
    setConversationIdState(id);
  }, []);

  const setTrailing = useCallback((summaries: string[]) => {
    trailing.current = summaries;
    setTrailingState(summaries);
  }, []);

  const update = useCallback((id: number, fn: (turn: Turn) => Turn) => {
    setTurns((prev) => prev.map((turn) => (turn.id === id ? fn(turn) : turn)));
  }, []);

  const readConversations = useCallback(async (): Promise<ConversationRecord[] | null> => {
    const mine = ++listSeq.current;
    setConversationsLoading(true);
    try {
      const list = await api.conversationList();
      if (mine !== listSeq.current) return null;
      const clean = Array.isArray(list) ? list : [];
      setConversations(clean);
      setConversationsError(null);
      return clean;
    } catch (e) {
      if (mine === listSeq.current) setConversationsError(toApiError(e));
      return null;
    } finally {
      if (mine === listSeq.current) setConversationsLoading(false);
    }
  }, [api]);

  const loadConversations = useCallback(async () => {
    await readConversations();
  }, [readConversations]);

  useEffect(() => {
    if (!listActive) return;
    const timer = window.setTimeout(() => void readConversations(), 0);
    return () => window.clearTimeout(timer);
  }, [listActive, readConversations]);

  const ask = useCallback(
    async (question: string) => {
      const q = question.trim();
      if (!q || isRunning()) return;
      begin();
      const mine = ++viewSeq.current;
      setOpeningId(null);
      const asked = currentId.current;
      // Stored summaries with no turn after them belong above this question.
      const earlier = trailing.current;
      setTrailing([]);
      const id = nextId.current++;
      setTurns((prev) => [
        ...prev,
        {
          id,
          question: q,
          answer: "",
          status: "generating",
          done: false,
          stopped: false,
          citations: [],
          stats: null,
          model: null,
          partial: false,
          error: null,
          stored: false,
          summaries: earlier,
        },
      ]);
      setGenerating(true);

      let sawDone = false;
      // The conversation this question started (set inside the event callback).
      const outcome: { started: number | null } = { started: null };
      try {
        await api.ask(q, asked, (event) => {
          if (event.type === "conversation") {
            // Known before the answer, so a question that fails still continues its conversation.
            if (typeof event.conversation_id === "number" && mine === viewSeq.current) {
              if (asked === null) outcome.started = event.conversation_id;
              setConversationId(event.conversation_id);
            }
          } else if (event.type === "token") {
            if (sawDone || typeof event.text !== "string") return;
            update(id, (turn) => ({ ...turn, answer: turn.answer + event.text }));
          } else if (event.type === "done") {
            sawDone = true;
            const summary = typeof event.summary === "string" && event.summary.trim() !== "" ? event.summary : null;
            if (typeof event.conversation_id === "number" && mine === viewSeq.current) {
              if (asked === null) outcome.started = event.conversation_id;
              setConversationId(event.conversation_id);
            }
            update(id, (turn) => ({
              ...turn,
              answer: typeof event.answer === "string" ? event.answer : turn.answer,
              status: "finished",
              done: true,
              stopped: Boolean(event.stopped),
              citations: Array.isArray(event.citations) ? event.citations : [],
              stats: event.stats ?? null,
              model: typeof event.model === "string" && event.model.trim() !== "" ? event.model : null,
              summaries: summary === null ? turn.summaries : [...turn.summaries, summary],
            }));
          }
        });
        if (!sawDone) {
          const stopped = wasStopped();
          update(id, (turn) => ({ ...turn, status: "finished", stopped }));
        }
      } catch (e) {
        const err = toApiError(e);
        const stopped = wasStopped();
        // A remote server that broke off mid-answer: keep what was shown, marked incomplete.
        const partial = err.details === "partial";
        update(id, (turn) => ({ ...turn, status: "error", error: err, partial, stopped: turn.stopped || stopped }));
      } finally {
        end();
        setGenerating(false);
      }
      // A question without a conversation may have started one: list it, and show its title.
      if (asked === null) {
        const list = await readConversations();
        const newId = outcome.started;
        if (newId !== null && list !== null && mine === viewSeq.current) {
          setConversationTitle(list.find((c) => c.id === newId)?.title ?? null);
        }
      }
    },
    [api, update, isRunning, begin, wasStopped, end, readConversations, setConversationId, setTrailing],
  );

  const newConversation = useCallback(() => {
    if (isRunning()) return;
    viewSeq.current++;
    setOpeningId(null);
    setOpenError(null);
    setTurns([]);
    setTrailing([]);
    setConversationId(null);
    setConversationTitle(null);
  }, [isRunning, setConversationId, setTrailing]);

  const openConversation = useCallback(
    async (id: number) => {
      if (isRunning()) return;
      const mine = ++viewSeq.current;
      setOpeningId(id);
      setOpenError(null);
      try {
        const view = await api.conversationGet(id);
        if (mine !== viewSeq.current) return;
        const stored = storedTurns(view, () => nextId.current++);
        setTurns(stored.turns);
        setTrailing(stored.trailing);
        setConversationId(view.id);
        setConversationTitle(typeof view.title === "string" && view.title.trim() !== "" ? view.title : null);
      } catch (e) {
        if (mine !== viewSeq.current) return;
        const err = toApiError(e);
        setOpenError(err);
        // Gone (or never ours): the list is out of date.
        if (err.code === "not_found") void readConversations();
      } finally {
        if (mine === viewSeq.current) setOpeningId(null);
      }
    },
    [api, isRunning, readConversations, setConversationId, setTrailing],
  );

  const dismissOpenError = useCallback(() => setOpenError(null), []);
  const dismissConversationsError = useCallback(() => setConversationsError(null), []);

  return {
    turns,
    trailingSummaries,
    generating,
    stopping,
    error,
    ask,
    stop,
    dismissError,
    conversationId,
    conversationTitle,
    newConversation,
    openConversation,
    openingId,
    openError,
    dismissOpenError,
    conversations,
    conversationsLoading,
    conversationsError,
    loadConversations,
    dismissConversationsError,
  };
}

// ---------------------------------------------------------------------------
// Library: import and search
// ---------------------------------------------------------------------------

export interface ImportState {
  phase: "idle" | "running" | "finished";
  /** Files in the job. */
  total: number;
  /** Files of the job tried so far, earlier runs included. */
  processed: number;
  current: string | null;
  report: ImportReport | null;
  /** Cancel was pressed and the import has not finished yet. */
  cancelling: boolean;
  /** The job this run works on, once the backend has said which. */
  jobId: number | null;
  /** Whether this run resumes an earlier job rather than starting one. */
  resumed: boolean;
  /** Files an earlier run had already tried, so a resumed bar starts there, not at 0. */
  doneBefore: number;
  /** PDF pages the job has imported so far. */
  pagesDone: number;
  /** Estimated seconds left; null until the backend can estimate. */
  etaS: number | null;
}

const IDLE_IMPORT: ImportState = {
  phase: "idle",
  total: 0,
  processed: 0,
  current: null,
  report: null,
  cancelling: false,
  jobId: null,
  resumed: false,
  doneBefore: 0,
  pagesDone: 0,
  etaS: null,
};

function finiteOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function applyImportEvent(state: ImportState, event: ImportEvent): ImportState {
  switch (event.type) {
    case "started": {
      const total = Math.max(0, finiteOr(event.total, 0));
      const doneBefore = Math.min(total, Math.max(0, finiteOr(event.done, 0)));
      const jobId = typeof event.job_id === "number" ? event.job_id : state.jobId;
      return { ...state, total, processed: doneBefore, doneBefore, jobId };
    }
    case "file": {
      const processed = state.processed + 1;
      const eta = finiteOr(event.eta_s, -1);
      return {
        ...state,
        processed,
        total: Math.max(event.total, processed),
        current: event.path,
        pagesDone: Math.max(state.pagesDone, finiteOr(event.pages_done, 0)),
        etaS: eta >= 0 ? eta : null,
      };
    }
    case "finished":
      return { ...state, report: event.report ?? state.report };
    default:
      return state;
  }
}

export interface LibraryState {
  importPath: string;
  setImportPath: (value: string) => void;
  importState: ImportState;
  importError: ApiError | null;
  runImport: (paths: string[]) => Promise<void>;
  /** Goes on with an interrupted or cancelled job, with the same progress as a new import. */
  resumeImport: (jobId: number) => Promise<void>;
  /** Asks this window's running import to stop after the current file; nothing when none runs. */
  cancelImport: () => Promise<void>;

  /** The latest import jobs, newest first; null until first read (admins only). */
  jobs: ImportJob[] | null;
  jobsLoading: boolean;
  jobsError: ApiError | null;
  loadJobs: () => Promise<void>;
  dismissJobsError: () => void;

  pickFiles: () => Promise<void>;
  pickFolder: () => Promise<void>;

  query: string;
  setQuery: (value: string) => void;
  searching: boolean;
  /** null until the first search has returned. */
  hits: SearchHit[] | null;
  searchError: ApiError | null;
  search: () => Promise<void>;

  /** Every document, newest first; null until the first read has returned. */
  documents: DocumentRecord[] | null;
  documentsLoading: boolean;
  documentsError: ApiError | null;
  loadDocuments: () => Promise<void>;
  /** Whether the list also shows superseded versions (hidden by default). */
  showSuperseded: boolean;
  setShowSuperseded: (value: boolean) => void;
  /** The document being deleted, if any; one at a time. */
  deletingId: number | null;
  deleteError: ApiError | null;
  /** The document the last delete removed, for the notice. */
  deleted: DocumentRecord | null;
  /** Deletes a document (admin only), then reads the list and the counts again. */
  deleteDocument: (doc: DocumentRecord) => Promise<boolean>;
  /** The document being replaced by a new version, if any; one at a time. */
  replacingId: number | null;
  replaceError: ApiError | null;
  /** The last replace: the version it superseded and the file imported, for the notice. */
  replaced: { previous: DocumentRecord; imported: ImportedFile } | null;
  /**
   * Asks for one file and imports it as the next version of `doc` (admin
   * only), then reads the list and the counts again; nothing when cancelled.
   */
  replaceDocument: (doc: DocumentRecord) => Promise<void>;

  dismissImportError: () => void;
  dismissSearchError: () => void;
  dismissDocumentsError: () => void;
  dismissDeleteError: () => void;
  dismissReplaceError: () => void;
}

/**
 * Import, search and the document list. `onChanged` runs after every import,
 * delete and replace (to read the counts again); the list is read whenever
 * `documentsActive` becomes true, and again after each of those.
 */
export function useLibrary(api: BedsideApi, onChanged: () => void, documentsActive: boolean): LibraryState {
  const [importPath, setImportPath] = useState("");
  const [importState, setImportState] = useState<ImportState>(IDLE_IMPORT);
  const [importError, setImportError] = useState<ApiError | null>(null);
  const importing = useRef(false);

  const [query, setQuery] = useState("");
  const [searching, setSearching] = useState(false);
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [searchError, setSearchError] = useState<ApiError | null>(null);
  const searchSeq = useRef(0);

  const [documents, setDocuments] = useState<DocumentRecord[] | null>(null);
  const [documentsLoading, setDocumentsLoading] = useState(false);
  const [documentsError, setDocumentsError] = useState<ApiError | null>(null);
  const [showSuperseded, setShowSuperseded] = useState(false);
  const [deletingId, setDeletingId] = useState<number | null>(null);
  const [deleteError, setDeleteError] = useState<ApiError | null>(null);
  const [deleted, setDeleted] = useState<DocumentRecord | null>(null);
  const [replacingId, setReplacingId] = useState<number | null>(null);
  const [replaceError, setReplaceError] = useState<ApiError | null>(null);
  const [replaced, setReplaced] = useState<LibraryState["replaced"]>(null);
  const documentsSeq = useRef(0);
  const deleting = useRef(false);
  // Set from the file picker on, so a second click cannot open another one.
  const replacing = useRef(false);

  const loadDocuments = useCallback(async () => {
    const mine = ++documentsSeq.current;
    setDocumentsLoading(true);
    try {
      const list = await api.libraryDocuments();
      if (mine !== documentsSeq.current) return;
      setDocuments(Array.isArray(list) ? list : []);
      setDocumentsError(null);
    } catch (e) {
      if (mine === documentsSeq.current) setDocumentsError(toApiError(e));
    } finally {
      if (mine === documentsSeq.current) setDocumentsLoading(false);
    }
  }, [api]);

  useEffect(() => {
    if (!documentsActive) return;
    const timer = window.setTimeout(() => void loadDocuments(), 0);
    return () => window.clearTimeout(timer);
  }, [documentsActive, loadDocuments]);

  const [jobs, setJobs] = useState<ImportJob[] | null>(null);
  const [jobsLoading, setJobsLoading] = useState(false);
  const [jobsError, setJobsError] = useState<ApiError | null>(null);
  const jobsSeq = useRef(0);

  const loadJobs = useCallback(async () => {
    const mine = ++jobsSeq.current;
    setJobsLoading(true);
    try {
      const list = await api.libraryJobs();
      if (mine !== jobsSeq.current) return;
      setJobs(Array.isArray(list) ? list : []);
      setJobsError(null);
    } catch (e) {
      if (mine === jobsSeq.current) setJobsError(toApiError(e));
    } finally {
      if (mine === jobsSeq.current) setJobsLoading(false);
    }
  }, [api]);

  /**
   * Runs one import (new or resumed) with its progress in `importState`. One
   * at a time per window: the backend's cancel flag is per window.
   */
  const runJob = useCallback(
    async (resumed: boolean, start: (onEvent: (event: ImportEvent) => void) => Promise<ImportReport>) => {
      if (importing.current) return;
      importing.current = true;
      setImportError(null);
      setImportState({ ...IDLE_IMPORT, phase: "running", resumed });
      try {
        const report = await start((event) => {
          setImportState((s) => (s.phase === "running" ? applyImportEvent(s, event) : s));
          // The job exists (and shows as running) from its first event on.
          if (event.type === "started") void loadJobs();
        });
        setImportState((s) => {
          const final = report ?? s.report ?? { job_id: s.jobId ?? 0, imported: [], skipped: [], failed: [], cancelled: false };
          const count = final.imported.length + final.skipped.length + final.failed.length;
          const total = Math.max(s.total, s.doneBefore + count);
          // A cancelled import stops short of the total it announced.
          const processed = final.cancelled === true ? s.doneBefore + count : total;
          return { ...s, phase: "finished", total, processed, current: null, report: final, cancelling: false, etaS: null };
        });
      } catch (e) {
        setImportError(toApiError(e));
        setImportState(IDLE_IMPORT);
      } finally {
        importing.current = false;
      }
      // Even a failed import may have added some files, and its job changed state.
      onChanged();
      void loadDocuments();
      void loadJobs();
    },
    [onChanged, loadDocuments, loadJobs],
  );

  const runImport = useCallback(
    async (paths: string[]) => {
      const clean = paths.map((p) => p.trim()).filter((p) => p.length > 0);
      if (clean.length === 0) return;
      await runJob(false, (onEvent) => api.libraryImport(clean, onEvent));
    },
    [api, runJob],
  );

  const resumeImport = useCallback(
    (jobId: number) => runJob(true, (onEvent) => api.libraryImportResume(jobId, onEvent)),
    [api, runJob],
  );

  const cancelImport = useCallback(async () => {
    if (!importing.current) return;
    setImportState((s) => (s.phase === "running" ? { ...s, cancelling: true } : s));
    try {
      await api.libraryImportCancel();
    } catch (e) {
      setImportError(toApiError(e));
      setImportState((s) => (s.phase === "running" ? { ...s, cancelling: false } : s));
    }
  }, [api]);

  const deleteDocument = useCallback(
    async (doc: DocumentRecord) => {
      if (deleting.current || replacing.current) return false;
      deleting.current = true;
      setDeletingId(doc.id);
      setDeleteError(null);
      setDeleted(null);
      setReplaced(null);
      let ok = false;
      try {
        await api.libraryDelete(doc.id);
        setDeleted(doc);
        ok = true;
      } catch (e) {
        setDeleteError(toApiError(e));
      } finally {
        deleting.current = false;
        setDeletingId(null);
      }
      onChanged();
      await loadDocuments();
      return ok;
    },
    [api, onChanged, loadDocuments],
  );

  const replaceDocument = useCallback(
    async (doc: DocumentRecord) => {
      if (replacing.current || deleting.current || importing.current) return;
      replacing.current = true;
      setReplaceError(null);
      let picked = false;
      try {
        const path = await api.pickDocumentFile();
        if (!path) return;
        picked = true;
        setReplacingId(doc.id);
        setReplaced(null);
        setDeleted(null);
        const imported = await api.libraryReplace(doc.id, path);
        setReplaced({ previous: doc, imported });
      } catch (e) {
        setReplaceError(toApiError(e));
      } finally {
        replacing.current = false;
        setReplacingId(null);
      }
      if (!picked) return;
      onChanged();
      await loadDocuments();
    },
    [api, onChanged, loadDocuments],
  );

  const pickFiles = useCallback(async () => {
    if (importing.current) return;
    try {
      const paths = await api.pickFiles();
      if (paths.length > 0) await runImport(paths);
    } catch (e) {
      setImportError(toApiError(e));
    }
  }, [api, runImport]);

  const pickFolder = useCallback(async () => {
    if (importing.current) return;
    try {
      const path = await api.pickFolder();
      if (path) await runImport([path]);
    } catch (e) {
      setImportError(toApiError(e));
    }
  }, [api, runImport]);

  const search = useCallback(async () => {
    const q = query.trim();
    if (!q) return;
    const seq = ++searchSeq.current;
    setSearching(true);
    setSearchError(null);
    try {
      const result = await api.librarySearch(q);
      if (seq === searchSeq.current) setHits(Array.isArray(result?.hits) ? result.hits : []);
    } catch (e) {
      if (seq === searchSeq.current) {
        setSearchError(toApiError(e));
        setHits(null);
      }
    } finally {
      if (seq === searchSeq.current) setSearching(false);
    }
  }, [api, query]);

  const dismissImportError = useCallback(() => setImportError(null), []);
  const dismissJobsError = useCallback(() => setJobsError(null), []);
  const dismissSearchError = useCallback(() => setSearchError(null), []);
  const dismissDocumentsError = useCallback(() => setDocumentsError(null), []);
  const dismissDeleteError = useCallback(() => setDeleteError(null), []);
  const dismissReplaceError = useCallback(() => setReplaceError(null), []);

  return {
    importPath,
    setImportPath,
    importState,
    importError,
    runImport,
    resumeImport,
    cancelImport,
    jobs,
    jobsLoading,
    jobsError,
    loadJobs,
    dismissJobsError,
    pickFiles,
    pickFolder,
    query,
    setQuery,
    searching,
    hits,
    searchError,
    search,
    documents,
    documentsLoading,
    documentsError,
    loadDocuments,
    showSuperseded,
    setShowSuperseded,
    deletingId,
    deleteError,
    deleted,
    deleteDocument,
    replacingId,
    replaceError,
    replaced,
    replaceDocument,
    dismissImportError,
    dismissSearchError,
    dismissDocumentsError,
    dismissDeleteError,
    dismissReplaceError,
  };
}
