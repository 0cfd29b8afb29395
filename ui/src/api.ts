// The one place where the UI talks to the backend.
//
// Everything the UI needs from the Tauri side goes through the `BedsideApi`
// interface. `tauriApi` is the real implementation (Tauri 2 commands plus the
// dialog plugin). A browser implementation for tests can be passed to
// <ApiProvider api={...}> instead, or the Tauri IPC can be mocked with
// `mockIPC` from `@tauri-apps/api/mocks`.

import { Channel, invoke } from "@tauri-apps/api/core";
import { open } from "@tauri-apps/plugin-dialog";

// ---------------------------------------------------------------------------
// Types (field names are exactly the backend's snake_case JSON)
// ---------------------------------------------------------------------------

export interface ModelInfo {
  path: string;
  name: string;
  architecture: string;
  chat_template: boolean;
  /** Where the chat's answers come from: the local model or the admin's remote server. */
  kind?: EngineKind | string;
}

export interface AppInfo {
  version: string;
  data_dir: string;
  model: ModelInfo | null;
  documents: number;
  chunks: number;
  /** Passages with a vector for search by meaning; null without an embedding model. */
  embedded: number | null;
}

export interface ImportedFile {
  path: string;
  document_id: number;
  title: string;
  chunks: number;
  /** Pages, for a PDF. */
  pages?: number;
  /** The earlier version this import replaced (kept, superseded, no longer searched), or null. */
  replaces?: number | null;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface FailedFile {
  path: string;
  code: string;
  message: string;
}

/** What one run of an import job did (a resumed run reports only its own files). */
export interface ImportReport {
  /** The job; a cancelled or interrupted job resumes by this id. */
  job_id: number;
  imported: ImportedFile[];
  skipped: SkippedFile[];
  failed: FailedFile[];
  /** True when `library_import_cancel` stopped the import early; what came before stays imported. */
  cancelled: boolean;
}

export type DocumentLang = "en" | "zh";
export type DocumentFormat = "markdown" | "text" | "html" | "docx" | "pdf";

/** A document in the library, as `library_documents` lists it. */
export interface DocumentRecord {
  id: number;
  sha256: string;
  file_name: string;
  title: string;
  lang: DocumentLang | string;
  format: DocumentFormat | string;
  /** Page count, for a PDF; null for formats without pages. */
  pages: number | null;
  /** Number of passages. */
  chunks: number;
  /** 1 for the first import, then one more for each new version. */
  version: number;
  /** The newer version that replaced this one; superseded documents are not searched. */
  superseded_by: number | null;
  /** UTC, RFC 3339: 2026-11-28T09:15:02.123Z. */
  imported_at: string;
}

export type ImportFileStatus = "imported" | "skipped" | "failed";

export type ImportEvent =
  | {
      type: "started";
      job_id: number;
      /** Files in the job. */
      total: number;
      /** Files already tried in earlier runs (a resumed job). */
      done: number;
      bytes_total: number;
    }
  | {
      type: "file";
      /** 1-based position of the file in the job. */
      index: number;
      total: number;
      path: string;
      status: ImportFileStatus;
      code?: string;
      message?: string;
      /** Its pages, for an imported PDF. */
      pages?: number;
      /** PDF pages the job has imported so far. */
      pages_done: number;
      /** Estimated seconds left; absent until there is enough to estimate from. */
      eta_s?: number;
    }
  | { type: "finished"; report: ImportReport };

/**
 * Where an import job stands. `interrupted`: the window or CLI running it
 * stopped (closed, killed, power cut). Interrupted and cancelled jobs resume.
 */
export type ImportJobState = "running" | "interrupted" | "cancelled" | "done";

/** An import job, as `library_jobs` lists it (newest first). */
export interface ImportJob {
  id: number;
  state: ImportJobState | string;
  /** Username of who started it. */
  created_by: string;
  /** UTC, RFC 3339. */
  created_at: string;
  finished_at: string | null;
  /** Files in the job. */
  files: number;
  /** Files not yet tried. */
  pending: number;
  imported: number;
  skipped: number;
  failed: number;
  bytes: number;
  bytes_done: number;
  /** PDF pages imported. */
  pages: number;
}

export type JobFileStatus = "pending" | ImportFileStatus;

/** One file of an import job and what became of it. */
export interface JobFile {
  /** Position in the job, from 0. */
  ord: number;
  path: string;
  bytes: number;
  status: JobFileStatus | string;
  /** Error code for a failed file; `duplicate` for a skipped one. */
  code: string | null;
  message: string | null;
  document_id: number | null;
  pages: number | null;
  chunks: number | null;
}

/**
 * A document's whole text, for the viewer a citation opens. Offsets (here and
 * in a Chunk) count Unicode code points, not UTF-16 units.
 */
export interface DocumentView {
  document: DocumentRecord;
  text: string;
  /** Offset where page i+1 starts (PDF); empty for formats without pages. */
  page_starts: number[];
}

/** [start, end) offsets in Unicode code points into `snippet`. */
export type HighlightRange = [number, number];

export interface SearchHit {
  chunk_id: string;
  file_name: string;
  title: string;
  section: string;
  page: number | null;
  score: number;
  snippet: string;
  highlights: HighlightRange[];
  /** Cosine similarity to the question; null when the passage has no vector yet. */
  similarity: number | null;
  /** Other documents holding the same passage word for word (one guideline imported twice). */
  also_in: DuplicateOf[];
}

/** A document that holds a search hit's passage too. */
export interface DuplicateOf {
  chunk_id: string;
  doc_id: number;
  file_name: string;
}

export interface SearchResult {
  hits: SearchHit[];
}

export interface Chunk {
  chunk_id: string;
  document_id: number;
  file_name: string;
  title: string;
  section: string;
  page: number | null;
  /** [start_char, end_char) in the document text, in Unicode code points. */
  start_char: number;
  end_char: number;
  text: string;
}

export interface Citation {
  n: number;
  chunk_id: string;
  file_name: string;
  section: string;
  quote: string;
}

export interface AskStats {
  prompt_tokens: number;
  generated_tokens: number;
  ttft_ms: number;
  tok_per_s: number;
}

export type AskEvent =
  /** Sent first: the conversation this question belongs to (a new one when it started it). */
  | { type: "conversation"; conversation_id: number }
  | { type: "token"; text: string }
  | {
      type: "done";
      answer: string;
      stopped: boolean;
      /** The model that answered (a local model's name, or `model @ host` for a remote one). */
      model?: string;
      not_covered?: boolean;
      citations: Citation[];
      stats: AskStats;
      /** The conversation the answer is a turn of (a new one when the question started it). */
      conversation_id?: number | null;
      /**
       * A summary of older turns, written for this question because the
       * conversation no longer fit the model's context (it is stored).
       */
      summary?: string | null;
    };

// ---------------------------------------------------------------------------
// Conversations (the chat's memory)
// ---------------------------------------------------------------------------

/** A conversation as `conversation_list` lists it (the user's own only). */
export interface ConversationRecord {
  id: number;
  user_id: number;
  /** The start of its first question. */
  title: string;
  /** UTC, RFC 3339. */
  created_at: string;
}

/** One question and its stored answer. */
export interface TurnRecord {
  answer_id: number;
  question: string;
  answer: string;
  /** The user message the model read (question and passages). */
  prompt_user: string;
  model: string;
  /** JSON text of the Citation[] the `done` event carried. */
  citations_json: string;
  stopped: boolean;
  /** UTC, RFC 3339. */
  created_at: string;
}

/** Older turns condensed because the conversation no longer fit the model's context. */
export interface SummaryRecord {
  id: number;
  /** The last turn (answer id) the summary covers. */
  through_answer_id: number;
  summary: string;
  model: string;
  /** UTC, RFC 3339. */
  created_at: string;
}

/** A conversation with every turn and summary, oldest first. */
export interface ConversationView extends ConversationRecord {
  turns: TurnRecord[];
  summaries: SummaryRecord[];
}

// ---------------------------------------------------------------------------
// Models and engines (admin)
// ---------------------------------------------------------------------------

/** What a model is used for; each task has its own model and sampling. */
export type TaskName = "chat" | "drafting" | "triage_summary";

export const TASK_NAMES: readonly TaskName[] = ["chat", "drafting", "triage_summary"];

export type EngineKind = "local" | "remote";

export interface Sampling {
  /** 0–2; 0 is greedy (repeatable). */
  temperature: number;
  /** (0, 1]. */
  top_p: number;
  seed: number;
  /** 1–8192. */
  max_tokens: number;
  /** 1–2; 1 is none. */
  repeat_penalty: number;
}

/** Memory needed to run a model, for `n_ctx` tokens of context. */
export interface MemoryPlan {
  n_ctx: number;
  /** The file (memory-mapped). */
  weights_bytes: number;
  /** KV cache for `n_ctx` tokens. */
  kv_bytes: number;
  /** Weights, KV cache and margin. */
  total_bytes: number;
}

/** An imported model, as the registry keeps it. */
export interface ModelRecord {
  id: number;
  name: string;
  /** File name inside the data folder's `models` folder. */
  file_name: string;
  sha256: string;
  size_bytes: number;
  /** `general.architecture` of the GGUF file. */
  architecture: string;
  /** Number of weights. */
  parameters: number;
  quantization: string | null;
  /** Trained context length in tokens. */
  context_length: number | null;
  /** Whether the file carries its own chat template. */
  chat_template: boolean;
  /** The built-in template used when the file has none. */
  template_fallback: string | null;
  kv_bytes_per_token: number | null;
  /** Languages the file states, comma-separated; may be "". */
  languages: string;
  /** The original file's name. */
  source_name: string;
  /** UTC, RFC 3339. */
  imported_at: string;
}

/** A model as the Models page shows it. */
export interface ModelView extends ModelRecord {
  path: string;
  /** Whether the file is still there with its size. */
  present: boolean;
  /** The memory estimate, or why the model does not fit (Rust `Result` as JSON). */
  memory: { Ok: MemoryPlan } | { Err: string };
  /** Tasks that use it. */
  tasks: TaskName[];
}

export interface RemoteView {
  enabled: boolean;
  base_url: string;
  model: string;
  /** The key itself is never sent back. */
  api_key_set: boolean;
  timeout_s: number;
  /** The admin allowed plain http to this URL's host (another computer). */
  allow_http: boolean;
}

/** What a connection test found: the models the server lists and the round trip. */
export interface RemoteProbe {
  models: string[];
  latency_ms: number;
}

/** What an engine is. */
export interface EngineSource {
  kind: EngineKind | string;
  /** The model's name (remote: `model @ host`). */
  name: string;
  model_id: number | null;
  path: string | null;
  /** `gguf` (the file's own template), a fallback's name, or null. */
  template: string | null;
  threads: number | null;
  n_ctx: number | null;
  architecture: string | null;
}

export interface EngineStatus {
  /** The loaded engine, if any. */
  engine: EngineSource | null;
  /** Why none is loaded. */
  error: ApiError | null;
  /** A model is being loaded now (after a login, or for a question). */
  loading: boolean;
}

export interface ModelsOverview {
  models: ModelView[];
  /** The model id chosen per task; a missing task uses the built-in default. */
  tasks: Partial<Record<TaskName, number>>;
  /** Each task's sampling (the backend sends every task). */
  sampling: Partial<Record<TaskName, Sampling>>;
  threads: number;
  max_threads: number;
  /** Minutes an unused model stays in memory; 0 keeps it until it is unloaded. */
  keep_minutes: number;
  remote: RemoteView | null;
  engine: EngineStatus;
  /** The built-in chat templates a model without its own can use. */
  templates: string[];
}

export interface ModelImportArgs {
  path: string;
  name?: string | null;
  /** The expected SHA-256; the import fails with `checksum_mismatch` when the file differs. */
  sha256?: string | null;
}

export type ModelImportEvent = { type: "progress"; copied: number; total: number };

export interface RemoteArgs {
  enabled: boolean;
  baseUrl: string;
  model: string;
  /** null keeps the stored key (for the same server only: scheme, host and port), "" removes it. */
  apiKey: string | null;
  timeoutS: number;
  /** "Allow unencrypted http to this host": needed for plain http to another computer. */
  allowHttp?: boolean;
}

// ---------------------------------------------------------------------------
// Accounts, session and audit
// ---------------------------------------------------------------------------

export type Role = "nurse" | "clinician" | "admin";

export const ROLES: readonly Role[] = ["nurse", "clinician", "admin"];

/** Which screen the window shows. */
export type SessionStage =
  | "needs_setup"
  | "needs_passphrase"
  | "db_error"
  | "needs_login"
  | "locked"
  | "change_password"
  | "active";

/** The logged-in user. */
export interface Actor {
  user_id: number;
  username: string;
  display_name: string;
  role: Role;
  /** An admin set the password: the user must choose their own before anything else. */
  must_change_password: boolean;
}

/** The session as the backend sees it (this one is camelCase). */
export interface SessionView {
  stage: SessionStage;
  user: Actor | null;
  idleLockMinutes: number;
  /** During set-up: whether the database key still has to be chosen. */
  needsKey: boolean;
  error: ApiError | null;
  /** For an admin: what the audit check at start found, when it failed. */
  auditAlarm: AuditCheck | null;
  /** For an admin: failed checks no admin has acknowledged yet, newest first. */
  pendingAuditAlarms: AuditRecord[];
}

export interface SetupRequest {
  /** The database passphrase, unless `useKeyFile`. */
  passphrase?: string;
  useKeyFile: boolean;
  username: string;
  displayName: string;
  password: string;
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  password: string;
}

export interface UserRecord {
  id: number;
  username: string;
  display_name: string;
  role: string;
  disabled: boolean;
  failed_logins: number;
  /** Unix seconds until which logins are refused. */
  locked_until: number | null;
  created_at: string;
  /** The password was set by an admin and not yet changed by its owner. */
  must_change_password: boolean;
}

export type AuditOutcome = "ok" | "denied" | "failed";

export interface AuditRecord {
  id: number;
  /** UTC, RFC 3339. */
  at: string;
  username: string;
  role: string;
  action: string;
  object_kind: string;
  object_id: string;
  outcome: string;
  /** JSON text. */
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface AuditQuery {
  username?: string;
  action?: string;
  outcome?: string;
  since?: string;
  until?: string;
  /** Only rows older than this id (paging backwards). */
  beforeId?: number;
  limit?: number;
}

export interface ChainReport {
  rows: number;
  head_id: number;
  head_hash: string;
  first_broken: number | null;
  reason: string | null;
}

/** The log against the head written down beside the data directory (`store::HeadCheck`). */
export type HeadCheck =
  | { state: "matches"; recorded_id: number; recorded_at: string }
  | { state: "not_yet_recorded" }
  | { state: "file_missing"; path: string }
  | { state: "rows_missing"; recorded_id: number; recorded_at: string; head_id: number }
  | { state: "differs"; recorded_id: number; recorded_at: string }
  | { state: "unreadable"; reason: string }
  | { state: "unwritable"; path: string; reason: string };

/** A clinical record named by the record check. */
export interface RecordRef {
  kind: string;
  id: number;
}

/** The clinical records against the digests in their audit rows (`store::RecordCheck`). */
export interface RecordCheck {
  checked: number;
  unsealed: number;
  altered: RecordRef[];
}

/** The chain, its head and the records (`clinic::AuditCheck`). */
export interface AuditCheck extends ChainReport {
  intact: boolean;
  head: HeadCheck;
  records: RecordCheck;
}

/** What the backend rejects with: `{code, message, field?, details}`. */
export interface ApiError {
  code: string;
  message: string;
  /** The input at fault, as named in the request's JSON (`vitals.heart_rate`). */
  field?: string;
  details?: unknown;
}

// ---------------------------------------------------------------------------
// Triage
// ---------------------------------------------------------------------------

export type Sex = "female" | "male" | "other" | "unknown";
export type Consciousness = "alert" | "confusion" | "voice" | "pain" | "unresponsive";

/** The intake form as the backend reads it; empty fields are left out. */
export interface Intake {
  patient?: {
    name?: string;
    /** The age as the nurse typed it, in one of three units (at most one is sent). */
    age_years?: number;
    /** 0-365, for an infant aged in days. */
    age_days?: number;
    /** 0-23, for a child aged in months. */
    age_months?: number;
    sex?: Sex;
    hospital_id?: string;
    /** YYYY-MM-DD; the backend turns it into an age (the window never does). */
    birth_date?: string;
  };
  complaint: string;
  /** Local time with its offset, e.g. 2026-11-28T09:15+08:00; now when left out. */
  arrived_at?: string;
  arrival_mode?: string;
  onset?: string;
  allergies?: string;
  medications?: string;
  pregnant?: boolean;
  history?: string;
  vitals?: {
    resp_rate?: number;
    spo2?: number;
    /** 2 only for a prescribed hypercapnic target. */
    spo2_scale?: 1 | 2;
    on_oxygen?: boolean;
    systolic_bp?: number;
    diastolic_bp?: number;
    heart_rate?: number;
    temperature_c?: number;
    consciousness?: Consciousness;
    pain?: number;
  };
  /** Decision points A and B: true (yes), false (no), left out (not assessed). */
  esi?: {
    lifesaving_intervention?: boolean;
    high_risk?: boolean;
    new_confusion?: boolean;
    severe_pain_or_distress?: boolean;
    expected_resources?: number;
  };
}

export type News2Risk = "low" | "low-medium" | "medium" | "high";

export interface News2Parameter {
  value: string;
  /** The value in Chinese words (ACVPU, air/oxygen, 次/分). */
  value_zh: string;
  points: number;
  rule: string;
  /** The band in Chinese words ("吸氧", "清醒"); numbers as in `rule`. */
  rule_zh: string;
}

export interface News2Grade {
  score: number;
  risk: News2Risk | string;
  complete: boolean;
  spo2_scale: number;
  /** Keys: resp_rate, spo2, air_or_oxygen, systolic_bp, heart_rate, consciousness, temperature. */
  parameters: Record<string, News2Parameter>;
  missing: string[];
  /** Why NEWS2 is not validated for this patient ("under_16", "pregnancy"); empty when it is. */
  not_validated: string[];
}

export interface EsiStep {
  /** A, B, C, D, or "floor" (Bedside's safety floor). */
  point: string;
  answer: string;
  /** The same in Chinese. */
  answer_zh: string;
}

export interface EsiGrade {
  /** After the safety floor. */
  level: number;
  /** What the published algorithm gave on its own. */
  algorithm_level: number;
  path: EsiStep[];
  danger_zone: string[];
  danger_zone_zh: string[];
  /** "Consider ESI n" prompts (paediatric fever); they do not change the level. */
  consider: EsiStep[];
}

/** The badge colour of a Chinese grade: Ⅰ red, Ⅱ orange, Ⅲ yellow, Ⅳ green. */
export type CnColour = "red" | "orange" | "yellow" | "green";

export interface CnGrade {
  /** After the safety floor. */
  level: number;
  /** What the published rules gave on their own. */
  algorithm_level: number;
  name_zh: string;
  name_en: string;
  /** The area of the department: red, yellow or green (Ⅱ级 is seen in the red zone). */
  zone: "red" | "yellow" | "green" | string;
  colour: CnColour | string;
  response_minutes: number;
  /** The rules that fired, in order. */
  path: string[];
  /** The same in Chinese. */
  path_zh: string[];
  /** The indicators that fired. */
  indicators: FloorHit[];
  unverified: string[];
  unverified_zh: string[];
}

export interface TriageWarning {
  /** The intake field, as a JSON path (vitals.spo2). */
  field: string;
  message: string;
}

/** A rule that fired: a Chinese-grade indicator or a safety-floor row. */
export interface FloorHit {
  id: string;
  text: string;
  text_zh: string;
  esi: number | null;
  cn: number | null;
  verified: boolean;
  source: string;
}

/** Bedside's safety floor: the most urgent levels the patient may be given, and why. */
export interface SafetyFloor {
  esi: number | null;
  cn: number | null;
  hits: FloorHit[];
}

export type AgeBasis = "birth_date" | "birth_date_today" | "days" | "months" | "years";

/** The age the rules used, as a range of days. */
export interface AgeUsed {
  min_days: number;
  max_days: number;
  basis: AgeBasis | string;
  text: string;
  text_zh: string;
}

export interface Grades {
  news2: News2Grade;
  esi: EsiGrade;
  cn: CnGrade;
  floor: SafetyFloor;
  age: AgeUsed | null;
  /**
   * Intake paths of unanswered questions (esi.lifesaving_intervention…):
   * while any are left the grade is provisional and cannot be saved.
   */
  unanswered: string[];
  warnings: TriageWarning[];
}

/** The model's help, kept as the backend sent it (it is passed back on save). */
export interface Assist {
  summary: string;
  department: string;
  questions: string[];
  red_flags: string[];
  proposal: { esi_level?: unknown; cn_level?: unknown; reason?: unknown };
  model: string;
  prompt_version: string;
  stats: unknown;
}

export interface Suggested {
  esi: number;
  cn: number;
  raised_by_model: boolean;
  reason: string | null;
}

export interface Assessment {
  /** The id the save names; the suggestion itself is never sent back. */
  id: number | null;
  grades: Grades;
  assist: Assist | null;
  suggested: Suggested;
  assist_error: ApiError | null;
}

/** The nurse's decision; levels left out accept the suggestion. */
export interface TriageDecision {
  finalEsi?: number;
  finalCn?: number;
  reason?: string;
}

export interface SavedTriage {
  encounter_id: number;
  patient_id: number;
  grades: Grades;
  suggested: Suggested;
  final_esi: number;
  final_cn: number;
  overridden: boolean;
  /** The final level is less urgent than the computed one. */
  downgraded: boolean;
  response_minutes: number;
}

export interface BoardRow {
  encounter_id: number;
  name: string;
  sex: string;
  age_years: number | null;
  /** The age as the rules read it ("27 days"), in English and Chinese; null for older records. */
  age_text: string | null;
  age_text_zh: string | null;
  hospital_id: string | null;
  complaint: string;
  /** The final Chinese grade, 1-4. */
  level: number;
  level_name_zh: string;
  level_name_en: string;
  zone: string;
  /** The badge colour: red, orange, yellow, green. */
  colour: string;
  esi: number;
  news2_score: number;
  news2_risk: string;
  news2_complete: boolean;
  arrived_at: string;
  /** When triage ended (UTC). */
  triaged_at: string;
  /** Counted from the end of triage (triaged_at), not from arrival. */
  waiting_minutes: number;
  response_minutes: number;
  /** Waiting has reached the target. */
  retriage_due: boolean;
  overridden: boolean;
  downgraded: boolean;
  triaged_by: string;
}

export interface EncounterRecord {
  id: number;
  patient_id: number;
  hospital_id: string | null;
  name: string;
  sex: string;
  birth_date: string | null;
  status: string;
  arrived_at: string;
  arrival_mode: string;
  complaint: string;
  /** JSON text of the Intake. */
  intake_json: string;
  /** JSON text of the Grades. */
  grades_json: string;
  /** JSON text of the Assist, when the model helped. */
  assist_json: string | null;
  computed_esi: number;
  computed_cn: number;
  suggested_esi: number;
  suggested_cn: number;
  final_esi: number;
  final_cn: number;
  override_reason: string | null;
  response_minutes: number;
  news2_score: number;
  news2_risk: string;
  news2_complete: boolean;
  triaged_by: string;
  triaged_at: string;
}

export interface ObservationRecord {
  system: string;
  code: string;
  display: string;
  value: number | null;
  value_text: string | null;
  unit: string;
  recorded_at: string;
}

/** The kept intake form, as `triage_draft_load` returns it. */
export interface KeptDraft {
  /** The form JSON as it was saved (see triage.ts `toDraft`). */
  draft: unknown;
  /** When it was kept, UTC: 2026-11-28T09:15:02.123Z. */
  saved_at: string;
}

export interface EncounterView {
  encounter: EncounterRecord;
  observations: ObservationRecord[];
}

/** A rule-table row not yet verified against its primary document. */
export interface UnverifiedRow {
  table: "news2" | "esi" | "cn" | string;
  row: string;
  /** The row in Chinese, for the zh-CN window. */
  row_zh: string;
  source: string;
}

export interface BedsideApi {
  appInfo(): Promise<AppInfo>;
  libraryImport(paths: string[], onEvent: (event: ImportEvent) => void): Promise<ImportReport>;
  /**
   * Goes on with the files an interrupted or cancelled job has left (admin
   * only). Rejects with `import_running` when another window or the CLI runs
   * it, `import_finished` when nothing is left.
   */
  libraryImportResume(jobId: number, onEvent: (event: ImportEvent) => void): Promise<ImportReport>;
  /**
   * Asks this window's running import (a new one or a resumed one) to stop
   * after the file in progress (admin only). The import still finishes
   * normally, its report with `cancelled: true`.
   */
  libraryImportCancel(): Promise<void>;
  /** The latest import jobs, newest first (admin only). */
  libraryJobs(): Promise<ImportJob[]>;
  /** One job's files, in job order (admin only). */
  libraryJobFiles(jobId: number): Promise<JobFile[]>;
  /** A document's whole text and page starts, for the viewer. */
  libraryDocument(id: number): Promise<DocumentView>;
  librarySearch(query: string, limit?: number): Promise<SearchResult>;
  libraryChunk(chunkId: string): Promise<Chunk>;
  /** Every document, newest first, superseded versions included. */
  libraryDocuments(): Promise<DocumentRecord[]>;
  /**
   * Deletes a document (admin only). When it was a newer version, the
   * version it replaced becomes current and searchable again.
   */
  libraryDelete(id: number): Promise<void>;
  /**
   * Imports `path` as the next version of current document `id` (admin only),
   * whatever the file is called: a new edition of a guideline often comes
   * with a new file name, which a plain import would take for a new document.
   * Rejects with `invalid_input` when `id` was already replaced,
   * `already_exists` when the same content is already in the library, or any
   * import error code.
   */
  libraryReplace(id: number, path: string): Promise<ImportedFile>;
  /**
   * Resolves once generation has ended and the `done` event (if the backend
   * sent one) has been delivered to `onEvent`. `conversationId` continues that
   * conversation (the model sees its earlier turns); null starts a new one,
   * whose id the `done` event carries.
   */
  ask(question: string, conversationId: number | null, onEvent: (event: AskEvent) => void): Promise<void>;
  askCancel(): Promise<void>;
  /** The user's own conversations, newest first. */
  conversationList(): Promise<ConversationRecord[]>;
  /** One of the user's conversations; `not_found` for a missing one or someone else's. */
  conversationGet(id: number): Promise<ConversationView>;

