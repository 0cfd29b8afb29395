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

/** Minutes an unused model stays in memory, 0 (keep it) to a day. */
export function ModelsKeep({ minutes, onChanged }: { minutes: number; onChanged: () => Promise<void> }) {
  const api = useApi();
  const t = useT();
  return (
    <section className="card" aria-labelledby="keep-heading" data-testid="engine-keep-card">
      <h2 id="keep-heading">{t.keepHeading}</h2>
      <WholeNumberForm
        label={t.keepLabel(KEEP_MAX_MINUTES)}
        min={0}
        max={KEEP_MAX_MINUTES}
        current={minutes}
        currentText={t.keepCurrent(minutes)}
        invalidText={t.keepInvalid(KEEP_MAX_MINUTES)}
        savedText={t.changesSaved}
        testId="engine-keep"
        savedTestId="engine-keep-saved"
        errorTestId="engine-keep-error"
        onSave={async (n) => {
          await api.engineKeepSet(n);
          await onChanged();
        }}
      />
      <p className="muted small hint" data-testid="engine-keep-hint">
        {t.keepHint}
      </p>
    </section>
  );
}

/** As `clinic::models::MAX_KEEP_MINUTES`: a day. */
const KEEP_MAX_MINUTES = 24 * 60;

interface RemoteForm {
  enabled: boolean;
  baseUrl: string;
  model: string;
  apiKey: string;
  timeout: string;
  /** "Allow unencrypted http to this host", for the server in `baseUrl` only. */
  allowHttp: boolean;
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
    allowHttp: remote?.allow_http ?? false,
  };
}

/**
 * Scheme, host and port of a base URL (the default port folded in), or null when it is not
 * an http(s) URL. The backend sends the stored API key only to the server it was saved for,
 * compared this way; the form uses it to say so before the admin saves.
 */
function serverOf(url: string): string | null {
  try {
    const u = new URL(url.trim());
    return u.protocol === "http:" || u.protocol === "https:" ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}

/**
 * Whether the URL is plain http to another computer, which the backend refuses unless the
 * admin allows it (loopback: localhost, 127.0.0.0/8, ::1). The backend decides; this only
 * shows the checkbox when it matters.
 */
function needsHttpAllowance(url: string): boolean {
  try {
    const u = new URL(url.trim());
    if (u.protocol !== "http:") return false;
    const host = u.hostname.toLowerCase();
    const loopback =
      host === "localhost" ||
      host === "localhost." ||
      /^127\.\d+\.\d+\.\d+$/.test(host) ||
      host === "[::1]" ||
      /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host);
    return !loopback;
  } catch {
    return false;
  }
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
    const next = { ...form, ...patch };
    if (patch.baseUrl !== undefined && serverOf(patch.baseUrl) !== serverOf(form.baseUrl)) {
      // The allowance is for one host: another server starts without it (the stored one
      // gets its stored state back).
      const stored = remote !== null && serverOf(patch.baseUrl) === serverOf(remote.base_url);
      next.allowHttp = stored && remote.allow_http;
    }
    setForm(next);
    setSaved(null);
  };

  const plainHttpElsewhere = needsHttpAllowance(form.baseUrl);
  const formServer = serverOf(form.baseUrl);
  // The stored key stays with its server: say so before a Test or Save to another one.
  const keyNotSent = keySet && form.apiKey === "" && remote !== null && formServer !== null && formServer !== serverOf(remote.base_url);

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
      allowHttp: form.allowHttp && plainHttpElsewhere,
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
          allowHttp: form.allowHttp && plainHttpElsewhere,
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
      allowHttp: remote.allow_http,
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
        {plainHttpElsewhere && (
          <div className="row wrap" data-testid="remote-allow-http-row">
            <label className="check">
              <input
                type="checkbox"
                checked={form.allowHttp}
                onChange={(e) => edit({ allowHttp: e.target.checked })}
                disabled={busy !== null}
                data-testid="remote-allow-http"
              />
              <span>{t.remoteAllowHttp}</span>
            </label>
            <p className="muted small hint" data-testid="remote-allow-http-hint">
              {t.remoteAllowHttpHint}
            </p>
          </div>
        )}
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
        {keyNotSent && (
          <p className="muted small hint" role="note" data-testid="remote-key-other-server">
            {t.remoteKeyOtherServer}
          </p>
        )}
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
