//! Generates the window's context and, for each command below, an `allow-<command>`
//! permission. The window may call a command only when `capabilities/default.json` grants its
//! permission: a command registered in `main.rs` but missing here or there is refused at run
//! time ("command not allowed"), which `tests/permissions.rs` catches at test time instead.

/// Every command the UI invokes.
const COMMANDS: &[&str] = &[
    "app_info",
    "library_import",
    "library_search",
    "library_chunk",
    "ask",
    "ask_cancel",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("the Tauri build step failed");
}
