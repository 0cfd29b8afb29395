// Triage state hooks. Like those in state.ts they live above the pages (in
// the Workspace), so a half-filled intake, its grades and the board survive
// switching pages and the lock screen.

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { SESSION_GATE_CODES, toApiError } from "./api";
import type { ApiError, Assessment, BedsideApi, BoardRow, Intake, SavedTriage, TriageDecision } from "./api";
import { useStoppableRun } from "./state";
import {
  buildIntake,
  unansweredOf,
  emptyForm,
  fieldErrorOf,
  formFromDraft,
  reasonError,
  toDraft,
} from "./triage";
import type { FieldErrors, FieldKey, ResourceId, TriageForm } from "./triage";

/** The draft is written this long after the last change. */
export const DRAFT_DEBOUNCE_MS = 1500;
/** The board is read again this often while it is on screen (each read is audited). */
export const BOARD_REFRESH_MS = 60_000;

export interface TriageAssessed {
  /** The intake that was graded: saving sends exactly this. */
  intake: Intake;
  /** The form as it was when graded; any change after makes the grades stale. */
  formKey: string;
  result: Assessment;
  withModel: boolean;
  /** The nurse pressed Stop while the model was running. */
  stopped: boolean;
}

export interface DecisionState {
  overriding: boolean;
  finalCn: string;
  finalEsi: string;
  reason: string;
  /** "I have re-checked these values", for warnings. */
  valuesConfirmed: boolean;
}

const NO_DECISION: DecisionState = { overriding: false, finalCn: "", finalEsi: "", reason: "", valuesConfirmed: false };

export interface TriageState {
  form: TriageForm;
  update: (patch: Partial<TriageForm>) => void;
  appendComplaint: (phrase: string) => void;
  setResource: (id: ResourceId, checked: boolean) => void;
  setResourcesNone: (checked: boolean) => void;
  fieldErrors: FieldErrors;

  /** The form was restored from the user's kept draft: when that was kept (UTC, as the backend sent it). */
  restoredDraft: { savedAt: string } | null;
  draftError: ApiError | null;
  /** Clears the restored form and deletes the draft. */
  discardDraft: () => Promise<void>;

  /** What is being graded: by the rules alone, or with the model. */
  assessing: "rules" | "model" | null;
  stopping: boolean;
  /** A grading error that names no input. */
  error: ApiError | null;
  dismissError: () => void;
  assessed: TriageAssessed | null;
  /** The form changed after grading: the grades shown are not for it. */
  stale: boolean;
  grade: (useModel: boolean) => Promise<void>;
  stop: () => Promise<void>;

  decision: DecisionState;
  setDecision: (patch: Partial<DecisionState>) => void;
  saving: boolean;
  saveError: ApiError | null;
  save: (override: boolean) => Promise<void>;
  saved: SavedTriage | null;
  dismissSaved: () => void;

  clear: () => Promise<void>;
}

/**
 * The intake form and its grading. The draft is loaded the first time
 * `loadDraft` is true, and written (debounced) while `canWrite` is true.
 */
