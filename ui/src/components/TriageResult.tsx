import { useEffect, useId, useRef } from "react";
import type { Intake, SavedTriage } from "../api";
import { cnLevelNames, cnLevelText, departmentText, errorText, fieldErrorText, news2ParamText, riskText, useI18n } from "../i18n";
import type { Dict } from "../i18n";
import { CN_LEVELS, ESI_LEVELS, MAX_REASON_CHARS, cnColour, isDowngrade, unansweredOf } from "../triage";
import type { TriageAssessed, TriageState } from "../triageState";
import { charCount, listText } from "../text";
import { FormError } from "./FormError";
import { LevelBadge } from "./LevelBadge";
import { AgeUsedNote, AlgorithmLevel, EsiConsider, FloorBlock, News2NotValidated, ProvisionalNotice } from "./TriageNotes";

/** NEWS2 parameters in the order of the chart. */
const NEWS2_ORDER = ["resp_rate", "spo2", "air_or_oxygen", "systolic_bp", "heart_rate", "consciousness", "temperature"];

function orderedParams(keys: string[]): string[] {
  const known = NEWS2_ORDER.filter((k) => keys.includes(k));
  return [...known, ...keys.filter((k) => !NEWS2_ORDER.includes(k)).sort()];
}

/** The label and unit of an intake field named by its JSON path. */
function pathLabel(t: Dict, path: string): [string, string] {
  const table: Record<string, [string, string]> = {
    "patient.age_years": [t.ageLabel, t.ageUnits.years],
    "patient.age_months": [t.ageLabel, t.ageUnits.months],
    "patient.age_days": [t.ageLabel, t.ageUnits.days],
    "vitals.resp_rate": [t.respRateLabel, t.unitPerMin],
    "vitals.spo2": [t.spo2Label, t.unitPercent],
    "vitals.systolic_bp": [t.systolicLabel, t.unitMmHg],
    "vitals.diastolic_bp": [t.diastolicLabel, t.unitMmHg],
    "vitals.heart_rate": [t.heartRateLabel, t.unitPerMin],
    "vitals.temperature_c": [t.temperatureLabel, t.unitCelsius],
    "vitals.pain": [t.painLabel, ""],
    "esi.expected_resources": [t.resourcesHeading, ""],
  };
  return Object.hasOwn(table, path) ? table[path] : [path, ""];
}

