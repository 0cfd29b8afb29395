import { useId, useState } from "react";
import type { KeyboardEvent, ReactNode } from "react";
import type { AppInfo, Consciousness } from "../api";
import { errorText, fieldErrorText, useI18n, useT } from "../i18n";
import {
  ARRIVAL_MODES,
  CONSCIOUSNESS_LEVELS,
  QUICK_PICKS,
  RESOURCES,
  SEXES,
  computedAge,
  expectedResources,
  parseUtcTime,
} from "../triage";
import type { FieldKey, FormKey, TriageForm } from "../triage";
import type { TriageState } from "../triageState";
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
  const [today] = useState(() => new Date());
  const noModelNoteId = useId();

  const { form, update, assessing } = triage;
  const busy = assessing !== null || triage.saving;
  const modelLoaded = info !== null && info.model !== null;
  const noModel = info !== null && info.model === null;

  const set = <K extends FormKey>(key: K) => (value: TriageForm[K]) => update({ [key]: value } as Partial<TriageForm>);

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

  const ageFromBirth = computedAge(form, today);
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
            <TextField
              label={t.patientNameLabel}
              value={form.name}
              onChange={set("name")}
              autoComplete="off"
              spellCheck={false}
              maxLength={200}
              testId="triage-name"
              {...fieldError("name")}
            />
            <TextField
              label={t.hospitalIdLabel}
              value={form.hospitalId}
              onChange={set("hospitalId")}
              autoComplete="off"
              spellCheck={false}
              maxLength={64}
              testId="triage-hospital-id"
              {...fieldError("hospitalId")}
            />
            <div className="field">
              <TextField
                label={t.ageLabel}
                value={form.age}
                onChange={set("age")}
                inputMode="decimal"
                autoComplete="off"
                unit={t.unitYears}
                testId="triage-age"
                {...fieldError("age")}
              />
              {ageFromBirth !== null && (
                <span className="muted small" data-testid="triage-age-computed" data-value={ageFromBirth}>
                  {t.ageFromBirth(`${ageFromBirth} ${t.unitYears}`)}
                </span>
              )}
            </div>
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
            <TextField
              label={t.respRateLabel}
              value={form.respRate}
              onChange={set("respRate")}
              inputMode="decimal"
              autoComplete="off"
              unit={t.unitPerMin}
              testId="triage-resp-rate"
              {...fieldError("respRate")}
            />
            <TextField
              label={t.spo2Label}
              value={form.spo2}
              onChange={set("spo2")}
              inputMode="decimal"
              autoComplete="off"
              unit={t.unitPercent}
              testId="triage-spo2"
              {...fieldError("spo2")}
            />
            <TextField
              label={t.systolicLabel}
              value={form.systolic}
              onChange={set("systolic")}
              inputMode="decimal"
              autoComplete="off"
              unit={t.unitMmHg}
              testId="triage-systolic"
              {...fieldError("systolic")}
            />
            <TextField
              label={t.diastolicLabel}
              value={form.diastolic}
              onChange={set("diastolic")}
              inputMode="decimal"
              autoComplete="off"
              unit={t.unitMmHg}
              testId="triage-diastolic"
              {...fieldError("diastolic")}
            />
            <TextField
              label={t.heartRateLabel}
              value={form.heartRate}
              onChange={set("heartRate")}
              inputMode="decimal"
              autoComplete="off"
              unit={t.unitPerMin}
              testId="triage-heart-rate"
              {...fieldError("heartRate")}
            />
            <TextField
              label={t.temperatureLabel}
              value={form.temperature}
              onChange={set("temperature")}
              inputMode="decimal"
              autoComplete="off"
              unit={t.unitCelsius}
              testId="triage-temperature"
              {...fieldError("temperature")}
            />
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
            <TextField
              label={t.painLabel}
              value={form.pain}
              onChange={set("pain")}
              inputMode="decimal"
              autoComplete="off"
              unit={t.unitPain}
              testId="triage-pain"
              {...fieldError("pain")}
            />
          </div>
          <div className="check-row">
            <CheckField label={t.onOxygenLabel} checked={form.onOxygen} onChange={set("onOxygen")} testId="triage-on-oxygen" {...fieldError("onOxygen")} />
            <CheckField
              label={t.spo2Scale2Label}
              checked={form.spo2Scale2}
              onChange={set("spo2Scale2")}
              testId="triage-spo2-scale2"
              {...fieldError("spo2Scale2")}
            />
          </div>
        </fieldset>

        <fieldset className="triage-section">
          <legend>{t.sectionEsi}</legend>
          <div className="check-list">
            <CheckField label={t.esiLifesavingLabel} checked={form.esiLifesaving} onChange={set("esiLifesaving")} testId="triage-esi-lifesaving" />
            <CheckField label={t.esiHighRiskLabel} checked={form.esiHighRisk} onChange={set("esiHighRisk")} testId="triage-esi-high-risk" />
            <CheckField label={t.esiConfusionLabel} checked={form.esiConfusion} onChange={set("esiConfusion")} testId="triage-esi-confusion" />
            <CheckField label={t.esiDistressLabel} checked={form.esiDistress} onChange={set("esiDistress")} testId="triage-esi-distress" />
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
            <TextAreaField label={t.allergiesLabel} value={form.allergies} onChange={set("allergies")} maxLength={2000} testId="triage-allergies" {...fieldError("allergies")} />
            <TextAreaField
              label={t.medicationsLabel}
              value={form.medications}
              onChange={set("medications")}
              maxLength={2000}
              testId="triage-medications"
              {...fieldError("medications")}
            />
            <TextAreaField label={t.historyLabel} value={form.history} onChange={set("history")} maxLength={4000} testId="triage-history" {...fieldError("history")} />
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
