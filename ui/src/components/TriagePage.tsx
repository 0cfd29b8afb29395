import { useId, useState } from "react";
import type { KeyboardEvent, ReactNode } from "react";
import type { AppInfo, Consciousness } from "../api";
import { errorText, fieldErrorText, useI18n, useT } from "../i18n";
import type { Dict } from "../i18n";
import {
  AGE_UNITS,
  ARRIVAL_MODES,
  CONSCIOUSNESS_LEVELS,
  ESI_QUESTIONS,
  QUICK_PICKS,
  RESOURCES,
  SEXES,
  expectedResources,
  parseUtcTime,
} from "../triage";
import type { AgeUnit, EsiAnswerKey, FieldKey, FormKey, TriageForm } from "../triage";
import type { TriageState } from "../triageState";
import { AnswerField } from "./AnswerField";
import { ErrorBanner } from "./ErrorBanner";
import { TextField } from "./Field";
import { TriageResult, TriageSaved } from "./TriageResult";

/** Error message and tooltip for an input, in the user's language. */
function useFieldError(triage: TriageState) {
  const t = useT();
  return (key: FieldKey): { error: string | null; errorTitle?: string } => {
    const e = triage.fieldErrors[key];
    if (!e) return { error: null };
    return { error: fieldErrorText(t, e), errorTitle: e.message || undefined };
  };
}

function FieldMessage({ id, testId, error, title }: { id: string; testId: string; error: string | null; title?: string }) {
  if (error === null) return null;
  return (
    <span className="field-error" id={id} role="alert" title={title} data-testid={`${testId}-error`}>
      {error}
    </span>
  );
}

function SelectField({
  label,
  value,
  onChange,
  testId,
  error,
  errorTitle,
  children,
  fieldClassName,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  error: string | null;
  errorTitle?: string;
  children: ReactNode;
  fieldClassName?: string;
}) {
  const errorId = useId();
  return (
    <label className={fieldClassName ? `field ${fieldClassName}` : "field"}>
      <span className="label">{label}</span>
      <select
        className="input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error !== null ? true : undefined}
        aria-describedby={error !== null ? errorId : undefined}
        data-testid={testId}
      >
        {children}
      </select>
      <FieldMessage id={errorId} testId={testId} error={error} title={errorTitle} />
    </label>
  );
}

function TextAreaField({
  label,
  value,
  onChange,
  testId,
  error,
  errorTitle,
  rows = 2,
  maxLength,
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  error: string | null;
  errorTitle?: string;
  rows?: number;
  maxLength?: number;
  placeholder?: string;
}) {
  const errorId = useId();
  return (
    <label className="field">
      <span className="label">{label}</span>
      <textarea
        className="input"
        value={value}
        rows={rows}
        maxLength={maxLength}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error !== null ? true : undefined}
        aria-describedby={error !== null ? errorId : undefined}
        data-testid={testId}
      />
      <FieldMessage id={errorId} testId={testId} error={error} title={errorTitle} />
    </label>
  );
}

function CheckField({
  label,
  checked,
  onChange,
  testId,
  disabled,
  error,
  errorTitle,
  extra,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId: string;
  disabled?: boolean;
  error?: string | null;
  errorTitle?: string;
  extra?: Record<string, string>;
}) {
  const errorId = useId();
  const invalid = error !== undefined && error !== null;
  return (
    <span className="check-field">
      <label className="check">
        <input
          type="checkbox"
          checked={checked}
          disabled={disabled}
          onChange={(e) => onChange(e.target.checked)}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={invalid ? errorId : undefined}
          data-testid={testId}
          {...extra}
        />
        <span>{label}</span>
      </label>
      {invalid && <FieldMessage id={errorId} testId={testId} error={error} title={errorTitle} />}
    </span>
  );
}

/** A Dict entry that is plain text (not a function). */
type TextKey = { [K in keyof Dict]: Dict[K] extends string ? K : never }[keyof Dict];
/** Form keys typed as free text. */
type StringKey = { [K in FormKey]: string extends TriageForm[K] ? K : never }[FormKey];
/** Form keys that are a checkbox. */
type BoolKey = { [K in FormKey]: TriageForm[K] extends boolean ? K : never }[FormKey];

