//! Sentence embeddings from a GGUF encoder (multilingual-e5-small by default), in-process.
//!
//! Retrieval by meaning needs a second, small model beside the chat model: lexical search
//! cannot bridge "COVID-19" and "novel coronavirus pneumonia", nor a Chinese question and an
//! English guideline. The encoder runs through the same llama.cpp as the chat model, so there is
//! no second runtime to ship. It is small (74 MB, 384 dimensions) and stays loaded; the
//! one-chat-model-in-memory rule does not apply to it.
//!
//! Vectors are L2-normalised, so a dot product is the cosine similarity.

use std::num::NonZeroU32;
use std::path::Path;
use std::sync::{Arc, Mutex};

use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::token::LlamaToken;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::gguf::{self, ModelInfo};
use crate::{CancelToken, LlmError, Result};

/// The longest input the encoder reads, in tokens (e5 and BERT-style encoders were trained on
/// 512); longer text is cut, keeping its start, which is where a passage's heading and topic are.
const MAX_TOKENS: usize = 512;
/// Texts encoded in one pass. Several short passages share one llama.cpp batch, which costs
/// less than one pass each; the batch is as long as the longest allowed input.
const MAX_SEQUENCES: usize = 16;

/// What a text is for: e5 and its kind embed a question and a passage differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A question someone asked.
    Query,
    /// A passage of a guideline.
    Passage,
}

/// A loaded embedding model.
pub struct Embedder {
    model: Arc<LlamaModel>,
    info: ModelInfo,
    name: String,
    /// SHA-256 of the file: stored vectors say which model made them, so that a new model
    /// re-embeds the library rather than mixing two vector spaces.
    digest: String,
    dim: usize,
    /// The longest input, in tokens: [`MAX_TOKENS`] or the model's training context if shorter.
    max_tokens: usize,
    n_threads: u32,
    query_prefix: String,
    passage_prefix: String,
    /// Contexts are created one at a time (llama-cpp-2 notes that parallel creation from one
    /// model is unsound), and one encoding at a time is what two cores afford.
    busy: Mutex<()>,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("name", &self.name)
            .field("dim", &self.dim)
            .finish()
    }
}

