import { useState } from "react";
import type { BoardRow } from "../api";
import { riskText, sexText, useI18n } from "../i18n";
import type { Dict, Lang } from "../i18n";
import { ageText, cnColour, formatLocalTime } from "../triage";
import type { BoardState } from "../triageState";
import { EncounterPanel } from "./EncounterPanel";
import { ErrorBanner } from "./ErrorBanner";
import { LevelBadge } from "./LevelBadge";

/** The age as the rules read it (from the server, in the UI language), then the sex. */
function ageSex(t: Dict, lang: Lang, row: BoardRow): string {
  const age = (lang === "zh-CN" ? row.age_text_zh : row.age_text) ?? ageText(t, row.age_years);
  return [age, sexText(t, row.sex)].filter((s) => s !== "").join(" · ");
}

/** The waiting time since the end of triage against the target, and the marks under it. */
function WaitingCell({ row }: { row: BoardRow }) {
  const { t } = useI18n();
  return (
    <td>
      <span
        className={row.retriage_due ? "waiting overdue" : "waiting"}
        data-testid="board-waiting"
        data-waiting={row.waiting_minutes}
        data-target={row.response_minutes}
        data-triaged-at={row.triaged_at}
        title={row.triaged_at}
      >
        {t.waitingText(row.waiting_minutes, row.response_minutes)}
      </span>
      {row.retriage_due && (
        <div className="retriage-flag" role="alert" data-testid="board-retriage">
          {t.retriageDue}
        </div>
      )}
      {row.overridden && (
        <div className="overridden-mark" data-testid="board-overridden">
          {t.overriddenMark}
        </div>
      )}
      {row.downgraded && (
        <div className="overridden-mark downgraded-mark" data-testid="board-downgraded">
          {t.downgradedMark}
        </div>
      )}
    </td>
  );
}

/** Patients waiting to be seen, most urgent first. */
export function BoardPage({ board }: { board: BoardState }) {
  const { t, lang } = useI18n();
  const [openId, setOpenId] = useState<number | null>(null);
  const { rows } = board;

  return (
    <div className="page page-wide board-page" data-testid="board-page">
      <header className="page-header">
        <h1>{t.boardTitle}</h1>
        <div className="row no-margin">
          {board.loadedAt !== null && (
            <span className="muted small" data-testid="board-updated">
              {t.boardUpdated(new Date(board.loadedAt).toLocaleTimeString(lang, { timeStyle: "short" }))}
            </span>
          )}
          <button type="button" className="btn" onClick={() => void board.refresh()} disabled={board.loading} data-testid="board-refresh">
            {board.loading ? t.loading : t.boardRefresh}
          </button>
        </div>
      </header>

      {board.error && <ErrorBanner error={board.error} onDismiss={board.dismissError} />}

      {rows === null && board.loading && <p className="muted">{t.loading}</p>}
      {rows !== null && rows.length === 0 && (
        <p className="muted empty-board" data-testid="board-empty">
          {t.boardEmpty}
        </p>
      )}
      {rows !== null && rows.length > 0 && (
        <div className="table-wrap card board-card">
          <table className="data-table board-table" data-testid="board-table">
            <thead>
              <tr>
                <th scope="col">{t.colLevel}</th>
                <th scope="col">{t.colPatient}</th>
                <th scope="col">{t.colComplaint}</th>
                <th scope="col">{t.colEsi}</th>
                <th scope="col">{t.colNews2}</th>
                <th scope="col">{t.colArrived}</th>
                <th scope="col">{t.colWaiting}</th>
                <th scope="col">{t.colTriagedBy}</th>
                <th scope="col">{t.colActions}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const name = row.name.trim() === "" ? t.unknownPatient : row.name;
                const classes = ["board-row", row.retriage_due ? "retriage" : "", openId === row.encounter_id ? "selected" : ""]
                  .filter(Boolean)
                  .join(" ");
                return (
                  <tr
                    key={row.encounter_id}
                    className={classes}
                    data-testid="board-row"
                    data-encounter-id={row.encounter_id}
                    data-level={row.level}
                    data-retriage={row.retriage_due ? "true" : "false"}
                    data-downgraded={row.downgraded ? "true" : "false"}
                  >
                    <td>
                      <LevelBadge
                        level={row.level}
                        colour={row.colour || cnColour(row.level)}
                        zone={row.zone}
                        nameZh={row.level_name_zh}
                        nameEn={row.level_name_en}
                        testId="board-level"
                      />
                    </td>
                    <td>
                      <button
                        type="button"
                        className="btn-link patient-name"
                        onClick={() => setOpenId(row.encounter_id)}
                        aria-label={t.openEncounter(name)}
                        data-testid="board-name"
                      >
                        {name}
                      </button>
                      <div className="muted small" data-testid="board-age-sex">
                        {ageSex(t, lang, row)}
                      </div>
                      {row.hospital_id && (
                        <div className="muted small" data-testid="board-hospital-id">
                          {t.colHospitalId}: {row.hospital_id}
                        </div>
                      )}
                    </td>
                    <td className="cell-complaint" data-testid="board-complaint">
                      {row.complaint}
                    </td>
                    <td className="esi-cell" data-testid="board-esi" data-level={row.esi}>
                      {t.esiLevelText(row.esi)}
                    </td>
                    <td
                      data-testid="board-news2"
                      data-score={row.news2_score}
                      data-risk={row.news2_risk}
                      data-complete={row.news2_complete ? "true" : "false"}
                    >
                      <span className="cell-strong">{t.news2ScoreText(row.news2_score, row.news2_complete)}</span>
                      <div className="muted small">{riskText(t, row.news2_risk)}</div>
                    </td>
                    <td className="cell-time" title={row.arrived_at}>
                      {formatLocalTime(row.arrived_at, lang)}
                    </td>
                    <WaitingCell row={row} />
                    <td data-testid="board-triaged-by">{row.triaged_by}</td>
                    <td>
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => void board.callIn(row.encounter_id)}
                        disabled={board.callingIn !== null}
                        data-testid="board-call-in"
                      >
                        {board.callingIn === row.encounter_id ? t.callingIn : t.callIn}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {openId !== null && <EncounterPanel key={openId} id={openId} onClose={() => setOpenId(null)} />}
    </div>
  );
}