/** A form field shown from a list; an input's label and unit are Dict entries. */
interface FieldSpec<K extends FormKey> {
  key: K;
  testId: string;
  label: TextKey;
}
/** A free-text input or textarea, limited in length. */
type TextSpec = FieldSpec<StringKey> & { maxLength: number };
/** A number typed as text, with its unit shown after the input. */
type NumberSpec = FieldSpec<StringKey> & { unit: TextKey };
type CheckSpec = FieldSpec<BoolKey>;

/** Identifiers: no spell checking, no autofill. */
const ID_FIELDS: readonly TextSpec[] = [
  { key: "name", testId: "triage-name", label: "patientNameLabel", maxLength: 200 },
  { key: "hospitalId", testId: "triage-hospital-id", label: "hospitalIdLabel", maxLength: 64 },
];

/** The vital signs before the consciousness select (pain comes after it), in tab order. */
const VITAL_FIELDS: readonly NumberSpec[] = [
  { key: "respRate", testId: "triage-resp-rate", label: "respRateLabel", unit: "unitPerMin" },
  { key: "spo2", testId: "triage-spo2", label: "spo2Label", unit: "unitPercent" },
  { key: "systolic", testId: "triage-systolic", label: "systolicLabel", unit: "unitMmHg" },
  { key: "diastolic", testId: "triage-diastolic", label: "diastolicLabel", unit: "unitMmHg" },
  { key: "heartRate", testId: "triage-heart-rate", label: "heartRateLabel", unit: "unitPerMin" },
  { key: "temperature", testId: "triage-temperature", label: "temperatureLabel", unit: "unitCelsius" },
];

const OXYGEN_CHECKS: readonly CheckSpec[] = [
  { key: "onOxygen", testId: "triage-on-oxygen", label: "onOxygenLabel" },
  { key: "spo2Scale2", testId: "triage-spo2-scale2", label: "spo2Scale2Label" },
];

/** The question text of ESI decision points A and B. */
const ESI_LABELS: Record<EsiAnswerKey, TextKey> = {
  esiLifesaving: "esiLifesavingLabel",
  esiHighRisk: "esiHighRiskLabel",
  esiConfusion: "esiConfusionLabel",
  esiDistress: "esiDistressLabel",
};

