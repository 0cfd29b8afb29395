//! The Bedside window: a thin shell of Tauri commands over the `clinic` crate.
//!
//! Nothing clinical happens here. Each command parses its arguments, runs the workflow off the
//! async runtime (SQLite, Tantivy and llama.cpp all block) and streams progress through a
//! `Channel`. Errors reach the UI as `{code, message, details}`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use clinic::Clinic;
use llm::local::{LocalEngine, LocalOptions};

/// What every command can reach.
pub struct AppState {
    clinic: Clinic,
    engine: Option<Arc<LocalEngine>>,
    model_path: Option<PathBuf>,
    /// Why the model did not load, shown in the UI instead of a silent "no model".
    engine_error: Option<clinic::ErrorPayload>,
    /// The running generation's stop flag.
    generation: Mutex<Option<llm::CancelToken>>,
}

fn data_dir() -> PathBuf {
    std::env::var_os("BEDSIDE_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            dirs::data_dir()
                .unwrap_or_else(|| PathBuf::from("."))
                .join("bedside")
        })
}

/// The model to load: `$BEDSIDE_MODEL`, else the built-in default fetched by
/// `scripts/fetch-models.sh`.
fn model_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BEDSIDE_MODEL") {
        return Some(PathBuf::from(p));
    }
    let default = dirs::cache_dir()?.join("bedside/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf");
    default.exists().then_some(default)
}

/// Engine settings; `$BEDSIDE_THREADS` overrides the default thread count.
fn engine_options() -> LocalOptions {
    LocalOptions {
        n_threads: std::env::var("BEDSIDE_THREADS")
            .ok()
            .and_then(|t| t.parse().ok()),
        ..LocalOptions::default()
    }
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BEDSIDE_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let clinic = match Clinic::open(&data_dir()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("bedside: cannot open the data directory: {e}");
            std::process::exit(1);
        }
    };
    let model_path = model_path();
    let (engine, engine_error) = match &model_path {
        None => (None, None),
        Some(path) => match LocalEngine::load(path, &engine_options()) {
            Ok(engine) => (Some(Arc::new(engine)), None),
            Err(e) => (None, Some(clinic::ClinicError::from(e).payload())),
        },
    };

    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState {
            clinic,
            engine,
            model_path,
            engine_error,
            generation: Mutex::new(None),
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::library_import,
            commands::library_search,
            commands::library_chunk,
            commands::ask,
            commands::ask_cancel,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("bedside: the window could not start: {e}");
            std::process::exit(1);
        });
}
