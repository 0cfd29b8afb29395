// The parts of the triage result that explain a grade: why it is provisional,
// what the safety floor raised, what the algorithm gave on its own, and the
// limits of the scores. The rules' own words come from the backend in both
// languages; they are shown as text.

import type { AgeUsed, EsiStep, FloorHit, Grades } from "../api";
import { cnLevelText, notValidatedText, unansweredText, useI18n } from "../i18n";
import type { Dict } from "../i18n";
import { unansweredOf } from "../triage";
import { listText } from "../text";

/** The grade is provisional while something is unanswered (A or B, an infant's exact age, a minor level's vital signs); the nurse is told which. */
export function ProvisionalNotice({ grades }: { grades: Grades }) {
  const { t, lang } = useI18n();
  const unanswered = unansweredOf(grades);
  if (unanswered.length === 0) return null;
  return (
    <div className="provisional-note" role="alert" data-testid="triage-provisional" data-unanswered={unanswered.join(",")}>
      <strong>{t.provisionalHeading}</strong>
      <p>{t.provisionalText(listText(lang, unanswered.map((path) => unansweredText(t, path))))}</p>
    </div>
  );
}

/** "algorithm: ESI 4" beside a level the safety floor raised. */
export function AlgorithmLevel({ kind, level, algorithmLevel }: { kind: "esi" | "cn"; level: number; algorithmLevel: number | undefined }) {
  const { t } = useI18n();
  if (algorithmLevel === undefined || algorithmLevel === level) return null;
  const levelText = kind === "esi" ? t.esiLevelText(algorithmLevel) : cnLevelText(t, algorithmLevel);
  return (
    <span className="algorithm-level muted" data-testid={`triage-${kind}-algorithm`} data-level={algorithmLevel}>
      ({t.algorithmLevel(levelText)})
    </span>
  );
}

/** The levels a safety-floor finding calls for: "ESI 2 · Level II - critical". */
function hitLevels(t: Dict, hit: FloorHit): string {
  const parts: string[] = [];
  if (hit.esi !== null) parts.push(t.esiLevelText(hit.esi));
  if (hit.cn !== null) parts.push(cnLevelText(t, hit.cn));
  return parts.join(" · ");
}

/** Bedside's safety floor: the findings that raised the level above the algorithm's. */
export function FloorBlock({ grades }: { grades: Grades }) {
  const { t, lang } = useI18n();
  const hits = grades.floor?.hits ?? [];
  if (hits.length === 0) return null;
  const zh = lang === "zh-CN";
  return (
    <div
      className="floor-block"
      role="note"
      data-testid="triage-floor"
      data-esi={grades.floor.esi ?? ""}
      data-cn={grades.floor.cn ?? ""}
    >
      <h3>{t.floorHeading}</h3>
      <p className="muted small">{t.floorHelp}</p>
      <ul>
        {hits.map((hit) => {
          const levels = hitLevels(t, hit);
          return (
            <li
              key={hit.id}
              className={hit.verified ? "floor-hit" : "floor-hit unverified"}
              data-testid="triage-floor-hit"
              data-id={hit.id}
              data-verified={hit.verified ? "true" : "false"}
              title={hit.source ? t.floorSource(hit.source) : undefined}
            >
              <span>{zh && hit.text_zh ? hit.text_zh : hit.text}</span>
              {levels !== "" && <span className="floor-levels"> → {levels}</span>}
              {!hit.verified && (
                <span className="floor-unverified" data-testid="triage-floor-hit-unverified">
                  {t.floorUnverified}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** NEWS2 is not validated under 16 or in pregnancy: said, with the reasons that apply. */
export function News2NotValidated({ reasons }: { reasons: string[] | undefined }) {
  const { t, lang } = useI18n();
  if (!reasons || reasons.length === 0) return null;
  return (
    <p className="news2-missing" role="note" data-testid="triage-news2-not-validated" data-reasons={reasons.join(",")}>
      {t.news2NotValidated(listText(lang, reasons.map((r) => notValidatedText(t, r))))}
    </p>
  );
}

/** "Consider ESI n" prompts (paediatric fever): shown, but they do not change the level. */
export function EsiConsider({ steps }: { steps: EsiStep[] | undefined }) {
  const { t, lang } = useI18n();
  if (!steps || steps.length === 0) return null;
  const zh = lang === "zh-CN";
  return (
    <>
      <h4>{t.considerHeading}</h4>
      <ul className="rule-path esi-consider" data-testid="triage-esi-consider">
        {steps.map((step, i) => (
          <li key={i} data-testid="triage-esi-consider-item" data-point={step.point}>
            {zh ? step.answer_zh : step.answer}
          </li>
        ))}
      </ul>
    </>
  );
}

/** The age the rules used (from the birth date, or as typed). */
export function AgeUsedNote({ age }: { age: AgeUsed | null | undefined }) {
  const { t, lang } = useI18n();
  if (!age) return null;
  const text = lang === "zh-CN" && age.text_zh ? age.text_zh : age.text;
  return (
    <p className="muted age-used" data-testid="triage-age-used" data-basis={age.basis} data-min-days={age.min_days} data-max-days={age.max_days}>
      {t.ageUsed(text)}
    </p>
  );
}
