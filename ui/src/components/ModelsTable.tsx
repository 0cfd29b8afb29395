import { Fragment, useState } from "react";
import type { FormEvent } from "react";
import { toApiError } from "../api";
import type { ApiError, MemoryPlan, ModelView, ModelsOverview } from "../api";
import { useApi } from "../apiContext";
import { docLangText, taskText, useT } from "../i18n";
import type { Dict } from "../i18n";
import { formatMiB, formatParameters, splitList } from "../text";
import { FormError } from "./FormError";

/** Columns of the table, for the confirmation row that spans them. */
const COLUMNS = 10;

type Notice = { kind: "renamed" | "removed" | "template"; name: string };

function noticeText(t: Dict, notice: Notice): string {
  switch (notice.kind) {
    case "renamed":
      return t.modelRenamed(notice.name);
    case "removed":
      return t.modelRemoved(notice.name);
    case "template":
      return t.templateSaved(notice.name);
  }
}

function memoryPlan(model: ModelView): MemoryPlan | null {
  return "Ok" in model.memory ? model.memory.Ok : null;
}

function memoryError(model: ModelView): string | null {
  return "Err" in model.memory ? model.memory.Err : null;
}

/** The languages a model states, in the UI language; "—" when it states none. */
function languagesText(t: Dict, languages: string): string {
  const list = splitList(languages).map((lang) => docLangText(t, lang));
  return list.length > 0 ? list.join(", ") : t.noneDash;
}

/**
 * Every imported model, one row each: what it is, whether its file is still
 * there, the memory it needs, the tasks that use it, its chat template (when
 * the file has none), rename and remove.
 */
