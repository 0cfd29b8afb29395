import { useI18n } from "../i18n";
import { zoneClass } from "../triage";

/**
 * A Chinese triage grade as a badge coloured by its zone (red, yellow,
 * green): the name in the UI language first, the other language after it.
 */
export function LevelBadge({
  level,
  zone,
  nameZh,
  nameEn,
  testId,
  large = false,
}: {
  level: number;
  zone: string;
  nameZh: string;
  nameEn: string;
  testId?: string;
  large?: boolean;
}) {
  const { lang } = useI18n();
  const [primary, secondary] = lang === "zh-CN" ? [nameZh, nameEn] : [nameEn, nameZh];
  return (
    <span
      className={`level-badge ${zoneClass(zone)}${large ? " level-badge-large" : ""}`}
      data-testid={testId}
      data-level={level}
      data-zone={zone}
    >
      <span className="level-badge-name">{primary || String(level)}</span>
      {secondary && secondary !== primary && (
        <span className="level-badge-other" lang={lang === "zh-CN" ? "en" : "zh-CN"}>
          {secondary}
        </span>
      )}
    </span>
  );
}