  sessionState(): Promise<SessionView>;
  setupFirstRun(setup: SetupRequest): Promise<SessionView>;
  unlockDatabase(passphrase: string): Promise<SessionView>;
  login(username: string, password: string): Promise<SessionView>;
  logout(): Promise<SessionView>;
  lockSession(): Promise<SessionView>;
  unlockSession(password: string): Promise<SessionView>;
  passwordChange(current: string, newPassword: string): Promise<SessionView>;
  /** Tells the backend the user is at the keyboard. */
  sessionTouch(): Promise<void>;

  userList(): Promise<UserRecord[]>;
  userAdd(account: NewAccount): Promise<UserRecord>;
  userSetDisabled(username: string, disabled: boolean): Promise<void>;
  userResetPassword(username: string, password: string): Promise<void>;
  /** Newest first. */
  auditList(query: AuditQuery): Promise<AuditRecord[]>;
  auditVerify(): Promise<AuditCheck>;
  /** An admin takes on the audit alarms up to row `upTo`; recorded. */
  auditAlarmAck(upTo: number): Promise<SessionView>;
  settingsSetIdleLock(minutes: number): Promise<SessionView>;

  /**
   * Grades an intake. With `useModel` the local model also helps (10–60 s);
   * `askCancel` stops it, and the computed grades still come back.
   */
  triageAssess(intake: Intake, useModel?: boolean): Promise<Assessment>;
  /**
   * `assessment`: the id of the assessment the nurse saw (`Assessment.id`); the model's help
   * is read from it by the backend. An assessment of another form, an old or a used one is
   * refused with `assessment_stale`.
   */
  triageSave(intake: Intake, assessment: number, decision: TriageDecision): Promise<SavedTriage>;
  /** Most urgent level first, then by arrival. */
  triageBoard(): Promise<BoardRow[]>;
  encounterGet(id: number): Promise<EncounterView>;
  /** The patient is called in and leaves the board. */
  encounterCallIn(id: number): Promise<void>;
  triageDraftSave(draft: unknown): Promise<void>;
  /**
   * The kept form and when it was kept, or null. The backend discards drafts
   * older than 12 hours, and an explicit logout deletes the user's draft.
   */
  triageDraftLoad(): Promise<KeptDraft | null>;
  triageDraftDiscard(): Promise<void>;
  triageRules(): Promise<UnverifiedRow[]>;