/** The age as typed, with the unit it is typed in (the backend reads the birth date itself). */
function AgeField({ triage, error, errorTitle }: { triage: TriageState; error: string | null; errorTitle?: string }) {
  const t = useT();
  const { form, update } = triage;
  return (
    <div className="age-row">
      <TextField
        label={t.ageLabel}
        value={form.age}
        onChange={(age) => update({ age })}
        inputMode="decimal"
        autoComplete="off"
        fieldClassName="age-value"
        testId="triage-age"
        error={error}
        errorTitle={errorTitle}
      />
      <label className="field age-unit">
        <span className="label">{t.ageUnitLabel}</span>
        <select
          className="input"
          value={form.ageUnit}
          onChange={(e) => update({ ageUnit: e.target.value as AgeUnit })}
          data-testid="triage-age-unit"
        >
          {AGE_UNITS.map((u) => (
            <option key={u} value={u}>
              {t.ageUnits[u]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

const HISTORY_FIELDS: readonly TextSpec[] = [
  { key: "allergies", testId: "triage-allergies", label: "allergiesLabel", maxLength: 2000 },
  { key: "medications", testId: "triage-medications", label: "medicationsLabel", maxLength: 2000 },
  { key: "history", testId: "triage-history", label: "historyLabel", maxLength: 4000 },
];

/** The pre-visit triage intake, its grades and the nurse's decision. */
export function TriagePage({
  info,
  triage,
  onGoBoard,
}: {
  info: AppInfo | null;
  triage: TriageState;
  onGoBoard: () => void;
}) {
  const { t, lang } = useI18n();
  const fieldError = useFieldError(triage);
  const [confirmingClear, setConfirmingClear] = useState(false);
  const noModelNoteId = useId();

  const { form, update, assessing } = triage;
  const busy = assessing !== null || triage.saving;
  const modelLoaded = info !== null && info.model !== null;
  const noModel = info !== null && info.model === null;

  const set = <K extends FormKey>(key: K) => (value: TriageForm[K]) => update({ [key]: value } as Partial<TriageForm>);

  const idField = (f: TextSpec) => (
    <TextField
      key={f.key}
      label={t[f.label]}
      value={form[f.key]}
      onChange={set(f.key)}
      autoComplete="off"
      spellCheck={false}
      maxLength={f.maxLength}
      testId={f.testId}
      {...fieldError(f.key)}
    />
  );
  const numberField = (f: NumberSpec) => (
    <TextField
      key={f.key}
      label={t[f.label]}
      value={form[f.key]}
      onChange={set(f.key)}
      inputMode="decimal"
      autoComplete="off"
      unit={t[f.unit]}
      testId={f.testId}
      {...fieldError(f.key)}
    />
  );
  const checkField = (f: CheckSpec, withError: boolean) => (
    <CheckField
      key={f.key}
      label={t[f.label]}
      checked={form[f.key]}
      onChange={set(f.key)}
      testId={f.testId}
      {...(withError ? fieldError(f.key) : {})}
    />
  );
  const textAreaField = (f: TextSpec) => (
    <TextAreaField
      key={f.key}
      label={t[f.label]}
      value={form[f.key]}
      onChange={set(f.key)}
      maxLength={f.maxLength}
      testId={f.testId}
      {...fieldError(f.key)}
    />
  );

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key !== "Enter" || e.nativeEvent.isComposing || e.keyCode === 229) return;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      if (!busy) void triage.grade(false);
      return;
    }
    // A plain Enter in a one-line input must not submit anything.
    if (e.target instanceof HTMLInputElement) e.preventDefault();
  };

  const resourceCount = expectedResources(form);
  const fieldErrorCount = Object.keys(triage.fieldErrors).filter((k) => k !== "reason" && k !== "finalCn" && k !== "finalEsi").length;
  const resourcesError = fieldError("resources");
  const draftSavedAt = triage.restoredDraft ? parseUtcTime(triage.restoredDraft.savedAt) : null;

  return (
    <div className="page triage-page" data-testid="triage-page">
      <header className="page-header">
        <h1>{t.triageTitle}</h1>
        <p className="muted hint">{t.triageHint}</p>
      </header>
      <p className="muted">{t.triageIntro}</p>

      {triage.restoredDraft && (
        <p className="draft-note" role="status" data-testid="triage-draft-restored" data-saved-at={triage.restoredDraft.savedAt}>
          <span>
            {draftSavedAt
              ? t.draftRestoredAt(draftSavedAt.toLocaleString(lang, { dateStyle: "short", timeStyle: "short" }))
              : t.draftRestored}
          </span>{" "}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void triage.discardDraft()}
            disabled={busy}
            data-testid="triage-draft-discard"
          >
            {t.draftDiscard}
          </button>
        </p>
      )}
      {triage.draftError && (
        <p className="draft-note draft-note-error" data-testid="triage-draft-error" data-code={triage.draftError.code} title={triage.draftError.message}>
          {t.draftSaveFailed} {errorText(t, triage.draftError.code, triage.draftError.message)}
        </p>
      )}

      {triage.saved && <TriageSaved saved={triage.saved} onGoBoard={onGoBoard} onDismiss={triage.dismissSaved} />}

      <form
        className="triage-form"
        onKeyDown={onKeyDown}
        onSubmit={(e) => e.preventDefault()}
        noValidate
        aria-busy={assessing !== null}
      >
        <fieldset className="triage-section">
          <legend>{t.sectionPatient}</legend>
          <div className="triage-grid">
            {ID_FIELDS.map(idField)}
            <AgeField triage={triage} {...fieldError("age")} />
            <TextField
              label={t.birthDateLabel}
              type="date"
              value={form.birthDate}
              onChange={set("birthDate")}
              testId="triage-birth-date"
              {...fieldError("birthDate")}
            />
            <SelectField label={t.sexLabel} value={form.sex} onChange={(v) => set("sex")(v as TriageForm["sex"])} testId="triage-sex" {...fieldError("sex")}>
              {SEXES.map((s) => (
                <option key={s} value={s}>
                  {t.sexes[s]}
                </option>
              ))}
            </SelectField>
            <div className="field field-check">
              <CheckField
                label={t.pregnantLabel}
                checked={form.pregnant && form.sex !== "male"}
                disabled={form.sex === "male"}
                onChange={set("pregnant")}
                testId="triage-pregnant"
                {...fieldError("pregnant")}
              />
            </div>
          </div>
        </fieldset>

        <fieldset className="triage-section">
          <legend>{t.sectionArrival}</legend>
          <div className="triage-grid triage-grid-wide">
            <div className="field">
              {/* Empty means "now": the backend takes the time of saving. */}
              <TextField
                label={t.arrivedAtLabel}
                type="datetime-local"
                value={form.arrivedAt}
                onChange={set("arrivedAt")}
                hint={form.arrivedAt === "" ? t.arrivedAtNow : undefined}
                testId="triage-arrived-at"
                {...fieldError("arrivedAt")}
              />
              {form.arrivedAt !== "" && (
                <button
                  type="button"
                  className="btn-link small align-start"
                  onClick={() => set("arrivedAt")("")}
                  data-testid="triage-arrived-at-now"
                >
                  {t.arrivedAtUseNow}
                </button>
              )}
            </div>
            <SelectField label={t.arrivalModeLabel} value={form.arrivalMode} onChange={set("arrivalMode")} testId="triage-arrival-mode" {...fieldError("arrivalMode")}>
              <option value="">{t.arrivalModeNone}</option>
              {ARRIVAL_MODES.map((m) => (
                <option key={m} value={m}>
                  {t.arrivalModes[m]}
                </option>
              ))}
            </SelectField>
          </div>
        </fieldset>

        <fieldset className="triage-section">
          <legend>{t.sectionComplaint}</legend>
          <TextAreaField
            label={t.complaintLabel}
            value={form.complaint}
            onChange={set("complaint")}
            rows={3}
            maxLength={2000}
            testId="triage-complaint"
            {...fieldError("complaint")}
          />
          <div className="quick-picks" role="group" aria-label={t.quickPickLabel}>
            {QUICK_PICKS.map((id) => (
              <button
                key={id}
                type="button"
                className="btn btn-small quick-pick"
                onClick={() => triage.appendComplaint(t.quickPicks[id])}
                data-testid="triage-quick-pick"
                data-pick={id}
              >
                + {t.quickPicks[id]}
              </button>
            ))}
          </div>
          <TextField
            label={t.onsetLabel}
            value={form.onset}
            onChange={set("onset")}
            placeholder={t.onsetPlaceholder}
            maxLength={200}
            autoComplete="off"
            testId="triage-onset"
            {...fieldError("onset")}
          />
        </fieldset>

        <fieldset className="triage-section">
          <legend>{t.sectionVitals}</legend>
          <div className="triage-grid vitals-grid">
            {VITAL_FIELDS.map(numberField)}
            <SelectField
              label={t.consciousnessLabel}
              value={form.consciousness}
              onChange={(v) => set("consciousness")(v as Consciousness | "")}
              testId="triage-consciousness"
              {...fieldError("consciousness")}
            >
              <option value="">{t.consciousnessNone}</option>
              {CONSCIOUSNESS_LEVELS.map((c) => (
                <option key={c} value={c}>
                  {t.consciousnessLevels[c]}
                </option>
              ))}
            </SelectField>
            {numberField({ key: "pain", testId: "triage-pain", label: "painLabel", unit: "unitPain" })}
          </div>
          <div className="check-row">
            {OXYGEN_CHECKS.map((f) => checkField(f, true))}
          </div>
        </fieldset>

        <fieldset className="triage-section">
          <legend>{t.sectionEsi}</legend>
          <div className="answer-list">
            {ESI_QUESTIONS.map((q) => (
              <AnswerField
                key={q.key}
                legend={t[ESI_LABELS[q.key]]}
                value={form[q.key]}
                onChange={set(q.key)}
                testId={q.testId}
                {...fieldError(q.key)}
              />
            ))}
          </div>
          <div
            className={resourcesError.error ? "resources invalid" : "resources"}
            role="group"
            aria-labelledby="triage-resources-heading"
            data-testid="triage-resources"
          >
            <h3 id="triage-resources-heading">{t.resourcesHeading}</h3>
            <p className="muted small">{t.resourcesHelp}</p>
            <div className="resource-list">
              {RESOURCES.map((r) => (
                <CheckField
                  key={r.id}
                  label={t.resources[r.id]}
                  checked={form.resources.includes(r.id)}
                  onChange={(checked) => triage.setResource(r.id, checked)}
                  testId="triage-resource"
                  extra={{ "data-resource": r.id, "data-weight": String(r.weight) }}
                />
              ))}
              <CheckField
                label={t.resourcesNone}
                checked={form.resourcesNone}
                onChange={triage.setResourcesNone}
                testId="triage-resources-none"
              />
            </div>
            <p
              className={resourceCount === undefined ? "resources-count unanswered" : "resources-count"}
              data-testid="triage-resources-count"
              data-value={resourceCount ?? ""}
            >
              {resourceCount === undefined ? t.resourcesUnanswered : t.resourcesCount(resourceCount)}
            </p>
            {resourcesError.error && (
              <span className="field-error" role="alert" title={resourcesError.errorTitle} data-testid="triage-resources-error">
                {resourcesError.error}
              </span>
            )}
            <p className="muted small resources-not" data-testid="triage-resources-not-counted">
              {t.resourcesNotCounted}
            </p>
          </div>
        </fieldset>

        <fieldset className="triage-section">
          <legend>{t.sectionHistory}</legend>
          <div className="triage-grid triage-grid-wide">
            {HISTORY_FIELDS.map(textAreaField)}
          </div>
        </fieldset>

        <div className="triage-actions">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void triage.grade(false)}
            disabled={busy}
            title={t.triageHint}
            data-testid="triage-grade"
          >
            {assessing === "rules" ? t.grading : t.gradeButton}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => void triage.grade(true)}
            disabled={busy || !modelLoaded}
            aria-describedby={noModel ? noModelNoteId : undefined}
            data-testid="triage-assist"
          >
            {t.assistButton}
          </button>
          {assessing === "model" && (
            <button
              type="button"
              className="btn"
              onClick={() => void triage.stop()}
              disabled={triage.stopping}
              data-testid="triage-assist-stop"
            >
              {t.assistStop}
            </button>
          )}
          <span className="spacer" />
          {confirmingClear ? (
            <span className="clear-confirm" role="group">
              <span>{t.clearConfirm}</span>
              <button
                type="button"
                className="btn btn-danger"
                onClick={() => {
                  setConfirmingClear(false);
                  void triage.clear();
                }}
                data-testid="triage-clear-confirm"
              >
                {t.clearYes}
              </button>
              <button type="button" className="btn" onClick={() => setConfirmingClear(false)} data-testid="triage-clear-cancel">
                {t.cancel}
              </button>
            </span>
          ) : (
            <button type="button" className="btn btn-quiet" onClick={() => setConfirmingClear(true)} disabled={busy} data-testid="triage-clear">
              {t.clearButton}
            </button>
          )}
        </div>
        {noModel && (
          <p className="muted small" id={noModelNoteId} data-testid="triage-no-model">
            {t.assistNoModel}
          </p>
        )}
        {assessing === "model" && (
          <div className="generating" role="status" data-testid="triage-assessing">
            <span className="dot-pulse" aria-hidden="true" />
            {t.assisting}
          </div>
        )}
      </form>

      {fieldErrorCount > 0 && (
        <p className="form-error form-error-message" role="alert" data-testid="triage-field-errors">
          {t.fieldErrorsSummary}
        </p>
      )}
      {triage.error && <ErrorBanner error={triage.error} onDismiss={triage.dismissError} />}

      {triage.assessed && <TriageResult triage={triage} assessed={triage.assessed} />}
    </div>
  );
}
