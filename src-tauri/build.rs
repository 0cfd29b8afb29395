//! Generates the window's context and, for each command below, an `allow-<command>`
//! permission. The window may call a command only when `capabilities/default.json` grants its
//! permission: a command registered in `lib.rs` but missing here or there is refused at run
//! time ("command not allowed"), which `tests/permissions.rs` catches at test time instead.

/// Every command the UI invokes.
const COMMANDS: &[&str] = &[
    "session_state",
    "setup_first_run",
    "unlock_database",
    "login",
    "logout",
    "unlock_session",
    "lock_session",
    "session_touch",
    "password_change",
    "app_info",
    "library_import",
    "library_import_cancel",
    "library_import_resume",
    "library_jobs",
    "library_job_files",
    "library_document",
    "library_replace",
    "library_search",
    "library_chunk",
    "library_documents",
    "library_delete",
    "ask",
    "ask_cancel",
    "conversation_list",
    "conversation_get",
    "models_overview",
    "model_import",
    "model_import_cancel",
    "model_rename",
    "model_remove",
    "model_set_template",
    "model_use",
    "model_sampling_set",
    "engine_threads_set",
    "engine_keep_set",
    "engine_remote_set",
    "engine_remote_test",
    "engine_load",
    "engine_unload",
    "user_list",
    "user_add",
    "user_set_disabled",
    "user_reset_password",
    "audit_list",
    "audit_verify",
    "audit_alarm_ack",
    "settings_set_idle_lock",
    "triage_assess",
    "triage_save",
    "triage_board",
    "encounter_get",
    "encounter_call_in",
    "triage_draft_save",
    "triage_draft_load",
    "triage_draft_discard",
    "triage_rules",
];

fn main() {
    build_support::link_llama_libraries();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("the Tauri build step failed");
}
