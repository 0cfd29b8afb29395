import { useState } from "react";
import type { FormEvent } from "react";
import { toApiError } from "../api";
import type { ApiError, RemoteProbe, RemoteView } from "../api";
import { useApi } from "../apiContext";
import { useT } from "../i18n";
import { useServerForm } from "../modelsState";
import { TextField } from "./Field";
import { FormError } from "./FormError";
import { WholeNumberForm } from "./WholeNumberForm";

/** The local engine's threads, 1..max_threads. */
export function ModelsThreads({
  threads,
  maxThreads,
  onChanged,
}: {
  threads: number;
  maxThreads: number;
  onChanged: () => Promise<void>;
}) {
  const api = useApi();
  const t = useT();
  const max = Math.max(1, maxThreads);
  return (
    <section className="card" aria-labelledby="threads-heading" data-testid="engine-threads-card">
      <h2 id="threads-heading">{t.threadsHeading}</h2>
      <WholeNumberForm
        label={t.threadsLabel(max)}
        min={1}
        max={max}
        current={threads}
        currentText={t.threadsCurrent(threads, max)}
        invalidText={t.threadsInvalid(max)}
        savedText={t.changesSaved}
        testId="engine-threads"
        savedTestId="engine-threads-saved"
        errorTestId="engine-threads-error"
        onSave={async (n) => {
          await api.engineThreadsSet(n);
          await onChanged();
        }}
      />
      <p className="muted small hint" data-testid="engine-threads-hint">
        {t.threadsHint}
      </p>
    </section>
  );
}

interface RemoteForm {
  enabled: boolean;
  baseUrl: string;
  model: string;
  apiKey: string;
  timeout: string;
}

const DEFAULT_TIMEOUT_S = 60;
const TIMEOUT_MIN_S = 1;
const TIMEOUT_MAX_S = 600;

function toForm(remote: RemoteView | null): RemoteForm {
  return {
    enabled: remote?.enabled ?? false,
    baseUrl: remote?.base_url ?? "",
    model: remote?.model ?? "",
    apiKey: "",
    timeout: String(remote?.timeout_s ?? DEFAULT_TIMEOUT_S),
  };
}

/**
 * The remote (OpenAI-compatible) engine. The API key is write-only: the
 * backend only says whether one is stored.
 */
