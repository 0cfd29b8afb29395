import { useState } from "react";
import type { FormEvent } from "react";
import { toApiError } from "../api";
import type { ApiError, SessionView } from "../api";
import { useApi } from "../apiContext";
import { useT } from "../i18n";
import { TextField } from "./Field";
import { FormError } from "./FormError";

const IDLE_LOCK_MIN = 1;
const IDLE_LOCK_MAX = 60;

export function AdminSettings({
  idleLockMinutes,
  onSessionView,
}: {
  idleLockMinutes: number;
  onSessionView: (view: SessionView) => void;
}) {
  const api = useApi();
  const t = useT();
  const [value, setValue] = useState(String(idleLockMinutes));
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ApiError | string | null>(null);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const minutes = Number(value.trim());
    if (value.trim() === "" || !Number.isInteger(minutes) || minutes < IDLE_LOCK_MIN || minutes > IDLE_LOCK_MAX) {
      setError(t.idleLockInvalid);
      setSaved(false);
      return;
    }
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const view = await api.settingsSetIdleLock(minutes);
      onSessionView(view);
      setValue(String(view.idleLockMinutes));
      setSaved(true);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t.settingsHeading}</h2>
      <form className="row wrap" onSubmit={(e) => void save(e)} noValidate>
        <TextField
          label={t.idleLockLabel}
          type="number"
          fieldClassName="no-grow"
          inputClassName="input-narrow"
          min={IDLE_LOCK_MIN}
          max={IDLE_LOCK_MAX}
          step={1}
          value={value}
          onChange={(next) => {
            setValue(next);
            setSaved(false);
          }}
          disabled={busy}
          testId="settings-idle-lock"
        />
        <button type="submit" className="btn btn-primary align-end" disabled={busy} data-testid="settings-idle-lock-save">
          {busy ? t.saving : t.save}
        </button>
        <span className="muted align-end field-note" data-testid="settings-idle-lock-current" data-value={idleLockMinutes}>
          {t.idleLockCurrent(idleLockMinutes)}
        </span>
        {saved && (
          <span className="ok-text align-end field-note" role="status" data-testid="settings-saved">
            {t.idleLockSaved}
          </span>
        )}
      </form>
      <FormError error={error} testId="settings-error" showOriginal />
    </section>
  );
}
