// The triage intake form: its state, the checks done here before anything is
// sent, and the Intake JSON built from it. Pure functions only; the state
// hook lives in triageState.ts.

import type { ApiError, CnColour, Consciousness, Grades, Intake, Sex } from "./api";
import type { Dict, Lang } from "./i18n";
import { charCount } from "./text";

export const SEXES: readonly Sex[] = ["unknown", "female", "male", "other"];

export const ARRIVAL_MODES = ["walk-in", "ambulance", "police", "transfer", "other"] as const;
export type ArrivalMode = (typeof ARRIVAL_MODES)[number];

export const CONSCIOUSNESS_LEVELS: readonly Consciousness[] = ["alert", "confusion", "voice", "pain", "unresponsive"];

export const QUICK_PICKS = [
  "chest_pain",
  "shortness_of_breath",
  "abdominal_pain",
  "fever",
  "headache",
  "injury",
  "bleeding",
  "altered_consciousness",
  "seizure",
  "allergic_reaction",
] as const;
export type QuickPick = (typeof QUICK_PICKS)[number];

/** The ESI handbook's resource types; a complex procedure counts as two. */
export const RESOURCES = [
  { id: "labs", weight: 1 },
  { id: "ecg", weight: 1 },
  { id: "xray", weight: 1 },
  { id: "imaging", weight: 1 },
  { id: "angiography", weight: 1 },
  { id: "iv_fluids", weight: 1 },
  { id: "medication", weight: 1 },
  { id: "consult", weight: 1 },
  { id: "simple_procedure", weight: 1 },
  { id: "complex_procedure", weight: 2 },
] as const;
export type ResourceId = (typeof RESOURCES)[number]["id"];

export const CN_LEVELS = [1, 2, 3, 4] as const;
export const ESI_LEVELS = [1, 2, 3, 4, 5] as const;

/**
 * The badge colour of each Chinese grade: Ⅰ red, Ⅱ orange, Ⅲ yellow, Ⅳ green
 * (Ⅱ级 is still seen in the red zone; the zone is the area, not the colour).
 */
export function cnColour(level: number): CnColour {
  if (level <= 1) return "red";
  if (level === 2) return "orange";
  return level === 3 ? "yellow" : "green";
}

const COLOURS: readonly string[] = ["red", "orange", "yellow", "green"];

/** Only known colours become class names. */
export function colourClass(colour: string): string {
  return COLOURS.includes(colour) ? `zone-${colour}` : "zone-unknown";
}

/** A yes / no question: "" until it is answered (then it is left out of the intake). */
export type Answer = "" | "yes" | "no";
export const ANSWERS: readonly Answer[] = ["yes", "no", ""];

/** The unit the typed age is in. */
export const AGE_UNITS = ["years", "months", "days"] as const;
export type AgeUnit = (typeof AGE_UNITS)[number];

/** The form keys of ESI decision points A and B. */
export type EsiAnswerKey = "esiLifesaving" | "esiHighRisk" | "esiConfusion" | "esiDistress";

/** ESI decision points A and B: the form key, the intake path, and the test id of the question. */
export const ESI_QUESTIONS: readonly { key: EsiAnswerKey; path: string; testId: string }[] = [
  { key: "esiLifesaving", path: "esi.lifesaving_intervention", testId: "triage-esi-lifesaving" },
  { key: "esiHighRisk", path: "esi.high_risk", testId: "triage-esi-high-risk" },
  { key: "esiConfusion", path: "esi.new_confusion", testId: "triage-esi-confusion" },
  { key: "esiDistress", path: "esi.severe_pain_or_distress", testId: "triage-esi-distress" },
];

export const MAX_REASON_CHARS = 500;