export function ModelsRemote({ remote, onChanged }: { remote: RemoteView | null; onChanged: () => Promise<void> }) {
  const api = useApi();
  const t = useT();
  const [form, setForm] = useServerForm(JSON.stringify(remote), () => toForm(remote));
  const [busy, setBusy] = useState<"save" | "remove-key" | null>(null);
  const [saved, setSaved] = useState<"save" | "remove-key" | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [probe, setProbe] = useState<RemoteProbe | null>(null);
  const [testing, setTesting] = useState(false);
  const keySet = remote?.api_key_set ?? false;
  const enabledNow = remote?.enabled ?? false;

  const edit = (patch: Partial<RemoteForm>) => {
    setForm({ ...form, ...patch });
    setSaved(null);
  };

  const send = async (which: "save" | "remove-key", args: Parameters<typeof api.engineRemoteSet>[0]) => {
    setBusy(which);
    setError(null);
    setSaved(null);
    let ok = false;
    try {
      await api.engineRemoteSet(args);
      ok = true;
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
    if (ok) {
      setSaved(which);
      // The key is never shown again, not even in the field it was typed in.
      setForm({ ...form, apiKey: "" });
      await onChanged();
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const timeoutS = Number(form.timeout.trim());
    if (form.timeout.trim() === "" || !Number.isInteger(timeoutS) || timeoutS < TIMEOUT_MIN_S || timeoutS > TIMEOUT_MAX_S) {
      setError(t.remoteTimeoutInvalid);
      setSaved(null);
      return;
    }
    if (form.enabled && (form.baseUrl.trim() === "" || form.model.trim() === "")) {
      setError(t.remoteUrlRequired);
      setSaved(null);
      return;
    }
    await send("save", {
      enabled: form.enabled,
      baseUrl: form.baseUrl.trim(),
      model: form.model.trim(),
      // Empty keeps the stored key; "Remove key" removes it.
      apiKey: form.apiKey === "" ? null : form.apiKey,
      timeoutS,
    });
  };

  const test = async () => {
    if (busy || testing) return;
    const timeoutS = Number(form.timeout.trim());
    if (form.baseUrl.trim() === "" || form.model.trim() === "") {
      setError(t.remoteUrlRequired);
      return;
    }
    setTesting(true);
    setError(null);
    setProbe(null);
    try {
      setProbe(
        await api.engineRemoteTest({
          enabled: form.enabled,
          baseUrl: form.baseUrl.trim(),
          model: form.model.trim(),
          apiKey: form.apiKey === "" ? null : form.apiKey,
          timeoutS: Number.isInteger(timeoutS) && timeoutS >= TIMEOUT_MIN_S && timeoutS <= TIMEOUT_MAX_S ? timeoutS : DEFAULT_TIMEOUT_S,
        }),
      );
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setTesting(false);
    }
  };

  const removeKey = () => {
    if (busy || remote === null) return;
    // The stored settings, not unsaved edits, with the key removed.
    void send("remove-key", {
      enabled: remote.enabled,
      baseUrl: remote.base_url,
      model: remote.model,
      apiKey: "",
      timeoutS: remote.timeout_s,
    });
  };

  return (
    <section
      className="card"
      aria-labelledby="remote-heading"
      data-testid="remote-engine"
      data-enabled={enabledNow ? "true" : "false"}
      data-key-set={keySet ? "true" : "false"}
    >
      <h2 id="remote-heading">{t.remoteHeading}</h2>
      <p className="muted">{t.remoteHelp}</p>
      <div className="notice" role="note" data-testid="remote-warning">
        <strong>{t.remoteWarning}</strong>
      </div>
      <p className={enabledNow ? "remote-state remote-on" : "remote-state"} data-testid="remote-state">
        {enabledNow ? t.remoteStateOn : t.remoteStateOff}
      </p>
      <form onSubmit={(e) => void save(e)} noValidate>
        <div className="row">
          <label className="check">
            <input
              type="checkbox"
              checked={form.enabled}
              onChange={(e) => edit({ enabled: e.target.checked })}
              disabled={busy !== null}
              data-testid="remote-enabled"
            />
            <span>{t.remoteEnabled}</span>
          </label>
        </div>
        <div className="row wrap">
          <TextField
            label={t.remoteUrl}
            value={form.baseUrl}
            onChange={(baseUrl) => edit({ baseUrl })}
            placeholder={t.remoteUrlPlaceholder}
            spellCheck={false}
            autoComplete="off"
            disabled={busy !== null}
            fieldClassName="remote-url"
            testId="remote-url"
          />
          <TextField
            label={t.remoteModel}
            value={form.model}
            onChange={(model) => edit({ model })}
            spellCheck={false}
            autoComplete="off"
            disabled={busy !== null}
            testId="remote-model"
          />
        </div>
        <div className="row wrap">
          <TextField
            label={t.remoteKey}
            type="password"
            value={form.apiKey}
            onChange={(apiKey) => edit({ apiKey })}
            placeholder={keySet ? t.remoteKeyStoredPlaceholder : t.remoteKeyNonePlaceholder}
            autoComplete="new-password"
            spellCheck={false}
            disabled={busy !== null}
            testId="remote-key"
          />
          <TextField
            label={t.remoteTimeout}
            type="number"
            fieldClassName="no-grow"
            inputClassName="input-narrow"
            min={TIMEOUT_MIN_S}
            max={TIMEOUT_MAX_S}
            step={1}
            unit={t.unitSeconds}
            value={form.timeout}
            onChange={(timeout) => edit({ timeout })}
            disabled={busy !== null}
            testId="remote-timeout"
          />
        </div>
        <div className="row wrap">
          <button type="submit" className="btn btn-primary" disabled={busy !== null} data-testid="remote-save">
            {busy === "save" ? t.saving : t.save}
          </button>
          <button type="button" className="btn" onClick={() => void test()} disabled={busy !== null || testing} data-testid="remote-test">
            {testing ? t.remoteTesting : t.remoteTest}
          </button>
          <span className="muted small" data-testid="remote-key-status" data-value={keySet ? "set" : "not-set"}>
            {keySet ? t.remoteKeySet : t.remoteKeyNotSet}
          </span>
          {keySet && (
            <button type="button" className="btn btn-small" onClick={removeKey} disabled={busy !== null} data-testid="remote-key-remove">
              {t.remoteKeyRemove}
            </button>
          )}
          {saved !== null && (
            <span className="ok-text" role="status" data-testid="remote-saved">
              {saved === "remove-key" ? t.remoteKeyRemoved : t.changesSaved}
            </span>
          )}
        </div>
      </form>
      {probe !== null && (
        <p className="ok-text" role="status" data-testid="remote-test-result">
          {t.remoteTestOk(probe.latency_ms, probe.models.join(", "))}
        </p>
      )}
      <FormError error={error} testId="remote-error" showOriginal />
    </section>
  );
}
