//! Where the test models are: fetched by `scripts/fetch-models.sh` into the cache. A missing
//! model fails the test with the command that fetches it; it is never skipped.

use std::path::PathBuf;

pub mod server;

fn models_dir() -> PathBuf {
    let cache = std::env::var_os("BEDSIDE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/bedside"));
    cache.join("models")
}

fn model(file: &str) -> PathBuf {
    let path = models_dir().join(file);
    assert!(
        path.exists(),
        "test model {} is missing: run scripts/fetch-models.sh",
        path.display()
    );
    path
}

/// Qwen2.5-Coder 0.5B Instruct Q4_K_M: the default chat model (ChatML template).
pub fn qwen() -> PathBuf {
    model("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
}

/// Gemma 3 270M Q4_K_M: a second architecture, a base model with no chat template.
#[allow(dead_code)]
pub fn gemma() -> PathBuf {
    model("gemma-3-270m-q4_k_m.gguf")
}

/// The default model on two threads with an `n_ctx`-token context: the settings every engine
/// test uses, so that greedy outputs are comparable between tests.
#[allow(dead_code)]
pub fn qwen_engine(n_ctx: u32) -> llm::local::LocalEngine {
    llm::local::LocalEngine::load(
        &qwen(),
        &llm::local::LocalOptions {
            n_ctx,
            n_threads: Some(2),
            ..Default::default()
        },
    )
    .unwrap()
}

/// multilingual-e5-small Q4_0: the default embedding model.
#[allow(dead_code)]
pub fn e5() -> PathBuf {
    model("multilingual-e5-small-q4_0.gguf")
}