impl Embedder {
    /// Validates the file's header, loads it and checks that it pools its tokens into one vector
    /// per text (a chat model does not: it is refused with [`LlmError::NotAnEmbeddingModel`]),
    /// then embeds a probe text: a file that loads but gives no usable vector is refused here,
    /// once, rather than failing every search later.
    pub fn load(path: &Path, n_threads: Option<u32>) -> Result<Embedder> {
        let info = gguf::read_info(path)?;
        let digest = file_digest(path)?;
        let path_str = path
            .to_str()
            .ok_or_else(|| LlmError::BadPath(path.to_path_buf()))?;
        let backend = crate::local::backend()?;
        let model = LlamaModel::load_from_file(backend, path_str, &LlamaModelParams::default())
            .map_err(|e| LlmError::Load(e.to_string()))?;
        let pooling = model
            .meta_val_str(&format!("{}.pooling_type", info.architecture))
            .ok();
        if info.chat_template || pooling.is_none() {
            return Err(LlmError::NotAnEmbeddingModel(
                info.name
                    .clone()
                    .unwrap_or_else(|| info.architecture.clone()),
            ));
        }
        let (query_prefix, passage_prefix) = prefixes(&model, info.name.as_deref());
        let dim = usize::try_from(model.n_embd()).unwrap_or(0);
        let trained = usize::try_from(model.n_ctx_train()).unwrap_or(0);
        if dim == 0 || trained < 8 {
            return Err(LlmError::NotAnEmbeddingModel(
                info.name
                    .clone()
                    .unwrap_or_else(|| info.architecture.clone()),
            ));
        }
        let name = info.name.clone().unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| info.architecture.clone())
        });
        let embedder = Embedder {
            model: Arc::new(model),
            info,
            name,
            digest,
            dim,
            max_tokens: MAX_TOKENS.min(trained),
            n_threads: n_threads
                .unwrap_or_else(crate::local::default_threads)
                .max(1),
            query_prefix,
            passage_prefix,
            busy: Mutex::new(()),
        };
        embedder
            .embed(&["probe 探针"], Purpose::Query, &CancelToken::new())
            .map_err(|e| match e {
                LlmError::Unembeddable(_) => LlmError::NotAnEmbeddingModel(embedder.name.clone()),
                e => e,
            })?;
        Ok(embedder)
    }

    /// The model's name, from its file.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// SHA-256 of the model file, in hex.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// Length of every vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// What the file says about the model.
    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// One normalised vector per text, in order. Stops between passes when `cancel` is set
    /// (returning [`LlmError::Cancelled`]).
    pub fn embed(
        &self,
        texts: &[&str],
        purpose: Purpose,
        cancel: &CancelToken,
    ) -> Result<Vec<Vec<f32>>> {
        let prefix = match purpose {
            Purpose::Query => &self.query_prefix,
            Purpose::Passage => &self.passage_prefix,
        };
        let mut tokenised = Vec::with_capacity(texts.len());
        for text in texts {
            tokenised.push(self.tokenise(&format!("{prefix}{text}"))?);
        }
        let _busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        let threads = i32::try_from(self.n_threads).unwrap_or(1);
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(self.max_tokens as u32))
            .with_n_batch(self.max_tokens as u32)
            .with_n_ubatch(self.max_tokens as u32)
            .with_n_seq_max(MAX_SEQUENCES as u32)
            .with_n_threads(threads)
            .with_n_threads_batch(threads)
            .with_embeddings(true);
        let backend = crate::local::backend()?;
        let mut ctx = self
            .model
            .new_context(backend, params)
            .map_err(|e| LlmError::Load(e.to_string()))?;
        let mut out = Vec::with_capacity(texts.len());
        let mut batch = LlamaBatch::new(self.max_tokens, MAX_SEQUENCES as i32);
        let mut start = 0;
        while start < tokenised.len() {
            if cancel.is_cancelled() {
                return Err(LlmError::Cancelled);
            }
            // As many texts as fit in one pass.
            let mut end = start;
            let mut used = 0;
            while end < tokenised.len()
                && end - start < MAX_SEQUENCES
                && (end == start || used + tokenised[end].len() <= self.max_tokens)
            {
                used += tokenised[end].len();
                end += 1;
            }
            batch.clear();
            for (seq, tokens) in tokenised[start..end].iter().enumerate() {
                batch
                    .add_sequence(tokens, seq as i32, true)
                    .map_err(|e| LlmError::Inference(e.to_string()))?;
            }
            ctx.encode(&mut batch)
                .map_err(|e| LlmError::Inference(e.to_string()))?;
            for seq in 0..(end - start) {
                let v = ctx
                    .embeddings_seq_ith(seq as i32)
                    .map_err(|_| LlmError::NotAnEmbeddingModel(self.name.clone()))?;
                out.push(normalised(v).ok_or_else(|| {
                    LlmError::Unembeddable("the model gave no usable vector".into())
                })?);
            }
            start = end;
        }
        Ok(out)
    }

    /// NFKC first: the tokenizer of e5 (XLM-R's SentencePiece) was trained on NFKC text, and
    /// its GGUF carries no normaliser, so full-width "，？" and compatibility forms would
    /// otherwise become unknown tokens. Cut to the longest input, keeping the closing token.
    fn tokenise(&self, text: &str) -> Result<Vec<LlamaToken>> {
        let text: String = text.nfkc().collect();
        // Special tokens in the text are read as text: a guideline cannot inject "</s>".
        let mut tokens = self.model.vocab().tokenize(text.as_bytes(), true, false);
        if tokens.is_empty() {
            return Err(LlmError::Unembeddable("the text gave no tokens".into()));
        }
        if tokens.len() > self.max_tokens {
            let last = *tokens.last().expect("longer than the limit");
            tokens.truncate(self.max_tokens - 1);
            tokens.push(last);
        }
        Ok(tokens)
    }
}

/// The prefixes the model was trained with: the file's own (`bedside.embedding.*`, written by
/// scripts/e5-to-gguf.py), else e5's when the file names an e5 model, else none.
fn prefixes(model: &LlamaModel, name: Option<&str>) -> (String, String) {
    let own = |key: &str| model.meta_val_str(key).ok();
    match (
        own("bedside.embedding.query_prefix"),
        own("bedside.embedding.passage_prefix"),
    ) {
        (Some(q), Some(p)) => (q, p),
        _ if name.is_some_and(|n| n.to_lowercase().contains("e5")) => {
            ("query: ".to_string(), "passage: ".to_string())
        }
        _ => (String::new(), String::new()),
    }
}

/// The vector scaled to length 1; `None` for a vector of zeros or with a NaN or an infinity,
/// which would rank every passage alike (or nonsensically) without saying so.
fn normalised(v: &[f32]) -> Option<Vec<f32>> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    (norm.is_finite() && norm > 1e-6).then(|| v.iter().map(|x| x / norm).collect())
}

fn file_digest(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The dot product of two vectors of equal length (the cosine, for normalised vectors).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