export function ModelsTable({ overview, onChanged }: { overview: ModelsOverview; onChanged: () => Promise<void> }) {
  const api = useApi();
  const t = useT();
  const [busyId, setBusyId] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [renamingId, setRenamingId] = useState<number | null>(null);
  const [renameValue, setRenameValue] = useState("");
  const [removingId, setRemovingId] = useState<number | null>(null);

  const { models, templates } = overview;

  /** Runs one change to a model; on success shows `done` and reads the overview again. */
  const change = async (model: ModelView, work: () => Promise<void>, done: Notice): Promise<boolean> => {
    if (busyId !== null) return false;
    setBusyId(model.id);
    setError(null);
    setNotice(null);
    let ok = false;
    try {
      await work();
      setNotice(done);
      ok = true;
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusyId(null);
    }
    if (ok) await onChanged();
    return ok;
  };

  const openRename = (model: ModelView) => {
    setRenamingId(model.id);
    setRenameValue(model.name);
    setRemovingId(null);
    setError(null);
    setNotice(null);
  };

  const saveRename = async (e: FormEvent, model: ModelView) => {
    e.preventDefault();
    const name = renameValue.trim();
    if (name === "") {
      setError(t.modelNameRequired);
      return;
    }
    const ok = await change(model, () => api.modelRename(model.id, name), { kind: "renamed", name });
    if (ok) setRenamingId(null);
  };

  const openRemove = (model: ModelView) => {
    setRemovingId(model.id);
    setRenamingId(null);
    setError(null);
    setNotice(null);
  };

  const confirmRemove = async (model: ModelView) => {
    const ok = await change(model, () => api.modelRemove(model.id), { kind: "removed", name: model.name });
    if (ok) setRemovingId(null);
  };

  const setTemplate = (model: ModelView, value: string) => {
    void change(model, () => api.modelSetTemplate(model.id, value === "" ? null : value), {
      kind: "template",
      name: model.name,
    });
  };

  return (
    <section className="card" aria-labelledby="models-heading" data-testid="models">
      <h2 id="models-heading">{t.modelsHeading}</h2>

      <FormError error={error} testId="models-error" showOriginal />
      {notice && (
        <p className="ok-text" role="status" data-testid="models-notice">
          {noticeText(t, notice)}
        </p>
      )}

      {models.length === 0 ? (
        <p className="muted" data-testid="models-empty">
          {t.modelsEmpty}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data-table models-table" data-testid="models-table">
            <thead>
              <tr>
                <th scope="col">{t.colModelName}</th>
                <th scope="col">{t.colModelType}</th>
                <th scope="col" className="cell-num">
                  {t.colSize}
                </th>
                <th scope="col" className="cell-num">
                  {t.colParameters}
                </th>
                <th scope="col" className="cell-num">
                  {t.colContext}
                </th>
                <th scope="col">{t.colLanguages}</th>
                <th scope="col">{t.colTemplate}</th>
                <th scope="col">{t.colMemory}</th>
                <th scope="col">{t.colUsedBy}</th>
                <th scope="col">{t.colActions}</th>
              </tr>
            </thead>
            <tbody>
              {models.map((model) => {
                const plan = memoryPlan(model);
                const planError = memoryError(model);
                const busy = busyId !== null;
                const usedBy = model.tasks.map((task) => taskText(t, task)).join(", ");
                const fallback = model.template_fallback ?? "";
                const options = fallback !== "" && !templates.includes(fallback) ? [...templates, fallback] : templates;
                return (
                  <Fragment key={model.id}>
                    <tr
                      className={model.present ? undefined : "row-missing"}
                      data-testid="model-row"
                      data-model-id={model.id}
                      data-present={model.present ? "true" : "false"}
                    >
                      <td className="model-name-cell">
                        <span className="cell-strong" data-testid="model-row-name" title={model.path}>
                          {model.name}
                        </span>
                        <span className="muted small model-file" title={model.source_name}>
                          {model.file_name}
                        </span>
                        <span className="muted small model-sha">
                          {t.colSha256}{" "}
                          <code className="hash" title={model.sha256} data-testid="model-sha256">
                            {model.sha256.slice(0, 12)}
                          </code>
                        </span>
                        {!model.present && (
                          <span className="missing-badge" title={t.modelFileMissingTitle(model.path)} data-testid="model-missing">
                            {t.modelFileMissing}
                          </span>
                        )}
                        {renamingId === model.id && (
                          <form className="inline-form" onSubmit={(e) => void saveRename(e, model)}>
                            <input
                              type="text"
                              className="input input-small"
                              aria-label={t.renameModelLabel(model.name)}
                              value={renameValue}
                              onChange={(e) => setRenameValue(e.target.value)}
                              autoComplete="off"
                              autoFocus
                              disabled={busy}
                              data-testid="model-rename-input"
                            />
                            <button
                              type="submit"
                              className="btn btn-small btn-primary"
                              disabled={busy || renameValue.trim() === ""}
                              data-testid="model-rename-save"
                            >
                              {busyId === model.id ? t.saving : t.save}
                            </button>
                            <button
                              type="button"
                              className="btn btn-small btn-quiet"
                              onClick={() => setRenamingId(null)}
                              disabled={busyId === model.id}
                              data-testid="model-rename-cancel"
                            >
                              {t.cancel}
                            </button>
                          </form>
                        )}
                      </td>
                      <td data-testid="model-architecture">
                        {model.architecture}
                        {model.quantization ? ` · ${model.quantization}` : ""}
                      </td>
                      <td className="cell-num" data-testid="model-size" data-value={model.size_bytes}>
                        {t.mibText(formatMiB(model.size_bytes))}
                      </td>
                      <td className="cell-num" data-testid="model-parameters" data-value={model.parameters}>
                        {formatParameters(model.parameters)}
                      </td>
                      <td className="cell-num" data-testid="model-context">
                        {model.context_length ?? t.noneDash}
                      </td>
                      <td data-testid="model-languages">{languagesText(t, model.languages)}</td>
                      <td>
                        {model.chat_template ? (
                          <span data-testid="model-template-own">{t.templateOwnShort}</span>
                        ) : (
                          <select
                            className="input input-small"
                            aria-label={t.templateSelectLabel(model.name)}
                            value={fallback}
                            onChange={(e) => setTemplate(model, e.target.value)}
                            disabled={busy}
                            data-testid="model-template"
                          >
                            <option value="">{t.templateNone}</option>
                            {options.map((name) => (
                              <option key={name} value={name}>
                                {name}
                              </option>
                            ))}
                          </select>
                        )}
                      </td>
                      <td data-testid="model-memory">
                        {plan ? (
                          <span
                            title={t.memoryBreakdown(formatMiB(plan.weights_bytes), formatMiB(plan.kv_bytes))}
                            data-total-bytes={plan.total_bytes}
                            data-n-ctx={plan.n_ctx}
                          >
                            {t.memoryEstimate(formatMiB(plan.total_bytes), plan.n_ctx)}
                          </span>
                        ) : (
                          <span className="warn-text" data-testid="model-memory-error">
                            {planError}
                          </span>
                        )}
                      </td>
                      <td data-testid="model-tasks" data-value={model.tasks.join(",")}>
                        {usedBy || t.noneDash}
                      </td>
                      <td>
                        <div className="cell-actions cell-actions-stacked">
                          {renamingId !== model.id && (
                            <button
                              type="button"
                              className="btn btn-small"
                              onClick={() => openRename(model)}
                              disabled={busy}
                              data-testid="model-rename"
                            >
                              {t.renameModel}
                            </button>
                          )}
                          {removingId !== model.id && (
                            <button
                              type="button"
                              className="btn btn-small btn-quiet"
                              onClick={() => openRemove(model)}
                              disabled={busy}
                              data-testid="model-remove"
                            >
                              {t.removeModel}
                            </button>
                          )}
                        </div>
                      </td>
                    </tr>
                    {removingId === model.id && (
                      <tr className="row-confirm" data-model-id={model.id}>
                        <td colSpan={COLUMNS}>
                          <span className="clear-confirm" role="group" data-testid="model-remove-prompt">
                            <span>{t.removeModelConfirm(model.name)}</span>
                            {usedBy && <span className="warn-text">{t.removeModelInUse(usedBy)}</span>}
                            <button
                              type="button"
                              className="btn btn-small btn-danger"
                              onClick={() => void confirmRemove(model)}
                              disabled={busy}
                              data-testid="model-remove-confirm"
                            >
                              {busyId === model.id ? t.removingModel : t.removeModelYes}
                            </button>
                            <button
                              type="button"
                              className="btn btn-small"
                              onClick={() => setRemovingId(null)}
                              disabled={busyId === model.id}
                              data-testid="model-remove-cancel"
                            >
                              {t.cancel}
                            </button>
                          </span>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