/** Everything the nurse has typed, as typed (numbers stay text until sent). */
export interface TriageForm {
  name: string;
  hospitalId: string;
  age: string;
  ageUnit: AgeUnit;
  /** YYYY-MM-DD or "". */
  birthDate: string;
  sex: Sex;
  pregnant: boolean;
  /**
   * A datetime-local value, YYYY-MM-DDTHH:MM, or "" for "now": the arrival
   * time is then left out and the backend takes the time of saving.
   */
  arrivedAt: string;
  arrivalMode: string;
  complaint: string;
  onset: string;
  respRate: string;
  spo2: string;
  spo2Scale2: boolean;
  onOxygen: boolean;
  systolic: string;
  diastolic: string;
  heartRate: string;
  temperature: string;
  consciousness: Consciousness | "";
  pain: string;
  esiLifesaving: Answer;
  esiHighRisk: Answer;
  esiConfusion: Answer;
  esiDistress: Answer;
  resources: ResourceId[];
  resourcesNone: boolean;
  allergies: string;
  medications: string;
  history: string;
}

export type FormKey = keyof TriageForm;

/** Inputs that can carry an error: the form's, and the decision panel's. */
export type FieldKey = FormKey | "reason" | "finalCn" | "finalEsi";

export interface FieldError {
  /** A backend code, or one of the checks here (not_a_number, not_whole, bad_date, bad_time, future_time, reason_required, too_long). */
  code: string;
  /** The JSON path the backend named, when it did. */
  field: string;
  /** The backend's own message (English), for the tooltip. */
  message: string;
}

export type FieldErrors = Partial<Record<FieldKey, FieldError>>;

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * A fresh form. The arrival time starts empty ("now, when saved"): a time
 * filled in when the form was created would be stale by the time the patient
 * is triaged.
 */
export function emptyForm(): TriageForm {
  return {
    name: "",
    hospitalId: "",
    age: "",
    ageUnit: "years",
    birthDate: "",
    sex: "unknown",
    pregnant: false,
    arrivedAt: "",
    arrivalMode: "",
    complaint: "",
    onset: "",
    respRate: "",
    spo2: "",
    spo2Scale2: false,
    onOxygen: false,
    systolic: "",
    diastolic: "",
    heartRate: "",
    temperature: "",
    consciousness: "",
    pain: "",
    esiLifesaving: "",
    esiHighRisk: "",
    esiConfusion: "",
    esiDistress: "",
    resources: [],
    resourcesNone: false,
    allergies: "",
    medications: "",
    history: "",
  };
}

// ---------------------------------------------------------------------------
// Numbers, dates and times
// ---------------------------------------------------------------------------

const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * A typed number: null when empty, NaN when it is not a plain decimal number.
 * Full-width digits and a decimal comma (from a Chinese or European keyboard)
 * are read as ASCII.
 */
export function parseNumber(text: string): number | null {
  const clean = text
    .trim()
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．。，,]/g, ".")
    .replace(/^[＋]/, "+")
    .replace(/^[－]/, "-");
  if (clean === "") return null;
  return NUMBER_RE.test(clean) ? Number(clean) : Number.NaN;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/** A YYYY-MM-DD that names a real day, as a local Date at midnight. */
export function parseDate(text: string): Date | null {
  const m = DATE_RE.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(y, mo - 1, d);
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return date;
}

/** A datetime-local value as a local Date. */
export function parseLocalTime(text: string): Date | null {
  const m = LOCAL_TIME_RE.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(y, mo - 1, d, h, mi, s);
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return date;
}

