import { Fragment, useEffect, useRef, useState } from "react";
import { toApiError } from "../api";
import type { ApiError, Consciousness, EncounterView, Intake, ObservationRecord } from "../api";
import { useApi } from "../apiContext";
import { arrivalModeText, cnLevelNames, cnLevelText, riskText, sexText, statusText, useI18n } from "../i18n";
import type { Dict } from "../i18n";
import { cnColour, formatLocalTime, intakeAgeText } from "../triage";
import { ErrorBanner } from "./ErrorBanner";
import { LevelBadge } from "./LevelBadge";

/** The stored intake, or an empty one when it can't be read. */
function parseIntake(json: string): Partial<Intake> {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === "object" && value !== null ? (value as Partial<Intake>) : {};
  } catch {
    return {};
  }
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

const LOINC = "http://loinc.org";
const BEDSIDE = "urn:bedside";

const ACVPU: Record<string, Consciousness> = { A: "alert", C: "confusion", V: "voice", P: "pain", U: "unresponsive" };

/** The observation's name in the UI language; the backend's (English) display for a code not known here. */
function observationName(t: Dict, o: ObservationRecord): string {
  const known = (o.system === LOINC || o.system === BEDSIDE) && Object.hasOwn(t.observationNames, o.code);
  return known ? t.observationNames[o.code] : o.display;
}

/** The value: a number as stored, an ACVPU letter as its level, yes/no translated. */
function observationValue(t: Dict, o: ObservationRecord): string {
  if (o.value !== null && o.value !== undefined) return String(o.value);
  const text = o.value_text ?? "";
  if (o.system === BEDSIDE && o.code === "acvpu" && Object.hasOwn(ACVPU, text)) return t.consciousnessLevels[ACVPU[text]];
  if (o.system === BEDSIDE && o.code === "on-oxygen") {
    if (text === "yes") return t.yes;
    if (text === "no") return t.no;
  }
  return text;
}

/** A UCUM unit as a reader writes it; an unknown one as stored. */
function observationUnit(t: Dict, o: ObservationRecord): string {
  switch (o.unit) {
    case "Cel":
      return t.unitCelsius;
    case "mm[Hg]":
      return t.unitMmHg;
    case "/min":
      return t.unitPerMin;
    case "%":
      return t.unitPercent;
    case "{score}":
      // A pain score is out of 10; other scores need no unit.
      return o.system === LOINC && o.code === "72514-3" ? t.unitOutOfTen : "";
    default:
      return o.unit;
  }
}

