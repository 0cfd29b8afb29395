import { useState } from "react";
import { toApiError } from "../api";
import type { ApiError, AuditCheck, AuditRecord, SessionView } from "../api";
import { useApi } from "../apiContext";
import { useI18n, useT } from "../i18n";
import type { Dict } from "../i18n";
import { formatLocalTime } from "../text";
import { FormError } from "./FormError";

/** Each of the audit check's three findings as a sentence, the chain first. */
export function auditFindings(t: Dict, check: AuditCheck): string[] {
  const lines: string[] = [];
  lines.push(
    check.first_broken === null
      ? t.chainIntact(check.rows, check.head_id, check.head_hash.slice(0, 12))
      : t.chainBroken(check.first_broken, check.reason ?? ""),
  );
  const head = check.head;
  switch (head.state) {
    case "matches":
      lines.push(t.headMatches(head.recorded_id, head.recorded_at));
      break;
    case "not_yet_recorded":
      lines.push(t.headNotYet);
      break;
    case "file_missing":
      lines.push(t.headFileMissing(head.path));
      break;
    case "rows_missing":
      lines.push(t.headRowsMissing(head.head_id + 1, head.recorded_id, head.recorded_at));
      break;
    case "differs":
      lines.push(t.headDiffers(head.recorded_id, head.recorded_at));
      break;
    case "unreadable":
      lines.push(t.headUnreadable(head.reason));
      break;
    case "unwritable":
      lines.push(t.headUnwritable(head.path, head.reason));
      break;
  }
  const { altered, checked, unsealed } = check.records;
  lines.push(
    altered.length > 0
      ? t.recordsAltered(altered.map((r) => t.recordName(r.kind, r.id)).join(", "))
      : t.recordsOk(checked, unsealed),
  );
  return lines;
}

/** The findings as a list, all as text. */
export function AuditFindings({ check, testId }: { check: AuditCheck; testId: string }) {
  const t = useT();
  return (
    <ul className="audit-findings" data-testid={testId} data-intact={String(check.intact)}>
      {auditFindings(t, check).map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

/**
 * Shown to an admin at the top of every page while a failed check at start has not been
 * acknowledged by any admin: this window's finding in full, and when earlier ones were
 * recorded. Acknowledging is recorded; the findings stay in the log.
 */
export function AuditAlarm({
  check,
  pending,
  onSessionView,
}: {
  check: AuditCheck | null;
  pending: AuditRecord[];
  onSessionView: (view: SessionView) => void;
}) {
  const api = useApi();
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const upTo = pending.length > 0 ? Math.max(...pending.map((r) => r.id)) : null;
  const acknowledge = async () => {
    if (upTo === null) return;
    setBusy(true);
    setError(null);
    try {
      onSessionView(await api.auditAlarmAck(upTo));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="warnings" role="alert" data-testid="audit-alarm">
      <h3>{t.auditAlarmTitle}</h3>
      {check && <AuditFindings check={check} testId="audit-alarm-findings" />}
      {pending.length > 0 && (
        <ul data-testid="audit-alarm-recorded">
          {pending.map((r) => (
            <li key={r.id}>{t.auditAlarmRecorded(r.id, formatLocalTime(r.at, lang))}</li>
          ))}
        </ul>
      )}
      <p>{t.auditAlarmHint}</p>
      {upTo !== null && (
        <button type="button" className="btn" onClick={() => void acknowledge()} disabled={busy} data-testid="audit-alarm-ack">
          {t.auditAlarmAck}
        </button>
      )}
      <FormError error={error} testId="audit-alarm-ack-error" />
    </div>
  );
}
