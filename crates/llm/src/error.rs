//! Engine errors.

use std::path::PathBuf;

/// What can go wrong with a model file or a generation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LlmError {
    /// The model file does not exist.
    #[error("model file not found: {0}")]
    NotFound(PathBuf),
    /// The file is not a GGUF model (wrong magic, version or structure).
    #[error("not a valid GGUF model file: {reason}")]
    InvalidGguf {
        /// What is wrong with it.
        reason: String,
    },
    /// The file ends before the data its header announces: an interrupted copy or download.
    #[error("the model file is truncated: it has {actual} bytes, its header needs {expected}")]
    Truncated {
        /// Bytes the header requires.
        expected: u64,
        /// Bytes present.
        actual: u64,
    },
    /// The model's architecture is not one the bundled llama.cpp can run.
    #[error("unsupported model architecture '{0}'")]
    UnsupportedArchitecture(String),
    /// The path cannot be passed to llama.cpp (not valid UTF-8).
    #[error("the model path is not valid UTF-8: {0}")]
    BadPath(PathBuf),
    /// llama.cpp refused to load the model although its header looked valid.
    #[error("llama.cpp could not load the model: {0}")]
    Load(String),
    /// The model has no chat template and no fallback was chosen.
    #[error("the model has no chat template; it is a base model, not a chat model")]
    NoChatTemplate,
    /// The chosen fallback chat template is not one llama.cpp knows.
    #[error("unknown chat template '{0}'")]
    UnknownTemplate(String),
    /// The prompt does not fit the context window.
    #[error("the prompt has {prompt_tokens} tokens but the context holds {n_ctx}")]
    PromptTooLong {
        /// Prompt length in tokens.
        prompt_tokens: usize,
        /// Context size in tokens.
        n_ctx: u32,
    },
    /// llama.cpp failed during evaluation.
    #[error("inference failed: {0}")]
    Inference(String),

    /// The embedding model can make nothing of this text (it gives no tokens, or a vector of
    /// zeros or NaN): a fault of the text, not of the machine, so the text can be set aside.
    #[error("the text cannot be embedded: {0}")]
    Unembeddable(String),

    /// The file loads but gives no pooled vector per text: a chat model, not an encoder.
    #[error("'{0}' is not an embedding model: it gives no vector per text")]
    NotAnEmbeddingModel(String),

    /// The caller cancelled the work between two passes.
    #[error("cancelled")]
    Cancelled,
    /// A grammar or JSON schema could not be compiled.
    #[error("invalid grammar or schema: {0}")]
    Grammar(String),
    /// Structured output ended before the document was complete.
    #[error("the structured answer is incomplete ({0:?}): raise the token limit or ask again")]
    Incomplete(crate::engine::Finish),
    /// The model does not fit the memory available, even with a small context.
    #[error(
        "not enough memory for this model: it needs {:.1} GiB, {:.1} GiB is available; close other programs or choose a smaller model",
        *needed as f64 / 1073741824.0,
        *available as f64 / 1073741824.0
    )]
    InsufficientMemory {
        /// Bytes needed for the smallest usable context.
        needed: u64,
        /// Bytes available.
        available: u64,
    },
    /// The remote engine's settings are unusable.
    #[error("the remote engine settings are invalid: {0}")]
    RemoteConfig(String),
    /// The base URL is plain `http://` to another machine and the admin has not allowed
    /// unencrypted http to that host: questions, library passages and patient text would cross
    /// the network in clear, and so would the API key.
    #[error(
        "plain http:// to {host} would send questions, patient text and the API key unencrypted: \
         use https://, or an admin allows unencrypted http to this host"
    )]
    RemoteInsecure {
        /// The host named in the URL.
        host: String,
    },
    /// The base URL carries a user name or password. Refused rather than used: it would be
    /// sent as HTTP basic authentication and written into the audit log with the URL. The
    /// message never repeats it.
    #[error(
        "the base URL contains a user name or password; remove them (an API key goes in its own field)"
    )]
    RemoteUrlCredentials,
    /// The remote engine failed. When `partial`, some of the answer was already shown.
    #[error("{kind} ({detail}){}", if *partial { "; the answer so far is incomplete" } else { "" })]
    Remote {
        /// What went wrong.
        kind: crate::remote::RemoteFailure,
        /// Status, server message or transport error.
        detail: String,
        /// Whether text had already been streamed when it failed.
        partial: bool,
    },
    /// Reading the file failed.
    #[error("cannot read the model file: {0}")]
    Io(#[from] std::io::Error),
}

impl LlmError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            LlmError::NotFound(_) => "model_not_found",
            LlmError::InvalidGguf { .. } => "invalid_gguf",
            LlmError::Truncated { .. } => "model_truncated",
            LlmError::UnsupportedArchitecture(_) => "unsupported_architecture",
            LlmError::BadPath(_) => "bad_model_path",
            LlmError::Load(_) => "model_load_failed",
            LlmError::NoChatTemplate => "no_chat_template",
            LlmError::UnknownTemplate(_) => "unknown_template",
            LlmError::PromptTooLong { .. } => "prompt_too_long",
            LlmError::Inference(_) => "inference_failed",
            LlmError::Unembeddable(_) => "unembeddable_text",
            LlmError::NotAnEmbeddingModel(_) => "not_an_embedding_model",
            LlmError::Cancelled => "cancelled",
            LlmError::Grammar(_) => "invalid_grammar",
            LlmError::Incomplete(_) => "incomplete_output",
            LlmError::InsufficientMemory { .. } => "insufficient_memory",
            LlmError::RemoteConfig(_) => "remote_config",
            LlmError::RemoteInsecure { .. } => "remote_insecure",
            LlmError::RemoteUrlCredentials => "remote_url_credentials",
            LlmError::Remote { kind, .. } => kind.code(),
            LlmError::Io(_) => "io_error",
        }
    }
}

impl LlmError {
    /// Whether part of the answer had already been streamed when this error ended it.
    pub fn is_partial(&self) -> bool {
        matches!(self, LlmError::Remote { partial: true, .. })
    }
}

/// The engine's result type.
pub type Result<T, E = LlmError> = std::result::Result<T, E>;
