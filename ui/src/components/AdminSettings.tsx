import type { SessionView } from "../api";
import { useApi } from "../apiContext";
import { useT } from "../i18n";
import { WholeNumberForm } from "./WholeNumberForm";

const IDLE_LOCK_MIN = 1;
const IDLE_LOCK_MAX = 60;

export function AdminSettings({
  idleLockMinutes,
  onSessionView,
}: {
  idleLockMinutes: number;
  onSessionView: (view: SessionView) => void;
}) {
  const api = useApi();
  const t = useT();
  return (
    <section className="card" aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t.settingsHeading}</h2>
      <WholeNumberForm
        label={t.idleLockLabel}
        min={IDLE_LOCK_MIN}
        max={IDLE_LOCK_MAX}
        current={idleLockMinutes}
        currentText={t.idleLockCurrent(idleLockMinutes)}
        invalidText={t.idleLockInvalid}
        savedText={t.idleLockSaved}
        testId="settings-idle-lock"
        savedTestId="settings-saved"
        errorTestId="settings-error"
        onSave={async (minutes) => onSessionView(await api.settingsSetIdleLock(minutes))}
      />
    </section>
  );
}
