import { useEffect, useState } from "react";
import { toApiError } from "../api";
import type { ApiError, UnverifiedRow } from "../api";
import { useApi } from "../apiContext";
import { ruleTableText, useI18n } from "../i18n";
import { FormError } from "./FormError";

/** The triage rule-table rows not yet verified against their primary documents. */
export function AdminTriageRules() {
  const api = useApi();
  const { t, lang } = useI18n();
  const [rows, setRows] = useState<UnverifiedRow[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    api.triageRules().then(
      (list) => {
        if (live) setRows(Array.isArray(list) ? list : []);
      },
      (e: unknown) => {
        if (live) setError(toApiError(e));
      },
    );
    return () => {
      live = false;
    };
  }, [api]);

  return (
    <section className="card" aria-labelledby="triage-rules-heading" data-testid="admin-triage-rules">
      <h2 id="triage-rules-heading">{t.triageRulesHeading}</h2>
      <p className="unverified-note">{t.triageRulesHelp}</p>
      <FormError error={error} testId="triage-rules-error" showOriginal />
      {rows === null && error === null && <p className="muted">{t.loading}</p>}
      {rows !== null && rows.length === 0 && (
        <p className="muted" data-testid="triage-rules-empty">
          {t.triageRulesEmpty}
        </p>
      )}
      {rows !== null && rows.length > 0 && (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t.colTable}</th>
                <th scope="col">{t.colRow}</th>
                <th scope="col">{t.colSource}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={`${r.table}|${r.row}|${i}`} data-testid="triage-rule-row" data-table={r.table}>
                  <td>{ruleTableText(t, r.table)}</td>
                  <td>{lang === "zh-CN" && r.row_zh ? r.row_zh : r.row}</td>
                  <td className="muted">{r.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
