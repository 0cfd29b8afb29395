import type { Ref } from "react";

/**
 * A labelled text input: `label.field > span.label + input.input`. Extra
 * classes are appended to the base ones; optional attributes left unset are
 * not rendered at all.
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
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: "text" | "password" | "number";
  testId: string;
  ref?: Ref<HTMLInputElement>;
  fieldClassName?: string;
  inputClassName?: string;
  autoComplete?: string;
  autoFocus?: boolean;
  spellCheck?: boolean;
  disabled?: boolean;
  min?: number;
  max?: number;
  step?: number;
}) {
  return (
    <label className={fieldClassName ? `field ${fieldClassName}` : "field"}>
      <span className="label">{label}</span>
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
        data-testid={testId}
      />
    </label>
  );
}
