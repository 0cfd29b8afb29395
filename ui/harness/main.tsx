import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "../src/App";
import type { ApiError, AuditRecord, BedsideApi, SessionView, UserRecord, Actor, Role } from "../src/api";
import { ApiProvider } from "../src/apiContext";
import { I18nProvider } from "../src/i18n";
import "../src/styles.css";

const params = new URLSearchParams(location.search);
type Stage = SessionView["stage"];
const m = {
  stage: (params.get("stage") ?? "needs_login") as Stage,
  needsKey: params.get("needsKey") !== "0",
  actor: null as Actor | null,
  locked: false,
  idle: 5,
  calls: [] as string[],
  users: [
    { id: 1, username: "admin", display_name: "Ada Admin", role: "admin", disabled: false, failed_logins: 0, locked_until: null, created_at: "2026-01-01" },
    { id: 2, username: "nina", display_name: "Nina Nurse", role: "nurse", disabled: false, failed_logins: 0, locked_until: null, created_at: "2026-01-01" },
    { id: 3, username: "lock", display_name: "Locked Out", role: "clinician", disabled: false, failed_logins: 5, locked_until: Math.floor(Date.now() / 1000) + 600, created_at: "2026-01-01" },
  ] as UserRecord[],
  passwords: { admin: "adminpass1", nina: "ninapass1", lock: "lockpass1" } as Record<string, string>,
  audit: [] as AuditRecord[],
  broken: false,
};
for (let i = 1; i <= 120; i++) {
  m.audit.push({ id: i, at: `2026-11-28T10:${String(i % 60).padStart(2, "0")}:00.000Z`, username: i % 3 ? "admin" : "nina", role: i % 3 ? "admin" : "nurse",
    action: i % 2 ? "login" : "ask", object_kind: i % 2 ? "user" : "question", object_id: String(i), outcome: i % 7 === 0 ? "denied" : i % 11 === 0 ? "failed" : "ok",
    detail: JSON.stringify({ n: i, note: "<b>not html</b> " + "x".repeat(i % 5 === 0 ? 200 : 3) }), prev_hash: "p", hash: "abcdef0123456789" + i });
}
(window as unknown as { __mock: typeof m }).__mock = m;

const err = (code: string, message = code): ApiError => ({ code, message });
const view = (): SessionView => {
  let stage = m.stage;
  if (stage === "active" || stage === "locked" || stage === "needs_login") {
    stage = !m.actor ? "needs_login" : m.locked ? "locked" : "active";
  }
  return { stage, user: m.actor, idleLockMinutes: m.idle, needsKey: m.needsKey, error: stage === "db_error" ? err("db_tampered", "the database was altered") : null };
};
const gate = (name: string, admin = false) => {
  m.calls.push(name);
  if (!m.actor) throw err("not_authenticated", "log in first");
  if (m.locked) throw err("session_locked", "the session is locked after inactivity");
  if (admin && m.actor.role !== "admin") throw err("forbidden", "a nurse may not do that");
};
const actorOf = (u: UserRecord): Actor => ({ user_id: u.id, username: u.username, display_name: u.display_name, role: u.role as Role });
const wait = (ms = 30) => new Promise((r) => setTimeout(r, ms));

