// The Models page's state. It lives above the pages, like the library's, so a
// running model import (minutes for a large file) keeps its progress when the
// admin switches to another page and back.

import { useCallback, useEffect, useRef, useState } from "react";
import { toApiError } from "./api";
import type { ApiError, BedsideApi, EngineStatus, ModelRecord, ModelsOverview } from "./api";

export interface ModelImportState {
  phase: "idle" | "running" | "finished" | "cancelled";
  /** Bytes copied so far. */
  copied: number;
  /** The file's size; 0 until the first progress event. */
  total: number;
  /** Cancel was pressed and the import has not ended yet. */
  cancelling: boolean;
  /** The imported model, once finished. */
  result: ModelRecord | null;
}

const IDLE_IMPORT: ModelImportState = { phase: "idle", copied: 0, total: 0, cancelling: false, result: null };

export interface ModelsState {
  /** null until the first read has returned. */
  overview: ModelsOverview | null;
  loading: boolean;
  loadError: ApiError | null;
  /** Reads the overview again. */
  reload: () => Promise<void>;
  /** After a change: reads the overview again and tells the window (app info). */
  changed: () => Promise<void>;
  /** Shows an engine status that load or unload returned, before the next read. */
  showEngine: (status: EngineStatus) => void;

  importPath: string;
  setImportPath: (value: string) => void;
  importName: string;
  setImportName: (value: string) => void;
  importSha256: string;
  setImportSha256: (value: string) => void;
  importState: ModelImportState;
  importError: ApiError | null;
  /** Imports the file in `importPath`; nothing while one runs. */
  runImport: () => Promise<void>;
  /** Stops the running import; its promise then rejects with `cancelled`. */
  cancelImport: () => Promise<void>;
  /** The native picker, filtered to .gguf; puts the chosen file in `importPath`. */
  pickFile: () => Promise<void>;

  dismissLoadError: () => void;
  dismissImportError: () => void;
}

/**
 * The models overview and the model import. The overview is read whenever
 * `active` becomes true, and again after each change; `onChanged` runs after
 * each change too (to read app info again).
 */
export function useModels(api: BedsideApi, onChanged: () => void, active: boolean): ModelsState {
  const [overview, setOverview] = useState<ModelsOverview | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const seq = useRef(0);

  const [importPath, setImportPath] = useState("");
  const [importName, setImportName] = useState("");
  const [importSha256, setImportSha256] = useState("");
  const [importState, setImportState] = useState<ModelImportState>(IDLE_IMPORT);
  const [importError, setImportError] = useState<ApiError | null>(null);
  const importing = useRef(false);

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const next = await api.modelsOverview();
      if (mine !== seq.current) return;
      setOverview(next);
      setLoadError(null);
    } catch (e) {
      if (mine === seq.current) setLoadError(toApiError(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [api]);

  useEffect(() => {
    if (!active) return;
    const timer = window.setTimeout(() => void reload(), 0);
    return () => window.clearTimeout(timer);
  }, [active, reload]);

  const changed = useCallback(async () => {
    onChanged();
    await reload();
  }, [onChanged, reload]);

  const showEngine = useCallback((status: EngineStatus) => {
    setOverview((o) => (o && status ? { ...o, engine: status } : o));
  }, []);

  const runImport = useCallback(async () => {
    const path = importPath.trim();
    if (path === "" || importing.current) return;
    importing.current = true;
    setImportError(null);
    setImportState({ ...IDLE_IMPORT, phase: "running" });
    try {
      const record = await api.modelImport(
        { path, name: importName.trim() || null, sha256: importSha256.trim() || null },
        (event) => {
          if (event.type !== "progress") return;
          setImportState((s) =>
            s.phase === "running"
              ? { ...s, copied: Math.max(0, event.copied), total: Math.max(0, event.total, event.copied) }
              : s,
          );
        },
      );
      setImportState((s) => ({ ...s, phase: "finished", copied: s.total, cancelling: false, result: record }));
      setImportPath("");
      setImportName("");
      setImportSha256("");
    } catch (e) {
      const err = toApiError(e);
      if (err.code === "cancelled") {
        setImportState({ ...IDLE_IMPORT, phase: "cancelled" });
      } else {
        setImportState(IDLE_IMPORT);
        setImportError(err);
      }
    } finally {
      importing.current = false;
    }
    await changed();
  }, [api, importPath, importName, importSha256, changed]);

  const cancelImport = useCallback(async () => {
    if (!importing.current) return;
    setImportState((s) => (s.phase === "running" ? { ...s, cancelling: true } : s));
    try {
      await api.modelImportCancel();
    } catch (e) {
      setImportError(toApiError(e));
      setImportState((s) => (s.phase === "running" ? { ...s, cancelling: false } : s));
    }
  }, [api]);

  const pickFile = useCallback(async () => {
    if (importing.current) return;
    try {
      const path = await api.pickModelFile();
      if (path) setImportPath(path);
    } catch (e) {
      setImportError(toApiError(e));
    }
  }, [api]);

  const dismissLoadError = useCallback(() => setLoadError(null), []);
  const dismissImportError = useCallback(() => setImportError(null), []);

  return {
    overview,
    loading,
    loadError,
    reload,
    changed,
    showEngine,
    importPath,
    setImportPath,
    importName,
    setImportName,
    importSha256,
    setImportSha256,
    importState,
    importError,
    runImport,
    cancelImport,
    pickFile,
    dismissLoadError,
    dismissImportError,
  };
}

/**
 * Form state that starts from a value the backend sent and starts again from
 * it whenever that value changes (after a save, or a change made elsewhere),
 * but keeps the admin's edits while it stays the same. `key` identifies the
 * backend's value (for example its JSON).
 */
export function useServerForm<T>(key: string, make: () => T): [T, (value: T) => void] {
  const [base, setBase] = useState(key);
  const [value, setValue] = useState<T>(make);
  if (base !== key) {
    setBase(key);
    setValue(make());
  }
  return [value, setValue];
}