/** The browser's UTC offset at `date`, as ±HH:MM. */
export function offsetText(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? "+" : "-";
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * A datetime-local value with the browser's offset for that moment:
 * 2026-11-28T09:15+08:00 (the backend requires the zone and two-digit fields).
 */
export function withOffset(local: string): string | null {
  const date = parseLocalTime(local);
  if (!date) return null;
  const trimmed = local.trim().replace(/\.\d+$/, "");
  return `${trimmed}${offsetText(date)}`;
}

/** The backend refuses arrival times later than this past its own clock. */
export const ARRIVAL_FUTURE_SLACK_MS = 5 * 60_000;

/**
 * A time the backend sends (saved_at: 2026-11-28T09:15:02.123Z) as a Date.
 * A time without a zone is UTC, as SQLite keeps it. Null when unreadable.
 */
export function parseUtcTime(text: string): Date | null {
  const t = text.trim();
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(t) ? t : `${t.replace(" ", "T")}Z`;
  const d = new Date(zoned);
  return Number.isNaN(d.getTime()) ? null : d;
}

// ---------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------

/**
 * The count the checklist gives: 0 for "none of these", the weighted sum when
 * resources are ticked, and undefined (unanswered) otherwise: a checklist with
 * every box unticked again is not an answer of 0 (that would be ESI 5).
 */
export function expectedResources(form: TriageForm): number | undefined {
  if (form.resourcesNone) return 0;
  const ticked = RESOURCES.filter((r) => form.resources.includes(r.id));
  if (ticked.length === 0) return undefined;
  return ticked.reduce((sum, r) => sum + r.weight, 0);
}

/** The questions still unanswered: while there are any the grade is provisional and cannot be saved. */
export function unansweredOf(grades: Pick<Grades, "unanswered">): string[] {
  return Array.isArray(grades.unanswered) ? grades.unanswered : [];
}

/** A chosen level less urgent than the computed one (ESI and the Chinese grade: 1 is the most urgent). */
export function isDowngrade(computed: { esi: number; cn: number }, finalEsi: number, finalCn: number): boolean {
  return finalEsi > computed.esi || finalCn > computed.cn;
}

/** A yes / no answer for the intake: left out while it is not assessed, never false. */
export function answerValue(answer: Answer): boolean | undefined {
  if (answer === "yes") return true;
  return answer === "no" ? false : undefined;
}

/** The typed age under the key of its unit; the birth date is never turned into an age here. */
function ageFields(age: number | undefined, unit: AgeUnit): Pick<NonNullable<Intake["patient"]>, "age_years" | "age_months" | "age_days"> {
  if (age === undefined) return {};
  if (unit === "days") return { age_days: age };
  return unit === "months" ? { age_months: age } : { age_years: age };
}

// ---------------------------------------------------------------------------
// The intake
// ---------------------------------------------------------------------------

const NUMBER_FIELDS = ["age", "respRate", "spo2", "systolic", "diastolic", "heartRate", "temperature", "pain"] as const;
type NumberField = (typeof NUMBER_FIELDS)[number];

function clientError(code: string): FieldError {
  return { code, field: "", message: "" };
}

function text(value: string): string | undefined {
  const t = value.trim();
  return t === "" ? undefined : t;
}

/** Leaves out keys whose value is undefined, and the object itself when nothing is left. */
function compact<T extends Record<string, unknown>>(obj: T): T | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return Object.keys(out).length > 0 ? (out as T) : undefined;
}

export interface BuiltIntake {
  intake: Intake;
  /** Errors found here; when there are any, nothing is sent. */
  errors: FieldErrors;
}

/**
 * The Intake JSON for the backend: numbers as numbers, empty fields left out,
 * the arrival time with the browser's offset (left out when empty: the backend
 * then takes the time of saving), the age only as typed (the backend works out
 * the age from the birth date), unanswered ESI questions left out. `today` is
 * now: an arrival time after it is refused here.
 */
