//! The engine interface every model backend implements.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::Result;

/// Who said a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Instructions to the model.
    System,
    /// The clinician.
    User,
    /// The model.
    Assistant,
}

impl Role {
    /// The role's name in chat templates.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChatMessage {
    /// Who said it.
    pub role: Role,
    /// What was said.
    pub content: String,
}

impl ChatMessage {
    /// A system message.
    pub fn system(content: impl Into<String>) -> Self {
        ChatMessage {
            role: Role::System,
            content: content.into(),
        }
    }

    /// A user message.
    pub fn user(content: impl Into<String>) -> Self {
        ChatMessage {
            role: Role::User,
            content: content.into(),
        }
    }
}

/// How tokens are chosen.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Sampling {
    /// 0 means greedy: always the most likely token, for repeatable output.
    pub temperature: f32,
    /// Nucleus sampling threshold.
    pub top_p: f32,
    /// Seed for the random choice; the same seed and input give the same output.
    pub seed: u32,
    /// At most this many tokens are generated.
    pub max_tokens: u32,
    /// Penalty for repeating recent tokens (1.0 = none).
    pub repeat_penalty: f32,
}

impl Default for Sampling {
    fn default() -> Self {
        // Clinical answers favour the likely over the creative.
        Sampling {
            temperature: 0.2,
            top_p: 0.9,
            seed: 42,
            max_tokens: 384,
            repeat_penalty: 1.1,
        }
    }
}

/// A grammar the output must follow, in llama.cpp's GBNF. With one, invalid output is not
/// retried: it cannot be produced, because tokens that break the grammar are never sampled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grammar {
    gbnf: String,
}

impl Grammar {
    /// A grammar written in GBNF, with `root` as its start rule.
    pub fn gbnf(gbnf: impl Into<String>) -> Self {
        Grammar { gbnf: gbnf.into() }
    }

    /// The grammar of JSON documents valid against `schema` (JSON Schema), converted by
    /// llama.cpp's own converter.
    pub fn json_schema(schema: &serde_json::Value) -> crate::Result<Self> {
        let gbnf = llama_cpp_2::json_schema_to_grammar(&schema.to_string())
            .map_err(|e| crate::LlmError::Grammar(e.to_string()))?;
        Ok(Grammar { gbnf })
    }

    /// The GBNF text.
    pub fn as_gbnf(&self) -> &str {
        &self.gbnf
    }
}

/// A generation request: a conversation to continue.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateRequest {
    /// The conversation so far; the model answers as the assistant.
    pub messages: Vec<ChatMessage>,
    /// Sampling settings.
    pub sampling: Sampling,
    /// When set, the output follows this grammar.
    pub grammar: Option<Grammar>,
}

impl GenerateRequest {
    /// A request with default sampling and free text.
    pub fn new(messages: Vec<ChatMessage>) -> Self {
        GenerateRequest {
            messages,
            sampling: Sampling::default(),
            grammar: None,
        }
    }
}

/// Why generation ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finish {
    /// The model ended its answer (and a grammar, if any, is complete).
    #[default]
    End,
    /// The token limit or the context was reached first.
    Length,
    /// Stop was pressed.
    Cancelled,
}

/// Figures about one generation, for the UI and benchmarks.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct GenerationStats {
    /// Tokens in the prompt.
    pub prompt_tokens: u32,
    /// Tokens generated.
    pub generated_tokens: u32,
    /// Milliseconds from the request to the first generated token.
    pub ttft_ms: u64,
    /// Generated tokens per second, after the first token.
    pub tok_per_s: f64,
    /// True when generation ended because it was cancelled.
    pub cancelled: bool,
    /// Why generation ended.
    pub finish: Finish,
    /// Prompt tokens taken from the prefix cache instead of being evaluated again.
    pub cached_tokens: u32,
    /// Milliseconds spent evaluating the prompt tokens not in the cache (llama.cpp's decode
    /// calls only, as llama-bench measures prompt speed); 0 for a remote engine.
    pub prompt_eval_ms: f64,
}

impl GenerationStats {
    /// These figures, marked as ended by Stop.
    pub(crate) fn cancelled(mut self) -> Self {
        self.cancelled = true;
        self.finish = Finish::Cancelled;
        self
    }

    /// Sets `tok_per_s` from the time since the first generated token.
    pub(crate) fn set_decode_rate(&mut self, first_token_at: Option<std::time::Instant>) {
        if let Some(first) = first_token_at {
            let secs = first.elapsed().as_secs_f64();
            if self.generated_tokens > 1 && secs > 0.0 {
                self.tok_per_s = f64::from(self.generated_tokens - 1) / secs;
            }
        }
    }
}

/// A flag that stops a generation between tokens. Cloning shares the flag.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token not yet cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the generation to stop as soon as it can.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether stop was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// The shared flag itself, for llama.cpp's abort callback. Valid while `self` lives.
    pub(crate) fn flag(&self) -> &AtomicBool {
        &self.0
    }
}

/// Generates with `request.grammar` set to the schema's grammar and parses the result. An
/// answer cut short (token limit, Stop) is an error, never half a JSON document.
pub fn generate_json(
    engine: &dyn Engine,
    request: &GenerateRequest,
    schema: &serde_json::Value,
    cancel: &CancelToken,
) -> crate::Result<(serde_json::Value, GenerationStats)> {
    let mut request = request.clone();
    request.grammar = Some(Grammar::json_schema(schema)?);
    let mut text = String::new();
    let stats = engine.generate(&request, cancel, &mut |piece| text.push_str(piece))?;
    if stats.finish != Finish::End {
        return Err(crate::LlmError::Incomplete(stats.finish));
    }
    let value = serde_json::from_str(&text)
        .map_err(|e| crate::LlmError::Inference(format!("grammar produced invalid JSON: {e}")))?;
    Ok((value, stats))
}

/// A model that continues conversations.
pub trait Engine: Send + Sync {
    /// A short name for the model, recorded with every answer.
    fn model_name(&self) -> &str;

    /// Whether the model was trained to follow instructions. A grammar that asks for what an
    /// instruction asks (a citation before the answer may end) holds such a model to its
    /// shape; a base model never writes the citation, so the grammar only keeps it writing
    /// until the token limit, each token checked against a vocabulary of up to 262,000.
    fn follows_instructions(&self) -> bool {
        true
    }

    /// Generates the assistant's reply, calling `on_text` with each complete piece of text as
    /// it is produced. Blocks until done, cancelled, or failed; run it off the async runtime.
    fn generate(
        &self,
        request: &GenerateRequest,
        cancel: &CancelToken,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<GenerationStats>;
}
