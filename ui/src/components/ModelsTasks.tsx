import { useState } from "react";
import type { FormEvent } from "react";
import { TASK_NAMES, toApiError } from "../api";
import type { ApiError, ModelsOverview, Sampling, TaskName } from "../api";
import { useApi } from "../apiContext";
import { taskText, useT } from "../i18n";
import { useServerForm } from "../modelsState";
import { TextField } from "./Field";
import { FormError } from "./FormError";

const SAMPLING_FIELDS = ["temperature", "top_p", "seed", "max_tokens", "repeat_penalty"] as const;
type SamplingField = (typeof SAMPLING_FIELDS)[number];
type SamplingForm = Record<SamplingField, string>;

/** The backend's ranges, checked here first so a mistake shows before anything is sent. */
const MAX_TOKENS_LIMIT = 8192;
const SEED_LIMIT = 4_294_967_295;

function toForm(sampling: Sampling | undefined): SamplingForm {
  return {
    temperature: sampling ? String(sampling.temperature) : "",
    top_p: sampling ? String(sampling.top_p) : "",
    seed: sampling ? String(sampling.seed) : "",
    max_tokens: sampling ? String(sampling.max_tokens) : "",
    repeat_penalty: sampling ? String(sampling.repeat_penalty) : "",
  };
}

function num(value: string): number {
  return value.trim() === "" ? Number.NaN : Number(value.trim());
}

/** The sampling the form describes, or null when a value is out of range. */
function fromForm(form: SamplingForm): Sampling | null {
  const s: Sampling = {
    temperature: num(form.temperature),
    top_p: num(form.top_p),
    seed: num(form.seed),
    max_tokens: num(form.max_tokens),
    repeat_penalty: num(form.repeat_penalty),
  };
  const ok =
    s.temperature >= 0 &&
    s.temperature <= 2 &&
    s.top_p > 0 &&
    s.top_p <= 1 &&
    Number.isInteger(s.seed) &&
    s.seed >= 0 &&
    s.seed <= SEED_LIMIT &&
    Number.isInteger(s.max_tokens) &&
    s.max_tokens >= 1 &&
    s.max_tokens <= MAX_TOKENS_LIMIT &&
    s.repeat_penalty >= 1 &&
    s.repeat_penalty <= 2;
  return ok ? s : null;
}

/** One task: its model (applied on change) and its sampling (saved with Save). */
function TaskSettings({
  task,
  overview,
  onChanged,
}: {
  task: TaskName;
  overview: ModelsOverview;
  onChanged: () => Promise<void>;
}) {
  const api = useApi();
  const t = useT();
  const sampling = overview.sampling[task];
  const [form, setForm] = useServerForm(JSON.stringify(sampling ?? null), () => toForm(sampling));
  const [busy, setBusy] = useState<"model" | "sampling" | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [saved, setSaved] = useState<"model" | "sampling" | null>(null);

  const chosen = overview.tasks[task];
  const chosenMissing = chosen !== undefined && !overview.models.some((m) => m.id === chosen);
  const name = taskText(t, task);

  const setField = (field: SamplingField, value: string) => {
    setForm({ ...form, [field]: value });
    setSaved(null);
  };

  const chooseModel = async (value: string) => {
    if (busy) return;
    setBusy("model");
    setError(null);
    setSaved(null);
    let ok = false;
    try {
      await api.modelUse(task, value === "" ? null : Number(value));
      ok = true;
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(null);
    }
    if (ok) {
      setSaved("model");
      await onChanged();
    }
  };

  const saveSampling = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const next = fromForm(form);
    if (next === null) {
      setError(t.samplingInvalid);
      setSaved(null);
      return;
    }
    setBusy("sampling");
    setError(null);
    setSaved(null);
    let ok = false;
    try {
      await api.modelSamplingSet(task, next);
      ok = true;
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
    if (ok) {
      setSaved("sampling");
      await onChanged();
    }
  };

  const labels: Record<SamplingField, string> = {
    temperature: t.samplingTemperature,
    top_p: t.samplingTopP,
    seed: t.samplingSeed,
    max_tokens: t.samplingMaxTokens,
    repeat_penalty: t.samplingRepeatPenalty,
  };
  const steps: Record<SamplingField, number> = {
    temperature: 0.05,
    top_p: 0.05,
    seed: 1,
    max_tokens: 1,
    repeat_penalty: 0.05,
  };

  return (
    <div className="task-block" data-testid={`task-${task}`} data-task={task}>
      <h3 id={`task-${task}-heading`}>{name}</h3>
      <div className="row wrap">
        <label className="field task-model">
          <span className="label">{t.taskModelLabel}</span>
          <select
            className="input"
            value={chosen === undefined ? "" : String(chosen)}
            onChange={(e) => void chooseModel(e.target.value)}
            disabled={busy !== null}
            data-testid={`task-model-${task}`}
          >
            <option value="">{t.builtInDefault}</option>
            {overview.models.map((m) => (
              <option key={m.id} value={String(m.id)}>
                {m.present ? m.name : t.modelOptionMissing(m.name)}
              </option>
            ))}
            {chosenMissing && <option value={String(chosen)}>{`#${chosen}`}</option>}
          </select>
        </label>
        {saved === "model" && (
          <span className="ok-text align-end field-note" role="status" data-testid={`task-model-${task}-saved`}>
            {t.taskModelSaved(name)}
          </span>
        )}
      </div>
      <form className="row wrap" onSubmit={(e) => void saveSampling(e)} noValidate aria-labelledby={`task-${task}-heading`}>
        {SAMPLING_FIELDS.map((field) => (
          <TextField
            key={field}
            label={labels[field]}
            type="number"
            fieldClassName="sampling-field"
            step={steps[field]}
            value={form[field]}
            onChange={(value) => setField(field, value)}
            disabled={busy !== null}
            testId={`sampling-${task}-${field}`}
          />
        ))}
        <button type="submit" className="btn btn-primary align-end" disabled={busy !== null} data-testid={`sampling-${task}-save`}>
          {busy === "sampling" ? t.saving : t.save}
        </button>
        {saved === "sampling" && (
          <span className="ok-text align-end field-note" role="status" data-testid={`sampling-${task}-saved`}>
            {t.changesSaved}
          </span>
        )}
      </form>
      <FormError error={error} testId={`task-${task}-error`} showOriginal />
    </div>
  );
}

/** Each task's model and sampling. */
export function ModelsTasks({ overview, onChanged }: { overview: ModelsOverview; onChanged: () => Promise<void> }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="task-defaults-heading" data-testid="task-defaults">
      <h2 id="task-defaults-heading">{t.taskDefaultsHeading}</h2>
      <p className="muted">{t.taskDefaultsHelp}</p>
      {TASK_NAMES.map((task) => (
        <TaskSettings key={task} task={task} overview={overview} onChanged={onChanged} />
      ))}
    </section>
  );
}
