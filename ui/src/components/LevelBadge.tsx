import { useI18n } from "../i18n";
import { colourClass } from "../triage";

/**
 * A Chinese triage grade as a badge in its colour (Ⅰ red, Ⅱ orange, Ⅲ
 * yellow, Ⅳ green): the name in the UI language first, the other language
 * after it. `zone` (the area the patient waits in) is only carried as data.
 */
export function LevelBadge({
  level,
  colour,
  zone,
  nameZh,
  nameEn,
  testId,
  large = false,
}: {
  level: number;
  colour: string;
  zone?: string;
  nameZh: string;
  nameEn: string;
  testId?: string;
  large?: boolean;
}) {
  const { lang } = useI18n();
  const [primary, secondary] = lang === "zh-CN" ? [nameZh, nameEn] : [nameEn, nameZh];
  return (
    <span
      className={`level-badge ${colourClass(colour)}${large ? " level-badge-large" : ""}`}
      data-testid={testId}
      data-level={level}
      data-colour={colour}
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
