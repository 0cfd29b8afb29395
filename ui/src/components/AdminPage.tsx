import type { SessionView } from "../api";
import { useT } from "../i18n";
import { AdminAudit } from "./AdminAudit";
import { AdminSettings } from "./AdminSettings";
import { AdminTriageRules } from "./AdminTriageRules";
import { AdminUsers } from "./AdminUsers";

/** Admins only: accounts, the audit log, the settings and the triage rules still to verify. */
export function AdminPage({
  idleLockMinutes,
  onSessionView,
}: {
  idleLockMinutes: number;
  onSessionView: (view: SessionView) => void;
}) {
  const t = useT();
  return (
    <div className="page admin-page" data-testid="admin-page">
      <header className="page-header">
        <h1>{t.adminTitle}</h1>
      </header>
      <AdminUsers />
      <AdminAudit />
      <AdminSettings idleLockMinutes={idleLockMinutes} onSessionView={onSessionView} />
      <AdminTriageRules />
    </div>
  );
}
