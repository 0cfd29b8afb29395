import { useEffect, useState } from "react";
import type { FormEvent, KeyboardEvent } from "react";
import { toApiError } from "../api";
import type { ApiError, EngineStatus } from "../api";
import { useApi } from "../apiContext";
import { engineKindText, useT } from "../i18n";
import type { Dict } from "../i18n";
import type { ModelsState } from "../modelsState";
import { formatMiB, isSha256, percentOf } from "../text";
import { ErrorBanner } from "./ErrorBanner";
import { TextField } from "./Field";
import { FormError } from "./FormError";
import { ModelsKeep, ModelsRemote, ModelsThreads } from "./ModelsEngineSettings";
import { ModelsTable } from "./ModelsTable";
import { ModelsTasks } from "./ModelsTasks";

/** Enter while an input method is composing (Chinese input) must not submit. */
function guardComposition(e: KeyboardEvent<HTMLInputElement>) {
  if (e.key === "Enter" && (e.nativeEvent.isComposing || e.keyCode === 229)) e.preventDefault();
}

/** An engine's chat template: the file's own, a built-in one by name, or none. */
function templateText(t: Dict, template: string | null): string {
  if (template === null || template === "") return t.templateNone;
  return template === "gguf" ? t.templateOwn : template;
}

function sameError(a: ApiError | null, b: ApiError | null): boolean {
  return a !== null && b !== null && a.code === b.code && a.message === b.message;
}

/** What the chat runs on now, or why nothing is loaded; Load now and Unload. */
function EngineCard({
  status,
  onShow,
  onChanged,
}: {
  status: EngineStatus;
  onShow: (status: EngineStatus) => void;
  onChanged: () => Promise<void>;
}) {
  const api = useApi();
  const t = useT();
  const [busy, setBusy] = useState<"load" | "unload" | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [unloaded, setUnloaded] = useState(false);
  const { engine } = status;
  const statusError = engine ? null : status.error;

  const run = async (which: "load" | "unload") => {
    if (busy) return;
    setBusy(which);
    setError(null);
    setUnloaded(false);
    let ok = false;
    try {
      onShow(which === "load" ? await api.engineLoad() : await api.engineUnload());
      ok = true;
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(null);
    }
    if (ok && which === "unload") setUnloaded(true);
    await onChanged();
  };

  const loading = !engine && status.loading;
  const state = engine ? "loaded" : loading ? "loading" : statusError ? "error" : "none";

  // A load in the background (after a login) is followed until it ends.
  useEffect(() => {
    if (!loading) return;
    const timer = window.setTimeout(() => void onChanged(), 1000);
    return () => window.clearTimeout(timer);
  }, [loading, onChanged]);

  return (
    <section
      className="card"
      aria-labelledby="engine-heading"
      data-testid="engine-status"
      data-state={state}
      data-kind={engine?.kind ?? undefined}
    >
      <h2 id="engine-heading">{t.engineHeading}</h2>
      {engine && (
        <dl className="meta-list engine-facts">
          <dt>{t.engineNameLabel}</dt>
          <dd data-testid="engine-name">{engine.name}</dd>
          <dt>{t.engineKindLabel}</dt>
          <dd data-testid="engine-kind" data-value={engine.kind}>
            {engineKindText(t, engine.kind)}
          </dd>
          {engine.architecture && (
            <>
              <dt>{t.engineArchitectureLabel}</dt>
              <dd data-testid="engine-architecture">{engine.architecture}</dd>
            </>
          )}
          {engine.kind === "local" && (
            <>
              <dt>{t.engineTemplateLabel}</dt>
              <dd data-testid="engine-template" data-value={engine.template ?? ""}>
                {templateText(t, engine.template)}
              </dd>
            </>
          )}
          {engine.threads !== null && (
            <>
              <dt>{t.engineThreadsLabel}</dt>
              <dd data-testid="engine-threads-used">{engine.threads}</dd>
            </>
          )}
          {engine.n_ctx !== null && (
            <>
              <dt>{t.engineContextLabel}</dt>
              <dd data-testid="engine-context" data-value={engine.n_ctx}>
                {t.tokensText(engine.n_ctx)}
              </dd>
            </>
          )}
        </dl>
      )}
      {loading && (
        <p className="muted" role="status" data-testid="engine-loading">
          {t.engineLoadingBackground}
        </p>
      )}
      {!engine && !loading && statusError && <FormError error={statusError} testId="engine-error" showOriginal />}
      {!engine && !loading && !statusError && (
        <p className="muted" data-testid="engine-none">
          {t.engineNone}
        </p>
      )}
      <div className="row no-margin">
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void run("load")}
          disabled={busy !== null}
          data-testid="engine-load"
        >
          {busy === "load" ? t.engineLoading : t.engineLoad}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => void run("unload")}
          disabled={busy !== null || engine === null}
          data-testid="engine-unload"
        >
          {busy === "unload" ? t.engineUnloading : t.engineUnload}
        </button>
        {unloaded && !engine && (
          <span className="ok-text small" role="status" data-testid="engine-unloaded">
            {t.engineUnloaded}
          </span>
        )}
      </div>
      {error && !sameError(error, statusError) && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
    </section>
  );
}

