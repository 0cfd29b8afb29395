import { useState } from "react";
import type { FormEvent } from "react";
import { toApiError } from "../api";
import type { ApiError } from "../api";
import { useT } from "../i18n";
import { useServerForm } from "../modelsState";
import { TextField } from "./Field";
import { FormError } from "./FormError";

/**
 * One whole-number admin setting: the field with its range checked here (the backend checks
 * it again), Save, the value in force and a "saved" note. The field follows `current` when
 * the stored value changes.
 */
export function WholeNumberForm({
  label,
  min,
  max,
  current,
  currentText,
  invalidText,
  savedText,
  testId,
  savedTestId,
  errorTestId,
  onSave,
}: {
  label: string;
  min: number;
  max: number;
  current: number;
  currentText: string;
  invalidText: string;
  savedText: string;
  /** The field's test id; the button is `<testId>-save`, the value in force `<testId>-current`. */
  testId: string;
  savedTestId: string;
  errorTestId: string;
  onSave: (value: number) => Promise<void>;
}) {
  const t = useT();
  const [value, setValue] = useServerForm(String(current), () => String(current));
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ApiError | string | null>(null);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const n = Number(value.trim());
    if (value.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
      setError(invalidText);
      setSaved(false);
      return;
    }
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await onSave(n);
      setSaved(true);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <form className="row wrap" onSubmit={(e) => void save(e)} noValidate>
        <TextField
          label={label}
          type="number"
          fieldClassName="no-grow"
          inputClassName="input-narrow"
          min={min}
          max={max}
          step={1}
          value={value}
          onChange={(next) => {
            setValue(next);
            setSaved(false);
          }}
          disabled={busy}
          testId={testId}
        />
        <button type="submit" className="btn btn-primary align-end" disabled={busy} data-testid={`${testId}-save`}>
          {busy ? t.saving : t.save}
        </button>
        <span className="muted align-end field-note" data-testid={`${testId}-current`} data-value={current}>
          {currentText}
        </span>
        {saved && (
          <span className="ok-text align-end field-note" role="status" data-testid={savedTestId}>
            {savedText}
          </span>
        )}
      </form>
      <FormError error={error} testId={errorTestId} showOriginal />
    </>
  );
}
