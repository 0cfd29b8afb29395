import { useId } from "react";
import { useT } from "../i18n";
import type { Dict } from "../i18n";
import { ANSWERS } from "../triage";
import type { Answer } from "../triage";

/** The radio of each answer: its test-id suffix and its label. */
const OPTIONS: Record<Answer, { suffix: string; label: (t: Dict) => string }> = {
  yes: { suffix: "yes", label: (t) => t.answerYes },
  no: { suffix: "no", label: (t) => t.answerNo },
  "": { suffix: "unset", label: (t) => t.answerUnset },
};

/**
 * A yes / no / not-assessed question as a radio group. "Not assessed" is a
 * real choice, not a default "no": an unanswered question is left out of the
 * intake. The radios share a name, so the arrow keys move between them.
 */
export function AnswerField({
  legend,
  value,
  onChange,
  testId,
  error,
  errorTitle,
}: {
  legend: string;
  value: Answer;
  onChange: (value: Answer) => void;
  testId: string;
  error: string | null;
  errorTitle?: string;
}) {
  const t = useT();
  const name = useId();
  const errorId = useId();
  const invalid = error !== null;
  return (
    <fieldset
      className={invalid ? "answer-field invalid" : "answer-field"}
      data-testid={testId}
      data-value={value}
      aria-describedby={invalid ? errorId : undefined}
    >
      <legend className="answer-legend">{legend}</legend>
      <span className="answer-options">
        {ANSWERS.map((answer) => (
          <label key={OPTIONS[answer].suffix} className={answer === "" ? "answer-option answer-unset" : "answer-option"}>
            <input
              type="radio"
              name={name}
              value={answer}
              checked={value === answer}
              onChange={() => onChange(answer)}
              aria-invalid={invalid ? true : undefined}
              data-testid={`${testId}-${OPTIONS[answer].suffix}`}
            />
            <span>{OPTIONS[answer].label(t)}</span>
          </label>
        ))}
      </span>
      {invalid && (
        <span className="field-error" id={errorId} role="alert" title={errorTitle || undefined} data-testid={`${testId}-error`}>
          {error}
        </span>
      )}
    </fieldset>
  );
}