/** One stored encounter, as a clinician opens it from the board. */
export function EncounterPanel({ id, onClose }: { id: number; onClose: () => void }) {
  const api = useApi();
  const { t, lang } = useI18n();
  const [view, setView] = useState<EncounterView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const ref = useRef<HTMLElement>(null);

  // The panel opens under the board: bring it into view.
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: "nearest", behavior: "smooth" });
  }, [id]);

  useEffect(() => {
    let live = true;
    api.encounterGet(id).then(
      (v) => {
        if (live) setView(v);
      },
      (e: unknown) => {
        if (live) setError(toApiError(e));
      },
    );
    return () => {
      live = false;
    };
  }, [api, id]);

  const e = view?.encounter;
  const intake = e ? parseIntake(e.intake_json) : {};
  const name = e && e.name.trim() !== "" ? e.name : t.unknownPatient;
  const ageSex = e ? [intakeAgeText(t, intake.patient), sexText(t, e.sex)].filter((s) => s !== "").join(" · ") : "";
  const historyFields: [string, string, string][] = [
    [t.onsetLabel, str(intake.onset), "encounter-onset"],
    [t.allergiesLabel, str(intake.allergies), "encounter-allergies"],
    [t.medicationsLabel, str(intake.medications), "encounter-medications"],
    [t.historyLabel, str(intake.history), "encounter-history"],
  ];

  return (
    <section ref={ref} className="card encounter-view" aria-labelledby="encounter-heading" data-testid="encounter-view" data-encounter-id={id}>
      <header className="encounter-header">
        <h2 id="encounter-heading">
          {t.encounterTitle}
          {e ? `: ${name}` : ""}
        </h2>
        <button type="button" className="btn btn-quiet" onClick={onClose} data-testid="encounter-close">
          {t.close}
        </button>
      </header>
      {error && <ErrorBanner error={error} />}
      {!view && !error && <p className="muted">{t.loading}</p>}
      {e && view && (
        <>
          <dl className="meta-list encounter-meta">
            <dt>{t.colPatient}</dt>
            <dd data-testid="encounter-patient">
              {name}
              {ageSex !== "" && ` (${ageSex})`}
            </dd>
            {e.hospital_id && (
              <>
                <dt>{t.hospitalIdLabel}</dt>
                <dd data-testid="encounter-hospital-id">{e.hospital_id}</dd>
              </>
            )}
            {e.birth_date && (
              <>
                <dt>{t.birthDateLabel}</dt>
                <dd>{e.birth_date}</dd>
              </>
            )}
            {intake.pregnant === true && (
              <>
                <dt>{t.pregnantLabel}</dt>
                <dd data-testid="encounter-pregnant">{t.yes}</dd>
              </>
            )}
            <dt>{t.statusLabel}</dt>
            <dd data-testid="encounter-status" data-status={e.status}>
              {statusText(t, e.status)}
            </dd>
            <dt>{t.arrivalLabel}</dt>
            <dd data-testid="encounter-arrival" title={e.arrived_at}>
              {formatLocalTime(e.arrived_at, lang)}
              {e.arrival_mode ? ` · ${arrivalModeText(t, e.arrival_mode)}` : ""}
            </dd>
            <dt>{t.complaintLabel}</dt>
            <dd data-testid="encounter-complaint">{e.complaint}</dd>
            {historyFields
              .filter(([, value]) => value.trim() !== "")
              .map(([label, value, testId]) => (
                <Fragment key={testId}>
                  <dt>{label}</dt>
                  <dd data-testid={testId}>{value}</dd>
                </Fragment>
              ))}
          </dl>

          <h3>{t.levelsHeading}</h3>
          <div className="table-wrap">
            <table className="data-table" data-testid="encounter-levels">
              <thead>
                <tr>
                  <th scope="col" />
                  <th scope="col">{t.colComputed}</th>
                  <th scope="col">{t.colSuggested}</th>
                  <th scope="col">{t.colFinal}</th>
                </tr>
              </thead>
              <tbody>
                <tr data-testid="encounter-cn" data-computed={e.computed_cn} data-suggested={e.suggested_cn} data-final={e.final_cn}>
                  <th scope="row">{t.cnShort}</th>
                  <td>{cnLevelText(t, e.computed_cn)}</td>
                  <td>{cnLevelText(t, e.suggested_cn)}</td>
                  <td>
                    <LevelBadge
                      level={e.final_cn}
                      colour={cnColour(e.final_cn)}
                      nameZh={cnLevelNames(e.final_cn).zh}
                      nameEn={cnLevelNames(e.final_cn).en}
                    />
                  </td>
                </tr>
                <tr data-testid="encounter-esi" data-computed={e.computed_esi} data-suggested={e.suggested_esi} data-final={e.final_esi}>
                  <th scope="row">{t.colEsi}</th>
                  <td>{t.esiLevelText(e.computed_esi)}</td>
                  <td>{t.esiLevelText(e.suggested_esi)}</td>
                  <td className="cell-strong">{t.esiLevelText(e.final_esi)}</td>
                </tr>
                <tr data-testid="encounter-news2" data-score={e.news2_score} data-risk={e.news2_risk}>
                  <th scope="row">{t.news2Heading}</th>
                  <td colSpan={3}>
                    {t.news2ScoreText(e.news2_score, e.news2_complete)} · {riskText(t, e.news2_risk)}
                  </td>
                </tr>
              </tbody>
            </table>
          </div>
          {e.override_reason && (
            <div className="override-reason">
              <h4>{t.overrideReasonHeading}</h4>
              <p data-testid="encounter-override-reason">{e.override_reason}</p>
            </div>
          )}

          <h3>{t.observationsHeading}</h3>
          {view.observations.length === 0 ? (
            <p className="muted" data-testid="encounter-no-observations">
              {t.noObservations}
            </p>
          ) : (
            <div className="table-wrap">
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">{t.colParameter}</th>
                    <th scope="col">{t.colValue}</th>
                    <th scope="col">{t.colUnit}</th>
                    <th scope="col" className="small">
                      {t.colCode}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {view.observations.map((o, i) => (
                    <tr key={`${o.system}|${o.code}|${i}`} data-testid="encounter-observation" data-code={o.code} data-system={o.system}>
                      <td title={o.display}>{observationName(t, o)}</td>
                      <td className="cell-strong" data-value={o.value ?? o.value_text ?? ""}>
                        {observationValue(t, o)}
                      </td>
                      <td data-unit={o.unit}>{observationUnit(t, o)}</td>
                      <td>
                        <code className="muted observation-code" title={o.system}>
                          {o.system === LOINC ? `LOINC ${o.code}` : o.code}
                        </code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          <p className="muted small" data-testid="encounter-triaged" data-by={e.triaged_by}>
            {t.triagedByAt(e.triaged_by, formatLocalTime(e.triaged_at, lang))}
          </p>
        </>
      )}
    </section>
  );
}