  /** Everything the Models page shows (admin only). */
  modelsOverview(): Promise<ModelsOverview>;
  /**
   * Copies a GGUF file into the data folder and registers it (admin only).
   * `modelImportCancel` stops it; the promise then rejects with `cancelled`.
   */
  modelImport(args: ModelImportArgs, onEvent: (event: ModelImportEvent) => void): Promise<ModelRecord>;
  modelImportCancel(): Promise<void>;
  modelRename(id: number, name: string): Promise<void>;
  /** Rejects with `in_use` while a task uses the model. */
  modelRemove(id: number): Promise<void>;
  /** The built-in template for a model without its own; null for none. */
  modelSetTemplate(id: number, template: string | null): Promise<void>;
  /** The model a task uses; null for the built-in default. */
  modelUse(taskName: TaskName, modelId: number | null): Promise<void>;
  modelSamplingSet(taskName: TaskName, sampling: Sampling): Promise<void>;
  engineThreadsSet(threads: number): Promise<void>;
  /** How long an unused model stays in memory; 0 keeps it. */
  engineKeepSet(minutes: number): Promise<void>;
  engineRemoteSet(args: RemoteArgs): Promise<void>;
  /** Tries the settings in the form without saving them (apiKey null: the stored key). */
  engineRemoteTest(args: RemoteArgs): Promise<RemoteProbe>;
  /** Loads the chat's engine now rather than at the next question. */
  engineLoad(): Promise<EngineStatus>;
  /** Frees the model's memory until the next question. */
  engineUnload(): Promise<EngineStatus>;

