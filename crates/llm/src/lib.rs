//! Model engines for Bedside.
//!
//! Every workflow talks to a model through one [`Engine`] trait, so a hospital can move inference
//! from the workstation ([`local::LocalEngine`], llama.cpp in-process) to an OpenAI-compatible
//! server without touching the workflows. Engines are blocking: callers run them on a thread of
//! their own and stream tokens out through the callback.
//!
//! [`gguf`] reads and validates a model file's header before llama.cpp sees it, because
//! llama.cpp reports a bad file only as a null pointer with the reason in its log; a nurse and an
//! IT admin deserve a typed error that says what is wrong.
//!
//! ```no_run
//! use llm::{Engine, ChatMessage, GenerateRequest, CancelToken, local::{LocalEngine, LocalOptions}};
//! let engine = LocalEngine::load(std::path::Path::new("model.gguf"), &LocalOptions::default()).unwrap();
//! let req = GenerateRequest::new(vec![ChatMessage::user("Hello")]);
//! let stats = engine.generate(&req, &CancelToken::new(), &mut |piece| print!("{piece}")).unwrap();
//! println!("\n{} tokens", stats.generated_tokens);
//! ```
#![deny(missing_docs)]

pub mod bench;
pub mod embed;
mod engine;
pub mod error;
pub mod gguf;
pub mod local;
pub mod memory;
pub mod remote;
pub mod specials;
pub mod utf8;

pub use engine::{
    generate_json, CancelToken, ChatMessage, Engine, Finish, GenerateRequest, GenerationStats,
    Grammar, Role, Sampling,
};
pub use error::{LlmError, Result};