function valueAt(intake: Intake, path: string): unknown {
  let node: unknown = intake;
  for (const part of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** The computed grades, the model's help and the decision panel. */
export function TriageResult({ triage, assessed }: { triage: TriageState; assessed: TriageAssessed }) {
  const { t, lang } = useI18n();
  // The rules' own words come from the backend in both languages.
  const zh = lang === "zh-CN";
  const ref = useRef<HTMLElement>(null);
  const { result } = assessed;
  const { grades, assist, suggested } = result;
  const { news2, esi, cn } = grades;

  // Bring a new result into view (the form above it is long).
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: "start", behavior: "smooth" });
  }, [result]);

  const params = orderedParams(Object.keys(news2.parameters ?? {}));
  const missing = (news2.missing ?? []).map((k) => news2ParamText(t, k));

  return (
    <>
      <section
        ref={ref}
        className={triage.stale ? "card triage-result stale" : "card triage-result"}
        aria-labelledby="triage-result-heading"
        data-testid="triage-result"
        data-stale={triage.stale ? "true" : "false"}
      >
        <h2 id="triage-result-heading">{t.resultHeading}</h2>
        {triage.stale && (
          <div className="notice" role="status" data-testid="triage-result-stale">
            <p>{t.resultStale}</p>
          </div>
        )}
        <ProvisionalNotice grades={grades} />
        <AgeUsedNote age={grades.age} />

        <div className="grade-grid">
          <div className="grade-block">
            <h3>{t.cnHeading}</h3>
            <div className="badge-row">
              <LevelBadge
                level={cn.level}
                colour={cn.colour || cnColour(cn.level)}
                zone={cn.zone}
                nameZh={cn.name_zh}
                nameEn={cn.name_en}
                testId="triage-cn-level"
                large
              />
              <AlgorithmLevel kind="cn" level={cn.level} algorithmLevel={cn.algorithm_level} />
            </div>
            <p className="response-time" data-testid="triage-cn-response" data-minutes={cn.response_minutes}>
              {t.seenWithin(cn.response_minutes)}
            </p>
            <h4>{t.rulePathHeading}</h4>
            <ol className="rule-path">
              {(zh ? cn.path_zh : cn.path).map((line, i) => (
                <li key={i} data-testid="triage-cn-path">
                  {line}
                </li>
              ))}
            </ol>
          </div>

          <div className="grade-block">
            <h3>{t.esiHeading}</h3>
            <div className="badge-row">
              <span className={`esi-badge esi-${esi.level}`} data-testid="triage-esi-level" data-level={esi.level}>
                {t.esiLevelText(esi.level)}
              </span>
              <AlgorithmLevel kind="esi" level={esi.level} algorithmLevel={esi.algorithm_level} />
            </div>
            <ol className="rule-path esi-path">
              {esi.path.map((step, i) => (
                <li key={i} data-testid="triage-esi-path" data-point={step.point}>
                  <strong className="esi-point">{step.point === "floor" ? t.floorHeading : step.point}</strong>{" "}
                  {zh ? step.answer_zh : step.answer}
                </li>
              ))}
            </ol>
            <EsiConsider steps={esi.consider} />
            {esi.danger_zone.length > 0 && (
              <>
                <h4>{t.dangerZoneHeading}</h4>
                <ul className="danger-zone" data-testid="triage-esi-danger-zone">
                  {(zh ? esi.danger_zone_zh : esi.danger_zone).map((d, i) => (
                    <li key={i} data-testid="triage-esi-danger">
                      {d}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>

          <div className="grade-block news2-block">
            <h3>{t.news2Heading}</h3>
            <span
              className={`news2-score risk-${news2.risk}`}
              data-testid="triage-news2-score"
              data-score={news2.score}
              data-risk={news2.risk}
              data-complete={news2.complete ? "true" : "false"}
            >
              <span className="news2-number">{t.news2ScoreText(news2.score, news2.complete)}</span>
              <span className="news2-risk">{riskText(t, news2.risk)}</span>
            </span>
            {news2.spo2_scale === 2 && <p className="muted small">{t.news2ScaleText(news2.spo2_scale)}</p>}
            <News2NotValidated reasons={news2.not_validated} />
            {!news2.complete && missing.length > 0 && (
              <p className="news2-missing" role="note" data-testid="triage-news2-missing" data-missing={(news2.missing ?? []).join(",")}>
                {t.news2Missing(listText(lang, missing))}
              </p>
            )}
            {params.length > 0 && (
              <div className="table-wrap">
                <table className="data-table news2-table">
                  <thead>
                    <tr>
                      <th scope="col">{t.colParameter}</th>
                      <th scope="col">{t.colValue}</th>
                      <th scope="col">{t.colPoints}</th>
                      <th scope="col">{t.colRule}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {params.map((key) => {
                      const p = news2.parameters[key];
                      return (
                        <tr key={key} data-testid="triage-news2-param" data-param={key} data-points={p.points}>
                          <td>{news2ParamText(t, key)}</td>
                          <td>{zh && p.value_zh ? p.value_zh : p.value}</td>
                          <td className={p.points >= 3 ? "cell-strong points-high" : "cell-strong"}>{p.points}</td>
                          <td className="muted">{zh && p.rule_zh ? p.rule_zh : p.rule}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        </div>

        <FloorBlock grades={grades} />

        {cn.unverified.length > 0 && (
          <div className="unverified-note" role="note" data-testid="triage-unverified">
            <strong>{t.unverifiedHeading}</strong>
            <ul>
              {(zh ? cn.unverified_zh : cn.unverified).map((u, i) => (
                <li key={i}>{u}</li>
              ))}
            </ul>
          </div>
        )}

        {grades.warnings.length > 0 && (
          <div className="warnings" role="alert">
            <h3>{t.warningsHeading}</h3>
            <ul>
              {grades.warnings.map((w, i) => {
                const [label, unit] = pathLabel(t, w.field);
                const value = valueAt(assessed.intake, w.field);
                const shown = typeof value === "number" ? `${value}${unit ? ` ${unit}` : ""}` : "";
                return (
                  <li key={i} data-testid="triage-warning" data-field={w.field} title={w.message}>
                    {t.warningText(label, shown)}
                  </li>
                );
              })}
            </ul>
            <label className="check">
              <input
                type="checkbox"
                checked={triage.decision.valuesConfirmed}
                onChange={(e) => triage.setDecision({ valuesConfirmed: e.target.checked })}
                data-testid="triage-confirm-values"
              />
              <span>{t.confirmValues}</span>
            </label>
          </div>
        )}

        {(assessed.withModel || assist !== null) && <AssistPanel assessed={assessed} />}
      </section>

      <DecisionPanel triage={triage} assessed={assessed} suggestedEsi={suggested.esi} suggestedCn={suggested.cn} />
    </>
  );
}

function AssistPanel({ assessed }: { assessed: TriageAssessed }) {
  const { t } = useI18n();
  const { assist, assist_error: assistError, suggested } = assessed.result;
  const raisedName = cnLevelText(t, suggested.cn);
  return (
    <section className="assist-panel" aria-labelledby="triage-assist-heading" data-testid="triage-assist-panel">
      <h3 id="triage-assist-heading">{t.assistHeading}</h3>
      {assessed.stopped && (
        <p className="answer-stopped" data-testid="triage-assist-stopped">
          {t.assistStopped}
        </p>
      )}
      {assistError && (
        <div className="form-error" role="alert" data-testid="triage-assist-error" data-code={assistError.code}>
          <p className="form-error-message">{t.assistFailed}</p>
          <p className="form-error-original" title={assistError.message}>
            {errorText(t, assistError.code, assistError.message)}
          </p>
        </div>
      )}
      {assist && (
        <>
          <p className="muted small">{t.assistDisclaimer}</p>
          {suggested.raised_by_model && (
            <p className="model-raised" role="alert" data-testid="triage-model-raised" data-cn={suggested.cn} data-esi={suggested.esi}>
              {t.modelRaised(`${raisedName} / ${t.esiLevelText(suggested.esi)}`, suggested.reason ?? "")}
            </p>
          )}
          <dl className="assist-list">
            <dt>{t.assistSummary}</dt>
            <dd data-testid="triage-assist-summary">{assist.summary}</dd>
            <dt>{t.assistDepartment}</dt>
            <dd data-testid="triage-assist-department" data-department={assist.department}>
              {departmentText(t, assist.department)}
            </dd>
            {assist.questions.length > 0 && (
              <>
                <dt>{t.assistQuestions}</dt>
                <dd>
                  <ul>
                    {assist.questions.map((q, i) => (
                      <li key={i} data-testid="triage-assist-question">
                        {q}
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
            {assist.red_flags.length > 0 && (
              <>
                <dt>{t.assistRedFlags}</dt>
                <dd>
                  <ul className="red-flags">
                    {assist.red_flags.map((f, i) => (
                      <li key={i} data-testid="triage-assist-red-flag">
                        {f}
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
          </dl>
        </>
      )}
    </section>
  );
}

function DecisionPanel({
  triage,
  assessed,
  suggestedEsi,
  suggestedCn,
}: {
  triage: TriageState;
  assessed: TriageAssessed;
  suggestedEsi: number;
  suggestedCn: number;
}) {
  const { t } = useI18n();
  const reasonId = useId();
  const { decision, setDecision } = triage;
  const names = cnLevelNames(suggestedCn);
  const needsConfirm = assessed.result.grades.warnings.length > 0 && !decision.valuesConfirmed;
  // A provisional grade cannot be saved: the backend refuses it.
  const provisional = unansweredOf(assessed.result.grades).length > 0;
  const disabled = triage.saving || triage.stale || triage.assessing !== null || needsConfirm || provisional;
  // Below the computed level (safety floor included), as the backend marks it; a level the
  // model raised may be lowered back to the computed one without being a downgrade.
  const { esi: computedEsi, cn: computedCn } = assessed.result.grades;
  const downgrade =
    decision.overriding &&
    isDowngrade({ esi: computedEsi.level, cn: computedCn.level }, Number(decision.finalEsi), Number(decision.finalCn));
  const reasonError = triage.fieldErrors.reason;
  const cnError = triage.fieldErrors.finalCn;
  const esiError = triage.fieldErrors.finalEsi;

  return (
    <section className="card triage-decision" aria-labelledby="triage-decision-heading" data-testid="triage-decision">
      <h2 id="triage-decision-heading">{t.decisionHeading}</h2>
      <div className="row wrap suggested-row">
        <span className="label">{t.suggestedLabel}</span>
        <LevelBadge level={suggestedCn} colour={cnColour(suggestedCn)} nameZh={names.zh} nameEn={names.en} testId="triage-suggested-cn" />
        <span className={`esi-badge esi-${suggestedEsi}`} data-testid="triage-suggested-esi" data-level={suggestedEsi}>
          {t.esiLevelText(suggestedEsi)}
        </span>
      </div>
      {provisional && (
        <p className="answer-first" data-testid="triage-answer-first">
          {t.answerFirst}
        </p>
      )}
      {needsConfirm && (
        <p className="muted small" data-testid="triage-confirm-values-first">
          {t.confirmValuesFirst}
        </p>
      )}
      {!decision.overriding ? (
        <div className="row wrap">
          <button type="button" className="btn btn-primary" onClick={() => void triage.save(false)} disabled={disabled} data-testid="triage-confirm">
            {triage.saving ? t.savingTriage : t.confirmButton}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => setDecision({ overriding: true, finalCn: String(suggestedCn), finalEsi: String(suggestedEsi) })}
            disabled={triage.saving}
            data-testid="triage-override"
          >
            {t.overrideButton}
          </button>
        </div>
      ) : (
        <div className="override-form" data-testid="triage-override-form">
          <div className="row wrap">
            <label className="field">
              <span className="label">{t.finalCnLabel}</span>
              <select
                className="input"
                value={decision.finalCn}
                onChange={(e) => setDecision({ finalCn: e.target.value })}
                aria-invalid={cnError ? true : undefined}
                data-testid="triage-final-cn"
              >
                {CN_LEVELS.map((l) => (
                  <option key={l} value={String(l)}>
                    {cnLevelText(t, l)}
                  </option>
                ))}
              </select>
              {cnError && (
                <span className="field-error" role="alert" data-testid="triage-final-cn-error">
                  {fieldErrorText(t, cnError)}
                </span>
              )}
            </label>
            <label className="field">
              <span className="label">{t.finalEsiLabel}</span>
              <select
                className="input"
                value={decision.finalEsi}
                onChange={(e) => setDecision({ finalEsi: e.target.value })}
                aria-invalid={esiError ? true : undefined}
                data-testid="triage-final-esi"
              >
                {ESI_LEVELS.map((l) => (
                  <option key={l} value={String(l)}>
                    {t.esiLevelText(l)}
                  </option>
                ))}
              </select>
              {esiError && (
                <span className="field-error" role="alert" data-testid="triage-final-esi-error">
                  {fieldErrorText(t, esiError)}
                </span>
              )}
            </label>
          </div>
          {downgrade && (
            <p className="downgrade-warning" role="alert" data-testid="triage-downgrade-warning">
              {t.downgradeWarning}
            </p>
          )}
          <label className="field">
            <span className="label">{t.overrideReasonLabel}</span>
            <textarea
              className="input"
              rows={3}
              maxLength={MAX_REASON_CHARS}
              value={decision.reason}
              onChange={(e) => setDecision({ reason: e.target.value })}
              required
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={reasonError ? reasonId : undefined}
              data-testid="triage-override-reason"
            />
            <span className="muted small char-count">
              {charCount(decision.reason)} / {MAX_REASON_CHARS}
            </span>
            {reasonError && (
              <span className="field-error" id={reasonId} role="alert" title={reasonError.message || undefined} data-testid="triage-override-reason-error">
                {fieldErrorText(t, reasonError)}
              </span>
            )}
          </label>
          <div className="row wrap">
            <button type="button" className="btn btn-primary" onClick={() => void triage.save(true)} disabled={disabled} data-testid="triage-save-override">
              {triage.saving ? t.savingTriage : t.saveOverride}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => setDecision({ overriding: false, reason: "" })}
              disabled={triage.saving}
              data-testid="triage-override-cancel"
            >
              {t.cancel}
            </button>
          </div>
        </div>
      )}
      <FormError error={triage.saveError} testId="triage-save-error" />
    </section>
  );
}

/** The confirmation after a save, with the way to the board. */
export function TriageSaved({ saved, onGoBoard, onDismiss }: { saved: SavedTriage; onGoBoard: () => void; onDismiss: () => void }) {
  const { t } = useI18n();
  const names = cnLevelNames(saved.final_cn);
  return (
    <section
      className="saved-note"
      role="status"
      data-testid="triage-saved"
      data-encounter-id={saved.encounter_id}
      data-level={saved.final_cn}
      data-esi={saved.final_esi}
      data-overridden={saved.overridden ? "true" : "false"}
      data-downgraded={saved.downgraded ? "true" : "false"}
    >
      <div className="saved-body">
        <LevelBadge level={saved.final_cn} colour={cnColour(saved.final_cn)} nameZh={names.zh} nameEn={names.en} />
        <p>
          {t.savedText(`${cnLevelText(t, saved.final_cn)} / ${t.esiLevelText(saved.final_esi)}`, saved.response_minutes)}{" "}
          {saved.overridden ? t.savedOverridden : t.savedAccepted}
        </p>
      </div>
      {saved.downgraded && (
        <p className="downgrade-warning" data-testid="triage-saved-downgraded">
          {t.savedDowngraded}
        </p>
      )}
      <div className="row">
        <button type="button" className="btn btn-primary" onClick={onGoBoard} data-testid="triage-go-board">
          {t.goBoard}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onDismiss} data-testid="triage-saved-dismiss">
          {t.dismiss}
        </button>
      </div>
    </section>
  );
}
