import { useEffect, useRef, useState } from "react";
import type { FormEvent } from "react";
import { toApiError } from "../api";
import type { ApiError, AuditCheck, AuditOutcome, AuditRecord, BedsideApi } from "../api";
import { useApi } from "../apiContext";
import { outcomeText, roleText, useI18n } from "../i18n";
import { formatLocalTime } from "../text";
import { AuditFindings } from "./AuditFindings";
import { TextField } from "./Field";
import { FormError } from "./FormError";

const PAGE_SIZE = 50;
const OUTCOMES: readonly AuditOutcome[] = ["ok", "denied", "failed"];

interface AuditFilters {
  username: string;
  action: string;
  /** "" for all. */
  outcome: string;
}

const NO_FILTERS: AuditFilters = { username: "", action: "", outcome: "" };

function fetchAudit(api: BedsideApi, filters: AuditFilters, beforeId?: number): Promise<AuditRecord[]> {
  const blank = (s: string) => (s.trim() === "" ? undefined : s.trim());
  return api.auditList({
    username: blank(filters.username),
    action: blank(filters.action),
    outcome: blank(filters.outcome),
    beforeId,
    limit: PAGE_SIZE,
  });
}

function objectText(row: AuditRecord): string {
  if (row.object_kind && row.object_id) return `${row.object_kind}:${row.object_id}`;
  return row.object_kind || row.object_id || "";
}

/** The audit log, newest first, with filters, paging back, and the chain check. */
export function AdminAudit() {
  const api = useApi();
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  /** The filters the rows shown were read with; "load older" keeps to them. */
  const [applied, setApplied] = useState<AuditFilters>(NO_FILTERS);
  const [rows, setRows] = useState<AuditRecord[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const seq = useRef(0);

  const [report, setReport] = useState<AuditCheck | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [verifyError, setVerifyError] = useState<ApiError | null>(null);

  useEffect(() => {
    const mine = ++seq.current;
    fetchAudit(api, NO_FILTERS).then(
      (list) => {
        if (mine !== seq.current) return;
        setRows(list);
        setHasMore(list.length >= PAGE_SIZE);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== seq.current) return;
        setError(toApiError(e));
        setLoading(false);
      },
    );
  }, [api]);

  const load = async (filters: AuditFilters, older: boolean) => {
    const mine = ++seq.current;
    const beforeId = older && rows && rows.length > 0 ? Math.min(...rows.map((r) => r.id)) : undefined;
    setLoading(true);
    setError(null);
    try {
      const list = await fetchAudit(api, filters, beforeId);
      if (mine !== seq.current) return;
      setApplied(filters);
      setRows((prev) => (older && prev ? [...prev, ...list] : list));
      setHasMore(list.length >= PAGE_SIZE);
    } catch (e) {
      if (mine === seq.current) setError(toApiError(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  };

  const onFilter = (e: FormEvent) => {
    e.preventDefault();
    void load(draft, false);
  };

  const verify = async () => {
    setVerifying(true);
    setVerifyError(null);
    setReport(null);
    try {
      setReport(await api.auditVerify());
    } catch (e) {
      setVerifyError(toApiError(e));
    } finally {
      setVerifying(false);
    }
  };

  return (
    <section className="card" aria-labelledby="audit-heading" data-testid="admin-audit">
      <h2 id="audit-heading">{t.auditHeading}</h2>

      <div className="row wrap">
        <button type="button" className="btn" onClick={() => void verify()} disabled={verifying} data-testid="audit-verify">
          {verifying ? t.verifying : t.auditVerify}
        </button>
        {report && (
          <div
            className={report.intact ? "verify-result verify-ok" : "verify-result verify-broken"}
            role={report.intact ? "status" : "alert"}
            data-testid="audit-verify-result"
            data-intact={String(report.intact)}
          >
            <AuditFindings check={report} testId="audit-verify-findings" />
          </div>
        )}
      </div>
      <FormError error={verifyError} testId="audit-verify-error" showOriginal />

      <form className="row wrap" onSubmit={onFilter}>
        <TextField
          label={t.auditFilterUser}
          value={draft.username}
          onChange={(username) => setDraft({ ...draft, username })}
          autoComplete="off"
          spellCheck={false}
          testId="audit-filter-user"
        />
        <TextField
          label={t.auditFilterAction}
          value={draft.action}
          onChange={(action) => setDraft({ ...draft, action })}
          autoComplete="off"
          spellCheck={false}
          testId="audit-filter-action"
        />
        <label className="field">
          <span className="label">{t.auditFilterOutcome}</span>
          <select
            className="input"
            value={draft.outcome}
            onChange={(e) => setDraft({ ...draft, outcome: e.target.value })}
            data-testid="audit-filter-outcome"
          >
            <option value="">{t.auditAllOutcomes}</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t.outcomes[o]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-primary align-end" disabled={loading} data-testid="audit-refresh">
          {t.auditRefresh}
        </button>
      </form>

      <FormError error={error} testId="audit-error" showOriginal />

      {rows !== null && rows.length === 0 && (
        <p className="muted" data-testid="audit-empty">
          {t.auditEmpty}
        </p>
      )}
      {rows !== null && rows.length > 0 && (
        <div className="table-wrap">
          <table className="data-table audit-table" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">{t.colTime}</th>
                <th scope="col">{t.colUser}</th>
                <th scope="col">{t.colRole}</th>
                <th scope="col">{t.colAction}</th>
                <th scope="col">{t.colObject}</th>
                <th scope="col">{t.colOutcome}</th>
                <th scope="col">{t.colDetail}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} data-testid="audit-row" data-id={row.id} data-outcome={row.outcome} data-action={row.action}>
                  <td className="cell-time" title={row.at}>
                    {formatLocalTime(row.at, lang)}
                  </td>
                  <td>{row.username}</td>
                  <td>{roleText(t, row.role)}</td>
                  <td>
                    <code>{row.action}</code>
                  </td>
                  <td className="cell-object">{objectText(row)}</td>
                  <td>
                    <span className={`outcome outcome-${row.outcome}`}>
                      {outcomeText(t, row.outcome)}
                    </span>
                  </td>
                  <td className="cell-detail" title={row.detail}>
                    <code>{row.detail}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {loading && <p className="muted">{t.loading}</p>}
      {rows !== null && hasMore && !loading && (
        <button type="button" className="btn" onClick={() => void load(applied, true)} data-testid="audit-more">
          {t.auditMore}
        </button>
      )}
    </section>
  );
}
