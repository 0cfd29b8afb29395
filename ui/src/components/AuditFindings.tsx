import type { AuditCheck } from "../api";
import { useT } from "../i18n";
import type { Dict } from "../i18n";

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

/** Shown to an admin at the top of every page while the check at start has failed. */
export function AuditAlarm({ check }: { check: AuditCheck }) {
  const t = useT();
  return (
    <div className="warnings" role="alert" data-testid="audit-alarm">
      <h3>{t.auditAlarmTitle}</h3>
      <AuditFindings check={check} testId="audit-alarm-findings" />
      <p>{t.auditAlarmHint}</p>
    </div>
  );
}