export function buildIntake(form: TriageForm, today: Date): BuiltIntake {
  const errors: FieldErrors = {};
  const numbers = {} as Record<NumberField, number | undefined>;
  for (const key of NUMBER_FIELDS) {
    const n = parseNumber(form[key]);
    if (n !== null && !Number.isFinite(n)) errors[key] = clientError("not_a_number");
    numbers[key] = n === null || !Number.isFinite(n) ? undefined : n;
  }

  const birthDate = form.birthDate.trim();
  if (birthDate !== "" && parseDate(birthDate) === null) errors.birthDate = clientError("bad_date");

  let arrivedAt: string | undefined;
  if (form.arrivedAt.trim() !== "") {
    const withZone = withOffset(form.arrivedAt);
    const at = parseLocalTime(form.arrivedAt);
    if (withZone === null || at === null) errors.arrivedAt = clientError("bad_time");
    else if (at.getTime() > today.getTime() + ARRIVAL_FUTURE_SLACK_MS) errors.arrivedAt = clientError("future_time");
    else arrivedAt = withZone;
  }

  // Months and days are whole numbers (the backend's schema); a fraction is refused, not rounded.
  if (numbers.age !== undefined && form.ageUnit !== "years" && !Number.isInteger(numbers.age)) {
    errors.age = clientError("not_whole");
  }
  const vitalsGiven =
    numbers.respRate !== undefined ||
    numbers.spo2 !== undefined ||
    numbers.systolic !== undefined ||
    numbers.diastolic !== undefined ||
    numbers.heartRate !== undefined ||
    numbers.temperature !== undefined ||
    form.consciousness !== "";

  const intake: Intake = {
    patient: compact({
      name: text(form.name),
      ...ageFields(numbers.age, form.ageUnit),
      sex: form.sex,
      hospital_id: text(form.hospitalId),
      birth_date: birthDate === "" ? undefined : birthDate,
    }),
    complaint: form.complaint.trim(),
    arrived_at: arrivedAt,
    arrival_mode: text(form.arrivalMode),
    onset: text(form.onset),
    allergies: text(form.allergies),
    medications: text(form.medications),
    // Unticked means "not known to be", so it is left out rather than sent as false.
    pregnant: form.pregnant && form.sex !== "male" ? true : undefined,
    history: text(form.history),
    vitals: compact({
      resp_rate: numbers.respRate,
      spo2: numbers.spo2,
      spo2_scale: form.spo2Scale2 ? (2 as const) : undefined,
      // Room air is only an answer once the nurse is measuring the patient.
      on_oxygen: form.onOxygen ? true : vitalsGiven ? false : undefined,
      systolic_bp: numbers.systolic,
      diastolic_bp: numbers.diastolic,
      heart_rate: numbers.heartRate,
      temperature_c: numbers.temperature,
      consciousness: form.consciousness === "" ? undefined : form.consciousness,
      pain: numbers.pain,
    }),
    esi: {
      lifesaving_intervention: answerValue(form.esiLifesaving),
      high_risk: answerValue(form.esiHighRisk),
      new_confusion: answerValue(form.esiConfusion),
      severe_pain_or_distress: answerValue(form.esiDistress),
      expected_resources: expectedResources(form),
    },
  };
  const clean = compact(intake as unknown as Record<string, unknown>) as unknown as Intake;
  if (clean.esi) clean.esi = compact(clean.esi) ?? {};
  return { intake: clean, errors };
}

// ---------------------------------------------------------------------------
// Backend field errors
// ---------------------------------------------------------------------------

/** The intake's JSON paths, as the backend names them, and the inputs they come from. */
export const FIELD_KEYS: Readonly<Record<string, FieldKey>> = {
  "patient.name": "name",
  "patient.age_years": "age",
  "patient.age_months": "age",
  "patient.age_days": "age",
  "patient.sex": "sex",
  "patient.hospital_id": "hospitalId",
  "patient.birth_date": "birthDate",
  complaint: "complaint",
  arrived_at: "arrivedAt",
  arrival_mode: "arrivalMode",
  onset: "onset",
  allergies: "allergies",
  medications: "medications",
  pregnant: "pregnant",
  history: "history",
  "vitals.resp_rate": "respRate",
  "vitals.spo2": "spo2",
  "vitals.spo2_scale": "spo2Scale2",
  "vitals.on_oxygen": "onOxygen",
  "vitals.systolic_bp": "systolic",
  "vitals.diastolic_bp": "diastolic",
  "vitals.heart_rate": "heartRate",
  "vitals.temperature_c": "temperature",
  "vitals.consciousness": "consciousness",
  "vitals.pain": "pain",
  "esi.lifesaving_intervention": "esiLifesaving",
  "esi.high_risk": "esiHighRisk",
  "esi.new_confusion": "esiConfusion",
  "esi.severe_pain_or_distress": "esiDistress",
  "esi.expected_resources": "resources",
  "decision.reason": "reason",
  "decision.final_cn": "finalCn",
  "decision.final_esi": "finalEsi",
};

/** The JSON path in `details: "field: vitals.heart_rate"`, if there is one. */
export function fieldPathOf(details: unknown): string | null {
  if (typeof details !== "string") return null;
  const m = /^\s*field:\s*([A-Za-z0-9_.]+)\s*$/.exec(details);
  return m ? m[1] : null;
}

/** Which input a backend error is about, when it names one this form has. */
export function fieldErrorOf(error: ApiError): [FieldKey, FieldError] | null {
  const path = error.field ?? fieldPathOf(error.details);
  if (path === null) return null;
  const key = FIELD_KEYS[path];
  if (key === undefined) return null;
  return [key, { code: error.code, field: path, message: error.message }];
}