const api: BedsideApi = {
  async appInfo() { gate("app_info"); return { version: "0.2.0", data_dir: "/d", model: { path: "/m", name: "tiny", architecture: "qwen2", chat_template: true }, documents: 3, chunks: 40 }; },
  async libraryImport() { gate("library_import", true); return { imported: [], skipped: [], failed: [] }; },
  async librarySearch() { gate("library_search"); return { hits: [] }; },
  async libraryChunk() { gate("library_chunk"); throw err("not_found"); },
  async ask(q, onEvent) { gate("ask"); await wait(); onEvent({ type: "token", text: "Answer to " + q }); onEvent({ type: "done", answer: "Answer to " + q, stopped: false, citations: [], stats: { prompt_tokens: 1, generated_tokens: 1, ttft_ms: 1, tok_per_s: 1 } }); },
  async askCancel() { gate("ask_cancel"); },
  async pickFiles() { return []; },
  async pickFolder() { return null; },
  async sessionState() { m.calls.push("session_state"); await wait(5); return view(); },
  async setupFirstRun(s) {
    m.calls.push("setup_first_run:" + JSON.stringify(s)); await wait();
    if (s.username === "bad name ") throw err("invalid_username", "invalid user name: spaces at the start or end");
    const u = { id: 9, username: s.username, display_name: s.displayName || s.username, role: "admin", disabled: false, failed_logins: 0, locked_until: null, created_at: "x" };
    m.users.push(u); m.passwords[s.username] = s.password; m.stage = "active"; m.actor = actorOf(u); return view();
  },
  async unlockDatabase(p) { m.calls.push("unlock_database"); await wait(); if (p !== "correct horse battery") throw err("db_cannot_decrypt", "cannot decrypt"); m.stage = "needs_login"; return view(); },
  async login(username, password) {
    m.calls.push("login"); await wait(); m.actor = null;
    const u = m.users.find((x) => x.username === username);
    if (u?.username === "lock") throw err("account_locked", "the account is locked after repeated failed logins; try again in 600 s or ask an admin");
    if (!u || m.passwords[username] !== password) throw err("bad_credentials", "wrong user name or password");
    if (u.disabled) throw err("account_disabled");
    m.actor = actorOf(u); m.locked = false; return view();
  },
  async logout() { m.calls.push("logout"); m.actor = null; m.locked = false; return view(); },
  async lockSession() { gate("lock_session"); m.locked = true; return view(); },
  async unlockSession(p) { m.calls.push("unlock_session"); await wait(); if (!m.actor) throw err("not_authenticated"); if (m.passwords[m.actor.username] !== p) throw err("bad_credentials", "wrong user name or password"); m.locked = false; return view(); },
  async sessionTouch() { gate("session_touch"); },
  async userList() { gate("user_list", true); return m.users.map((u) => ({ ...u })); },
  async userAdd(a) { gate("user_add", true); if (m.users.some((u) => u.username === a.username)) throw err("already_exists", "user already exists"); if (a.password.length < 8) throw err("weak_password"); const u = { id: m.users.length + 10, username: a.username, display_name: a.displayName, role: a.role, disabled: false, failed_logins: 0, locked_until: null, created_at: "x" }; m.users.push(u); m.passwords[a.username] = a.password; return u; },
  async userSetDisabled(name, d) { gate("user_set_disabled", true); if (name === "admin" && d) throw err("invalid_input", "invalid input: the last enabled admin cannot be disabled"); m.users.find((u) => u.username === name)!.disabled = d; },
  async userResetPassword(name, p) { gate("user_reset_password:" + name + ":" + p, true); m.passwords[name] = p; const u = m.users.find((x) => x.username === name)!; u.locked_until = null; },
  async auditList(q) {
    gate("audit_list:" + JSON.stringify(q), true);
    return m.audit.filter((r) => (!q.username || r.username === q.username) && (!q.action || r.action === q.action) && (!q.outcome || r.outcome === q.outcome) && (q.beforeId === undefined || r.id < q.beforeId))
      .sort((a, b) => b.id - a.id).slice(0, q.limit ?? 100);
  },
  async auditVerify() { gate("audit_verify", true); return m.broken ? { rows: 120, head_id: 120, head_hash: "abc", first_broken: 57, reason: "hash mismatch" } : { rows: 120, head_id: 120, head_hash: "0123456789abcdef0123", first_broken: null, reason: null }; },
  async settingsSetIdleLock(min) { gate("settings_set_idle_lock", true); if (min < 1 || min > 60) throw err("invalid_input"); m.idle = min; return view(); },
};

createRoot(document.getElementById("root")!).render(
  <StrictMode><ApiProvider api={api}><I18nProvider><App /></I18nProvider></ApiProvider></StrictMode>,
);