/** A GGUF file copied into the data folder, with progress and Cancel. */
function ModelImportCard({ models }: { models: ModelsState }) {
  const t = useT();
  const imp = models.importState;
  const running = imp.phase === "running";
  const [shaError, setShaError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (running || models.importPath.trim() === "") return;
    const sha = models.importSha256.trim();
    if (sha !== "" && !isSha256(sha)) {
      setShaError(t.modelImportShaInvalid);
      return;
    }
    setShaError(null);
    void models.runImport();
  };

  const percent = percentOf(imp.copied, imp.total);
  const copiedAll = imp.total > 0 && imp.copied >= imp.total;

  return (
    <section className="card" aria-labelledby="model-import-heading" data-testid="model-import">
      <h2 id="model-import-heading">{t.modelImportHeading}</h2>
      <p className="muted">{t.modelImportHelp}</p>
      <form onSubmit={submit} noValidate>
        <div className="row">
          <label className="grow">
            <span className="label">{t.modelImportPathLabel}</span>
            <input
              type="text"
              className="input"
              value={models.importPath}
              onChange={(e) => models.setImportPath(e.target.value)}
              onKeyDown={guardComposition}
              placeholder={t.modelImportPathPlaceholder}
              spellCheck={false}
              autoComplete="off"
              disabled={running}
              data-testid="model-import-path"
            />
          </label>
          <button
            type="button"
            className="btn align-end"
            onClick={() => void models.pickFile()}
            disabled={running}
            data-testid="model-import-choose"
          >
            {t.modelChooseFile}
          </button>
        </div>
        <div className="row wrap">
          <TextField
            label={t.modelImportNameLabel}
            value={models.importName}
            onChange={models.setImportName}
            placeholder={t.modelImportNamePlaceholder}
            autoComplete="off"
            disabled={running}
            testId="model-import-name"
          />
          <TextField
            label={t.modelImportShaLabel}
            value={models.importSha256}
            onChange={(value) => {
              models.setImportSha256(value);
              setShaError(null);
            }}
            placeholder={t.modelImportShaPlaceholder}
            autoComplete="off"
            spellCheck={false}
            disabled={running}
            fieldClassName="sha-field"
            inputClassName="mono"
            error={shaError}
            testId="model-import-sha256"
          />
          <button
            type="submit"
            className="btn btn-primary align-end"
            disabled={running || models.importPath.trim() === ""}
            data-testid="model-import-start"
          >
            {running ? t.modelImporting : t.modelImportStart}
          </button>
        </div>
      </form>

      {models.importError && <ErrorBanner error={models.importError} onDismiss={models.dismissImportError} />}

      {running && (
        <div className="import-progress" aria-live="polite">
          <progress
            data-testid="model-import-progress"
            data-copied={imp.copied}
            data-total={imp.total}
            max={Math.max(imp.total, 1)}
            value={imp.total > 0 ? imp.copied : undefined}
          />
          <span className="progress-text" data-testid="model-import-progress-text" data-percent={percent}>
            {imp.total > 0 ? t.modelImportProgress(percent, formatMiB(imp.copied), formatMiB(imp.total)) : t.modelImportStarting}
          </span>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void models.cancelImport()}
            disabled={imp.cancelling}
            data-testid="model-import-cancel"
          >
            {imp.cancelling ? t.modelImportCancelling : t.modelImportCancel}
          </button>
          {copiedAll && <span className="progress-current muted">{t.modelImportChecking}</span>}
        </div>
      )}

      {imp.phase === "finished" && imp.result && (
        <p
          className="ok-text"
          role="status"
          data-testid="model-import-result"
          data-outcome="imported"
          data-model-id={imp.result.id}
        >
          {t.modelImportDone(imp.result.name, formatMiB(imp.result.size_bytes))}
        </p>
      )}
      {imp.phase === "cancelled" && (
        <p className="muted" role="status" data-testid="model-import-result" data-outcome="cancelled">
          {t.modelImportCancelled}
        </p>
      )}
    </section>
  );
}

/**
 * Admins only: the engine in use, model import, the imported models, each
 * task's model and sampling, threads and the remote engine. Every change
 * reads the overview again.
 */
export function ModelsPage({ models }: { models: ModelsState }) {
  const t = useT();
  const { overview } = models;
  return (
    <div className="page page-wide models-page" data-testid="models-page">
      <header className="page-header">
        <h1>{t.modelsTitle}</h1>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void models.reload()}
          disabled={models.loading}
          data-testid="models-refresh"
        >
          {t.modelsRefresh}
        </button>
      </header>
      <p className="muted page-intro">{t.modelsIntro}</p>

      {models.loadError && <ErrorBanner error={models.loadError} onDismiss={models.dismissLoadError} />}
      {overview === null && models.loading && <p className="muted">{t.loading}</p>}

      {overview && <EngineCard status={overview.engine} onShow={models.showEngine} onChanged={models.changed} />}
      <ModelImportCard models={models} />
      {overview && (
        <>
          <ModelsTable overview={overview} onChanged={models.changed} />
          <ModelsTasks overview={overview} onChanged={models.changed} />
          <ModelsThreads threads={overview.threads} maxThreads={overview.max_threads} onChanged={models.changed} />
          <ModelsKeep minutes={overview.keep_minutes} onChanged={models.changed} />
          <ModelsRemote remote={overview.remote} onChanged={models.changed} />
        </>
      )}
    </div>
  );
}