export function reasonError(reason: string): FieldError | null {
  const trimmed = reason.trim();
  if (trimmed === "") return clientError("reason_required");
  if (charCount(trimmed) > MAX_REASON_CHARS) return clientError("too_long");
  return null;
}

// ---------------------------------------------------------------------------
// Drafts
// ---------------------------------------------------------------------------

/**
 * 2: the arrival time is empty unless the nurse typed one (in 1 it was filled in with the form).
 * 3: the ESI answers are yes / no / not assessed (booleans before), and the age has a unit.
 */
export const DRAFT_VERSION = 3;

export interface TriageDraft {
  version: number;
  form: TriageForm;
}

export function toDraft(form: TriageForm): TriageDraft {
  return { version: DRAFT_VERSION, form };
}

function isResourceId(value: unknown): value is ResourceId {
  return RESOURCES.some((r) => r.id === value);
}

/**
 * An ESI answer from a draft. A version-2 draft kept a checkbox: ticked is
 * "yes", but unticked may only mean the question was never asked, so it is
 * read as not assessed rather than "no".
 */
function answerFromDraft(value: unknown): Answer {
  if (value === true) return "yes";
  return value === "yes" || value === "no" ? value : "";
}

/**
 * The form kept in a draft, taking only fields of the right type (a draft
 * from another version or a damaged one restores what it can).
 */
export function formFromDraft(raw: unknown): TriageForm | null {
  if (typeof raw !== "object" || raw === null) return null;
  const stored = (raw as { form?: unknown }).form;
  if (typeof stored !== "object" || stored === null) return null;
  const src = stored as Record<string, unknown>;
  const form = emptyForm();
  const out = form as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(form)) {
    const v = src[key];
    if (typeof value === "string" && typeof v === "string") out[key] = v;
    else if (typeof value === "boolean" && typeof v === "boolean") out[key] = v;
  }
  if (!SEXES.includes(form.sex)) form.sex = "unknown";
  if (!AGE_UNITS.includes(form.ageUnit)) form.ageUnit = "years";
  for (const q of ESI_QUESTIONS) form[q.key] = answerFromDraft(src[q.key]);
  if (form.consciousness !== "" && !CONSCIOUSNESS_LEVELS.includes(form.consciousness)) form.consciousness = "";
  form.resources = Array.isArray(src.resources) ? src.resources.filter(isResourceId) : [];
  // A version-1 draft's arrival time is most likely the stale default: "now" instead.
  const version = (raw as { version?: unknown }).version;
  if (typeof version !== "number" || version < 2) form.arrivedAt = "";
  return form;
}

// ---------------------------------------------------------------------------
// Display
// ---------------------------------------------------------------------------

/** Local date and time; the stored text when it can't be read. */
export function formatLocalTime(at: string, lang: Lang): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  return d.toLocaleString(lang, { dateStyle: "short", timeStyle: "short" });
}

const DAYS_PER_YEAR = 365.25;

/**
 * An age in years for the board: "28 d" under two months (a 28-day-old is not
 * "0 mo"), "3 mo" under a year, "67 y" after. A bare 0 (typed "0 years") is
 * "< 1 y": it says nothing about days.
 */
export function ageText(t: Dict, age: number | null | undefined): string {
  if (age === null || age === undefined || !Number.isFinite(age) || age < 0) return "";
  if (age === 0) return t.ageUnderOneYear;
  if (age < 2 / 12) return t.ageDaysShort(Math.round(age * DAYS_PER_YEAR));
  if (age < 1) return t.ageMonthsShort(Math.floor(age * 12));
  return t.ageYearsShort(Math.floor(age));
}

/** The age typed on an intake, in the unit it was typed in. */
export function intakeAgeText(t: Dict, patient: Intake["patient"]): string {
  const valid = (n: unknown): n is number => typeof n === "number" && Number.isFinite(n) && n >= 0;
  if (valid(patient?.age_days)) return t.ageDaysShort(Math.floor(patient.age_days));
  if (valid(patient?.age_months)) return t.ageMonthsShort(Math.floor(patient.age_months));
  return ageText(t, patient?.age_years);
}