  /** Native file picker; resolves to [] when cancelled. */
  pickFiles(): Promise<string[]>;
  /** Native folder picker; resolves to null when cancelled. */
  pickFolder(): Promise<string | null>;
  /** Native picker for one document file (the import's types); resolves to null when cancelled. */
  pickDocumentFile(): Promise<string | null>;
  /** Native picker for one GGUF model file; resolves to null when cancelled. */
  pickModelFile(): Promise<string | null>;
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/** Turns whatever a rejected promise carried into an ApiError. */
export function toApiError(value: unknown): ApiError {
  if (isApiError(value)) {
    const field = (value as { field?: unknown }).field;
    return {
      code: value.code,
      message: value.message,
      ...(typeof field === "string" ? { field } : {}),
      details: value.details,
    };
  }
  if (typeof value === "string") {
    return { code: "error", message: value };
  }
  if (value instanceof Error) {
    return { code: "error", message: value.message || String(value) };
  }
  try {
    return { code: "error", message: JSON.stringify(value) };
  } catch {
    return { code: "error", message: String(value) };
  }
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toApiError(e);
  }
}

// Channel messages and the command's own reply travel separately, so the reply
// can come first. After `ask` returns, wait this long for the `done` event.
const DONE_GRACE_MS = 2000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejections that mean the session changed under the window: ask for its state again. */
export const SESSION_GATE_CODES: ReadonlySet<string> = new Set([
  "session_locked",
  "not_authenticated",
  // The backend ended the session: an admin disabled the account or reset its password.
  "account_disabled",
  // An admin set the password: the window must show the change form first.
  "password_change_required",
  "password_changed",
]);

/**
 * The same API, but any call that rejects with a session gate code (locked,
 * not logged in) also reports it to `onGate`, so the window can refresh the
 * session and show the lock or login screen. The rejection still reaches the
 * caller unchanged.
 */
export function watchSessionGate(api: BedsideApi, onGate: (error: ApiError) => void): BedsideApi {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((e: unknown) => {
          const err = toApiError(e);
          if (SESSION_GATE_CODES.has(err.code)) onGate(err);
          throw e;
        });
      };
    },
  });
}