export function useTriage(
  api: BedsideApi,
  { loadDraft, canWrite }: { loadDraft: boolean; canWrite: boolean },
): TriageState {
  const [form, setForm] = useState<TriageForm>(emptyForm);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  // Changes made, and the last change written to the draft.
  const [rev, setRev] = useState(0);
  const [writtenRev, setWrittenRev] = useState(0);
  const [draftLoaded, setDraftLoaded] = useState(false);
  const [restoredDraft, setRestoredDraft] = useState<{ savedAt: string } | null>(null);
  const [draftError, setDraftError] = useState<ApiError | null>(null);

  const [assessing, setAssessing] = useState<"rules" | "model" | null>(null);
  const { stopping, error, setError, dismissError, isRunning, wasStopped, begin, end, stop } = useStoppableRun(api);
  const [assessed, setAssessed] = useState<TriageAssessed | null>(null);

  const [decision, setDecisionState] = useState<DecisionState>(NO_DECISION);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<SavedTriage | null>(null);

  const loadStarted = useRef(false);
  const edited = useRef(false);
  // Draft writes and discards run one after another; a write queued before the
  // form was cleared or saved (an older generation) is dropped.
  const draftQueue = useRef<Promise<void>>(Promise.resolve());
  const generation = useRef(0);
  const savingNow = useRef(false);

  const enqueue = useCallback((task: () => Promise<void>): Promise<void> => {
    const next = draftQueue.current.then(task, task);
    draftQueue.current = next.catch(() => {});
    return next;
  }, []);

  // ----- form -----

  const changed = useCallback((keys: FieldKey[]) => {
    edited.current = true;
    setRev((r) => r + 1);
    setFieldErrors((prev) => {
      if (!keys.some((k) => prev[k] !== undefined)) return prev;
      const next = { ...prev };
      for (const k of keys) delete next[k];
      return next;
    });
  }, []);

  const update = useCallback(
    (patch: Partial<TriageForm>) => {
      setForm((f) => ({ ...f, ...patch }));
      const keys = Object.keys(patch) as FieldKey[];
      // The backend checks the typed age against the birth date and may name either.
      if (keys.includes("ageUnit")) keys.push("age");
      if (keys.includes("age")) keys.push("birthDate");
      if (keys.includes("birthDate")) keys.push("age");
      changed(keys);
    },
    [changed],
  );

  const appendComplaint = useCallback(
    (phrase: string) => {
      setForm((f) => {
        const current = f.complaint.trimEnd();
        if (current === "") return { ...f, complaint: phrase };
        const cjk = /[\u3000-\u9fff\uff00-\uffef]/.test(phrase);
        const sep = /[,，;；.。、]$/.test(current) ? (cjk ? "" : " ") : cjk ? "，" : ", ";
        return { ...f, complaint: `${current}${sep}${phrase}` };
      });
      changed(["complaint"]);
    },
    [changed],
  );

  const setResource = useCallback(
    (id: ResourceId, checked: boolean) => {
      setForm((f) => {
        const others = f.resources.filter((r) => r !== id);
        return {
          ...f,
          resources: checked ? [...others, id] : others,
          resourcesNone: checked ? false : f.resourcesNone,
        };
      });
      changed(["resources", "resourcesNone"]);
    },
    [changed],
  );

  const setResourcesNone = useCallback(
    (checked: boolean) => {
      setForm((f) => ({
        ...f,
        resources: checked ? [] : f.resources,
        resourcesNone: checked,
      }));
      changed(["resources", "resourcesNone"]);
    },
    [changed],
  );

  // ----- draft -----

  useEffect(() => {
    if (!loadDraft || loadStarted.current) return;
    loadStarted.current = true;
    let live = true;
    api.triageDraftLoad().then(
      (kept) => {
        if (!live) return;
        setDraftLoaded(true);
        // Whatever the nurse has typed meanwhile wins over the kept draft.
        if (edited.current || typeof kept !== "object" || kept === null) return;
        const restored = formFromDraft(kept.draft);
        if (restored) {
          setForm(restored);
          setRestoredDraft({ savedAt: typeof kept.saved_at === "string" ? kept.saved_at : "" });
        }
      },
      (e: unknown) => {
        if (!live) return;
        const err = toApiError(e);
        if (SESSION_GATE_CODES.has(err.code)) {
          // Locked meanwhile: try again when the page is next open.
          loadStarted.current = false;
          return;
        }
        setDraftError(err);
        setDraftLoaded(true);
      },
    );
    return () => {
      live = false;
    };
  }, [api, loadDraft]);

  useEffect(() => {
    if (!canWrite || !draftLoaded || rev === writtenRev) return;
    const gen = generation.current;
    const snapshot = form;
    const at = rev;
    const timer = window.setTimeout(() => {
      void enqueue(async () => {
        if (gen !== generation.current || savingNow.current) return;
        try {
          await api.triageDraftSave(toDraft(snapshot));
          if (gen !== generation.current) return;
          setWrittenRev((w) => Math.max(w, at));
          setDraftError(null);
        } catch (e) {
          const err = toApiError(e);
          if (!SESSION_GATE_CODES.has(err.code)) setDraftError(err);
        }
      });
    }, DRAFT_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [api, form, rev, writtenRev, canWrite, draftLoaded, enqueue]);

  /** A fresh form for the next patient; queued draft writes are dropped. */
  const reset = useCallback(() => {
    generation.current++;
    edited.current = false;
    setForm(emptyForm());
    setRev(0);
    setWrittenRev(0);
    setFieldErrors({});
    setAssessed(null);
    setDecisionState(NO_DECISION);
    setError(null);
    setSaveError(null);
    setRestoredDraft(null);
  }, [setError]);

  // ----- grading -----

  const formKey = useMemo(() => JSON.stringify(form), [form]);
  const stale = assessed !== null && assessed.formKey !== formKey;

  const grade = useCallback(
    async (useModel: boolean) => {
      if (isRunning() || savingNow.current) return;
      const built = buildIntake(form, new Date());
      if (Object.keys(built.errors).length > 0) {
        setFieldErrors(built.errors);
        setError(null);
        return;
      }
      begin();
      setAssessing(useModel ? "model" : "rules");
      setFieldErrors({});
      setSaved(null);
      setSaveError(null);
      try {
        const result = await api.triageAssess(built.intake, useModel);
        setAssessed({
          intake: built.intake,
          formKey: JSON.stringify(form),
          result,
          withModel: useModel,
          stopped: wasStopped(),
        });
        // A reason already typed (a save refused because the form was graded again) is kept.
        setDecisionState((d) => ({
          ...NO_DECISION,
          reason: d.reason,
          finalCn: String(result.suggested.cn),
          finalEsi: String(result.suggested.esi),
        }));
      } catch (e) {
        const err = toApiError(e);
        setAssessed(null);
        setDecisionState(NO_DECISION);
        const field = fieldErrorOf(err);
        if (field) setFieldErrors({ [field[0]]: field[1] });
        else setError(err);
      } finally {
        end();
        setAssessing(null);
      }
    },
    [api, form, isRunning, setError, begin, wasStopped, end],
  );

  // ----- decision -----

  const setDecision = useCallback((patch: Partial<DecisionState>) => {
    setDecisionState((d) => ({ ...d, ...patch }));
    const keys = Object.keys(patch).filter((k) => k === "reason" || k === "finalCn" || k === "finalEsi") as FieldKey[];
    if (keys.length > 0) {
      setFieldErrors((prev) => {
        if (!keys.some((k) => prev[k] !== undefined)) return prev;
        const next = { ...prev };
        for (const k of keys) delete next[k];
        return next;
      });
    }
    setSaveError(null);
  }, []);

  const save = useCallback(
    async (override: boolean) => {
      if (!assessed || stale || isRunning() || savingNow.current) return;
      if (assessed.result.grades.warnings.length > 0 && !decision.valuesConfirmed) return;
      // A provisional grade (A or B, an infant's age or a minor level's vital signs unanswered)
      // is refused by the backend: not sent.
      if (unansweredOf(assessed.result.grades).length > 0) return;
      let choice: TriageDecision = {};
      if (override) {
        const problem = reasonError(decision.reason);
        if (problem) {
          // Refused here as the backend would refuse it: the field is marked, and the
          // save error says why nothing was saved.
          setFieldErrors((prev) => ({ ...prev, reason: problem }));
          setSaveError({ code: "invalid_value", message: "", field: "decision.reason" });
          return;
        }
        choice = {
          finalCn: Number(decision.finalCn),
          finalEsi: Number(decision.finalEsi),
          reason: decision.reason.trim(),
        };
      }
      savingNow.current = true;
      setSaving(true);
      setSaveError(null);
      try {
        // A draft write still running must not land after the save has
        // removed the draft.
        await draftQueue.current;
        const result = await api.triageSave(assessed.intake, assessed.result.id ?? -1, choice);
        reset();
        setSaved(result);
      } catch (e) {
        const err = toApiError(e);
        const field = fieldErrorOf(err);
        if (field) setFieldErrors((prev) => ({ ...prev, [field[0]]: field[1] }));
        setSaveError(err);
        // Writes skipped while saving: keep the draft up to date again.
        setRev((r) => r + 1);
      } finally {
        savingNow.current = false;
        setSaving(false);
      }
    },
    [api, assessed, stale, decision, reset, isRunning],
  );

  const dismissSaved = useCallback(() => setSaved(null), []);

  const clear = useCallback(async () => {
    if (isRunning() || savingNow.current) return;
    reset();
    setSaved(null);
    try {
      await enqueue(() => api.triageDraftDiscard());
      setDraftError(null);
    } catch (e) {
      const err = toApiError(e);
      if (!SESSION_GATE_CODES.has(err.code)) setDraftError(err);
    }
  }, [api, enqueue, reset, isRunning]);

  return {
    form,
    update,
    appendComplaint,
    setResource,
    setResourcesNone,
    fieldErrors,
    restoredDraft,
    draftError,
    discardDraft: clear,
    assessing,
    stopping,
    error,
    dismissError,
    assessed,
    stale,
    grade,
    stop,
    decision,
    setDecision,
    saving,
    saveError,
    save,
    saved,
    dismissSaved,
    clear,
  };
}

// ---------------------------------------------------------------------------
// The board
// ---------------------------------------------------------------------------

export interface BoardState {
  /** null until the first read. */
  rows: BoardRow[] | null;
  loading: boolean;
  error: ApiError | null;
  /** When the rows were read (ms since the epoch). */
  loadedAt: number | null;
  refresh: () => Promise<void>;
  /** The encounter being called in. */
  callingIn: number | null;
  callIn: (id: number) => Promise<void>;
  dismissError: () => void;
}

/**
 * The waiting board. It is read when it comes on screen (`active`) and then
 * every minute while the window is visible, not more often: each read is
 * audited.
 */
export function useBoard(api: BedsideApi, active: boolean): BoardState {
  const [rows, setRows] = useState<BoardRow[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [loadedAt, setLoadedAt] = useState<number | null>(null);
  const [callingIn, setCallingIn] = useState<number | null>(null);
  const seq = useRef(0);

  const read = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const list = await api.triageBoard();
      if (mine !== seq.current) return;
      setRows(Array.isArray(list) ? list : []);
      setLoadedAt(Date.now());
      setError(null);
    } catch (e) {
      if (mine === seq.current) setError(toApiError(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [api]);

  useEffect(() => {
    if (!active) return;
    let last = 0;
    const tick = () => {
      if (document.visibilityState !== "visible") return;
      last = Date.now();
      void read();
    };
    const first = window.setTimeout(tick, 0);
    const timer = window.setInterval(tick, BOARD_REFRESH_MS);
    const onVisible = () => {
      if (document.visibilityState === "visible" && Date.now() - last >= BOARD_REFRESH_MS) tick();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.clearTimeout(first);
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [active, read]);

  const callIn = useCallback(
    async (id: number) => {
      setCallingIn(id);
      setError(null);
      try {
        await api.encounterCallIn(id);
        await read();
      } catch (e) {
        setError(toApiError(e));
      } finally {
        setCallingIn(null);
      }
    },
    [api, read],
  );

  const dismissError = useCallback(() => setError(null), []);

  return { rows, loading, error, loadedAt, refresh: read, callingIn, callIn, dismissError };
}
