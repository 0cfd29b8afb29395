import { useId } from "react";
import type { HTMLAttributes, Ref } from "react";

/**
 * A labelled text input: `label.field > span.label + input.input`. Extra
 * classes are appended to the base ones; optional attributes left unset are
 * not rendered at all. With `unit` the unit is shown after the input; with
 * `error` the input is marked invalid and the message is shown under it
 * (`data-testid="<testId>-error"`); with `hint` a short note is shown under it
 * (`data-testid="<testId>-hint"`) and describes the input.
 */
export function TextField({
  label,
  value,
  onChange,
  type = "text",
  testId,
  ref,
  fieldClassName,
  inputClassName,
  autoComplete,
  autoFocus,
  spellCheck,
  disabled,
  min,
  max,
  step,
  unit,
  error,
  errorTitle,
  inputMode,
  maxLength,
  placeholder,
  hint,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: "text" | "password" | "number" | "date" | "datetime-local";
  testId: string;
  ref?: Ref<HTMLInputElement>;
  fieldClassName?: string;
  inputClassName?: string;
  autoComplete?: string;
  autoFocus?: boolean;
  spellCheck?: boolean;
  disabled?: boolean;
  min?: number | string;
  max?: number | string;
  step?: number;
  unit?: string;
  error?: string | null;
  /** A tooltip on the error message (the backend's own words). */
  errorTitle?: string;
  inputMode?: HTMLAttributes<HTMLInputElement>["inputMode"];
  maxLength?: number;
  placeholder?: string;
  hint?: string;
}) {
  const errorId = useId();
  const hintId = useId();
  const invalid = error !== undefined && error !== null;
  const describedBy = [hint ? hintId : "", invalid ? errorId : ""].filter((id) => id !== "").join(" ");
  const input = (
    <input
      ref={ref}
      type={type}
      className={inputClassName ? `input ${inputClassName}` : "input"}
      min={min}
      max={max}
      step={step}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      autoComplete={autoComplete}
      spellCheck={spellCheck}
      autoFocus={autoFocus}
      disabled={disabled}
      inputMode={inputMode}
      maxLength={maxLength}
      placeholder={placeholder}
      aria-invalid={invalid ? true : undefined}
      aria-describedby={describedBy || undefined}
      data-testid={testId}
    />
  );
  return (
    <label className={fieldClassName ? `field ${fieldClassName}` : "field"}>
      <span className="label">{label}</span>
      {unit === undefined ? (
        input
      ) : (
        <span className="input-with-unit">
          {input}
          <span className="unit">{unit}</span>
        </span>
      )}
      {hint && (
        <span className="muted small field-hint" id={hintId} data-testid={`${testId}-hint`}>
          {hint}
        </span>
      )}
      {invalid && (
        <span className="field-error" id={errorId} role="alert" title={errorTitle || undefined} data-testid={`${testId}-error`}>
          {error}
        </span>
      )}
    </label>
  );
}