export const FILE_FILTERS = [
  { name: "Documents", extensions: ["pdf", "md", "markdown", "txt", "html", "htm", "docx"] },
];

export const MODEL_FILE_FILTERS = [{ name: "GGUF models", extensions: ["gguf"] }];

// ---------------------------------------------------------------------------
// Tauri implementation
// ---------------------------------------------------------------------------

export const tauriApi: BedsideApi = {
  appInfo() {
    return call<AppInfo>("app_info");
  },

  libraryImport(paths, onEvent) {
    const channel = new Channel<ImportEvent>(onEvent);
    return call<ImportReport>("library_import", { paths, onEvent: channel });
  },

  libraryImportResume(jobId, onEvent) {
    const channel = new Channel<ImportEvent>(onEvent);
    return call<ImportReport>("library_import_resume", { jobId, onEvent: channel });
  },

  async libraryImportCancel() {
    await call<null>("library_import_cancel");
  },

  libraryJobs() {
    return call<ImportJob[]>("library_jobs");
  },

  libraryJobFiles(jobId) {
    return call<JobFile[]>("library_job_files", { jobId });
  },

  libraryDocument(id) {
    return call<DocumentView>("library_document", { id });
  },

  librarySearch(query, limit) {
    const args: Record<string, unknown> = { query };
    if (limit !== undefined) args.limit = limit;
    return call<SearchResult>("library_search", args);
  },

  libraryChunk(chunkId) {
    return call<Chunk>("library_chunk", { chunkId });
  },

  libraryDocuments() {
    return call<DocumentRecord[]>("library_documents");
  },

  async libraryDelete(id) {
    await call<null>("library_delete", { id });
  },

  libraryReplace(id, path) {
    return call<ImportedFile>("library_replace", { id, path });
  },

  async ask(question, conversationId, onEvent) {
    let sawDone = false;
    let resolveDone: () => void = () => {};
    const donePromise = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    const channel = new Channel<AskEvent>((event) => {
      onEvent(event);
      if (event.type === "done") {
        sawDone = true;
        resolveDone();
      }
    });
    await call<void>("ask", { question, conversationId, onEvent: channel });
    if (!sawDone) {
      await Promise.race([donePromise, delay(DONE_GRACE_MS)]);
    }
  },

  askCancel() {
    return call<void>("ask_cancel");
  },

  conversationList() {
    return call<ConversationRecord[]>("conversation_list");
  },

  conversationGet(id) {
    return call<ConversationView>("conversation_get", { id });
  },

  sessionState() {
    return call<SessionView>("session_state");
  },

  setupFirstRun(setup) {
    return call<SessionView>("setup_first_run", { setup });
  },

  unlockDatabase(passphrase) {
    return call<SessionView>("unlock_database", { passphrase });
  },

  login(username, password) {
    return call<SessionView>("login", { username, password });
  },

  logout() {
    return call<SessionView>("logout");
  },

  lockSession() {
    return call<SessionView>("lock_session");
  },

  unlockSession(password) {
    return call<SessionView>("unlock_session", { password });
  },

  passwordChange(current, newPassword) {
    return call<SessionView>("password_change", { current, newPassword });
  },

  async sessionTouch() {
    await call<null>("session_touch");
  },

  userList() {
    return call<UserRecord[]>("user_list");
  },

  userAdd(account) {
    return call<UserRecord>("user_add", { account });
  },

  async userSetDisabled(username, disabled) {
    await call<null>("user_set_disabled", { username, disabled });
  },

  async userResetPassword(username, password) {
    await call<null>("user_reset_password", { username, password });
  },

  auditList(query) {
    return call<AuditRecord[]>("audit_list", { query });
  },

  auditVerify() {
    return call<AuditCheck>("audit_verify");
  },

  auditAlarmAck(upTo) {
    return call<SessionView>("audit_alarm_ack", { upTo });
  },

  settingsSetIdleLock(minutes) {
    return call<SessionView>("settings_set_idle_lock", { minutes });
  },

  triageAssess(intake, useModel) {
    const args: Record<string, unknown> = { intake };
    if (useModel) args.useModel = true;
    return call<Assessment>("triage_assess", args);
  },

  triageSave(intake, assessment, decision) {
    return call<SavedTriage>("triage_save", { intake, assessment, decision });
  },

  triageBoard() {
    return call<BoardRow[]>("triage_board");
  },

  encounterGet(id) {
    return call<EncounterView>("encounter_get", { id });
  },

  async encounterCallIn(id) {
    await call<null>("encounter_call_in", { id });
  },

  async triageDraftSave(draft) {
    await call<null>("triage_draft_save", { draft });
  },

  async triageDraftLoad() {
    return (await call<KeptDraft | null>("triage_draft_load")) ?? null;
  },

  async triageDraftDiscard() {
    await call<null>("triage_draft_discard");
  },

  triageRules() {
    return call<UnverifiedRow[]>("triage_rules");
  },

  modelsOverview() {
    return call<ModelsOverview>("models_overview");
  },

  modelImport(args, onEvent) {
    const channel = new Channel<ModelImportEvent>(onEvent);
    return call<ModelRecord>("model_import", { args, onEvent: channel });
  },

  async modelImportCancel() {
    await call<null>("model_import_cancel");
  },

  async modelRename(id, name) {
    await call<null>("model_rename", { id, name });
  },

  async modelRemove(id) {
    await call<null>("model_remove", { id });
  },

  async modelSetTemplate(id, template) {
    await call<null>("model_set_template", { id, template });
  },

  async modelUse(taskName, modelId) {
    await call<null>("model_use", { taskName, modelId });
  },

  async modelSamplingSet(taskName, sampling) {
    await call<null>("model_sampling_set", { taskName, sampling });
  },

  async engineThreadsSet(threads) {
    await call<null>("engine_threads_set", { threads });
  },

  async engineKeepSet(minutes) {
    await call<null>("engine_keep_set", { minutes });
  },

  async engineRemoteSet(args) {
    await call<null>("engine_remote_set", { args });
  },

  engineRemoteTest(args) {
    return call<RemoteProbe>("engine_remote_test", { args });
  },

  engineLoad() {
    return call<EngineStatus>("engine_load");
  },

  engineUnload() {
    return call<EngineStatus>("engine_unload");
  },

  async pickFiles() {
    try {
      const picked = await open({ multiple: true, directory: false, filters: FILE_FILTERS });
      if (picked === null) return [];
      return Array.isArray(picked) ? picked : [picked];
    } catch (e) {
      throw toApiError(e);
    }
  },

  async pickFolder() {
    try {
      const picked = await open({ multiple: false, directory: true, recursive: true });
      if (picked === null) return null;
      return Array.isArray(picked) ? (picked[0] ?? null) : picked;
    } catch (e) {
      throw toApiError(e);
    }
  },

  async pickDocumentFile() {
    try {
      const picked = await open({ multiple: false, directory: false, filters: FILE_FILTERS });
      if (picked === null) return null;
      return Array.isArray(picked) ? (picked[0] ?? null) : picked;
    } catch (e) {
      throw toApiError(e);
    }
  },

  async pickModelFile() {
    try {
      const picked = await open({ multiple: false, directory: false, filters: MODEL_FILE_FILTERS });
      if (picked === null) return null;
      return Array.isArray(picked) ? (picked[0] ?? null) : picked;
    } catch (e) {
      throw toApiError(e);
    }
  },
};
