//! The in-process engine: a GGUF model run by llama.cpp through `llama-cpp-2`.

use std::num::NonZeroU32;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::context::session::{LlamaStateSeqFlags, SeqState};
use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::{LlamaChatMessage, LlamaChatTemplate, LlamaModel};
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;
use llama_cpp_2::token_type::LlamaTokenAttr;

use crate::gguf::{self, ModelInfo};
use crate::specials::Specials;
use crate::utf8::Utf8Stream;
use crate::{CancelToken, Engine, Finish, GenerateRequest, GenerationStats, LlmError, Result};

/// Prompt tokens evaluated per llama.cpp call (and llama.cpp's batch size). Stop does not wait
/// for a chunk to end: llama.cpp's abort callback ([`install_abort`]) checks the cancel flag
/// between the graph's operations, so the chunk can be as large as llama-bench's default.
const PROMPT_CHUNK: usize = 512;

/// Chat templates built into llama.cpp that an admin may choose for a model whose file carries
/// none (a base model such as the Gemma 3 270M test file). llama.cpp formats these by name.
pub const FALLBACK_TEMPLATES: &[&str] = &[
    "chatml",
    "gemma",
    "llama2",
    "llama3",
    "mistral-v7",
    "phi3",
    "zephyr",
];

/// How the local engine runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalOptions {
    /// Context window in tokens (capped at the model's training length).
    pub n_ctx: u32,
    /// CPU threads; `None` picks [`default_threads`].
    pub n_threads: Option<u32>,
    /// The template to use when the file has no chat template: one of [`FALLBACK_TEMPLATES`].
    /// Ignored when the file has its own.
    pub template_fallback: Option<String>,
}

impl Default for LocalOptions {
    fn default() -> Self {
        LocalOptions {
            n_ctx: 4096,
            n_threads: None,
            template_fallback: None,
        }
    }
}

/// Threads to use when not told: all cores but one, so the window and imports stay responsive.
/// Measured on the 2-core workstation kind: two threads on two shared cores lost most of their
/// decode speed as soon as anything else ran (see shared/PLATFORM.md).
pub fn default_threads() -> u32 {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    cores.saturating_sub(1).clamp(1, 8)
}

/// llama.cpp allows one backend per process; it lives as long as the process.
pub(crate) fn backend() -> Result<&'static LlamaBackend> {
    static BACKEND: OnceLock<std::result::Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            // The CPU modules must be registered before the backend starts.
            #[cfg(feature = "cpu-variants")]
            load_cpu_modules()?;
            let mut backend = LlamaBackend::init().map_err(|e| e.to_string())?;
            // llama.cpp writes ~1,500 lines per load to stderr; none of it is for users.
            backend.void_logs();
            Ok(backend)
        })
        .as_ref()
        .map_err(|e| LlmError::Load(e.clone()))
}

/// Where an installed Bedside keeps llama.cpp's CPU modules, relative to the executable: beside
/// it, or in `../lib/bedside/backends` (the Debian package's layout). A development build
/// falls back to the folder the build wrote them to.
#[cfg(feature = "cpu-variants")]
fn backend_dirs() -> Vec<std::path::PathBuf> {
    let mut dirs = Vec::new();
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(std::path::Path::to_path_buf))
    {
        dirs.push(exe_dir.join("backends"));
        dirs.push(exe_dir.join("../lib/bedside/backends"));
    }
    if let Some(built) = llama_cpp_sys_2::BACKENDS_DIR {
        dirs.push(std::path::PathBuf::from(built));
    }
    dirs
}

/// CPU modules Bedside never loads. llama.cpp's AMX kernels, built only into the module for
/// Sapphire Rapids and later, crash the process on a machine that reports AMX and grants it:
/// SIGILL in `tinygemm_kernel_amx` on this project's Xeon workstations (the bundled
/// llama.cpp; upstream ggml-org/llama.cpp#20824 and #28756 report the same class). A crash
/// in the middle of a clinician's question is worse than a slower prompt, so the next best
/// module (AVX-512 with VNNI and BF16) runs instead.
#[cfg(feature = "cpu-variants")]
const SKIPPED_CPU_MODULES: &[&str] = &["sapphirerapids"];

/// The CPU module files in `dir` that Bedside may load: `libggml-cpu-<variant>.<ext>`, less
/// [`SKIPPED_CPU_MODULES`].
#[cfg(feature = "cpu-variants")]
fn cpu_module_candidates(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let ext_ok = path
                .extension()
                .is_some_and(|e| e == std::env::consts::DLL_EXTENSION);
            let variant = name
                .strip_prefix("libggml-cpu-")
                .or_else(|| name.strip_prefix("ggml-cpu-"))
                .and_then(|rest| rest.split('.').next());
            ext_ok && variant.is_some_and(|v| !SKIPPED_CPU_MODULES.contains(&v))
        })
        .collect();
    found.sort();
    found
}

/// How well the module at `path` suits this CPU, by its own `ggml_backend_score` (0: it
/// cannot run here). llama.cpp's loader scores modules the same way: loading one runs none of
/// the instructions it was built for.
#[cfg(feature = "cpu-variants")]
fn cpu_module_score(path: &std::path::Path) -> i32 {
    // SAFETY: a llama.cpp CPU module, whose `ggml_backend_score` takes nothing and returns an
    // int; the library stays loaded while it is called.
    unsafe {
        let Ok(lib) = libloading::Library::new(path) else {
            return 0;
        };
        let score: Result<libloading::Symbol<unsafe extern "C" fn() -> i32>, _> =
            lib.get(b"ggml_backend_score\0");
        score.map_or(0, |f| f())
    }
}

/// Registers the best CPU module for this machine from the first folder that has one it may
/// load. Without any, llama.cpp would have no device to run on and fail later with an unclear
/// message; say where we looked.
#[cfg(feature = "cpu-variants")]
fn load_cpu_modules() -> std::result::Result<(), String> {
    let dirs = backend_dirs();
    for dir in &dirs {
        let best = cpu_module_candidates(dir)
            .into_iter()
            .map(|path| (cpu_module_score(&path), path))
            .filter(|(score, _)| *score > 0)
            .max_by_key(|(score, _)| *score);
        let Some((_, path)) = best else { continue };
        let Some(c_path) = path.to_str().and_then(|p| std::ffi::CString::new(p).ok()) else {
            continue;
        };
        // SAFETY: registers the module with llama.cpp's device registry, before the backend
        // starts; a plain query of the registry follows.
        unsafe { llama_cpp_sys_2::ggml_backend_load(c_path.as_ptr()) };
        if unsafe { llama_cpp_sys_2::ggml_backend_dev_count() } > 0 {
            return Ok(());
        }
    }
    Err(format!(
        "no llama.cpp CPU module loads on this machine (looked in {})",
        dirs.iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// A loaded model.
pub struct LocalEngine {
    model: LlamaModel,
    info: ModelInfo,
    name: String,
    n_ctx: u32,
    n_threads: u32,
    template_fallback: Option<String>,
    /// The vocabulary's special tokens, defused in every message (see [`crate::specials`]).
    specials: Specials,
    /// Held for a whole generation: contexts must be created one at a time from a model
    /// (llama-cpp-2 notes that parallel creation is unsound), and one generation at a time is
    /// what a 2-core machine can afford. Holds the KV states of the last few generations,
    /// least recently used first.
    cache: Mutex<Vec<PrefixCache>>,
}

impl LocalEngine {
    /// Validates the file's header, then loads it. A bad file gives a typed error, never a crash.
    pub fn load(path: &Path, opts: &LocalOptions) -> Result<LocalEngine> {
        let info = gguf::read_info(path)?;
        if let Some(name) = &opts.template_fallback {
            if !FALLBACK_TEMPLATES.contains(&name.as_str()) {
                return Err(LlmError::UnknownTemplate(name.clone()));
            }
        }
        // Refuse before loading when the model cannot fit; otherwise the largest context that
        // fits (a machine whose free memory is unknown gets the requested one).
        let n_ctx = match crate::memory::available_bytes() {
            Some(available) => crate::memory::plan(&info, opts.n_ctx, available)?.n_ctx,
            None => {
                let trained = info.context_length.unwrap_or(u64::from(opts.n_ctx));
                u64::from(opts.n_ctx.max(256)).min(trained.max(256)) as u32
            }
        };
        let path_str = path
            .to_str()
            .ok_or_else(|| LlmError::BadPath(path.to_path_buf()))?;
        let backend = backend()?;
        let model = LlamaModel::load_from_file(backend, path_str, &LlamaModelParams::default())
            .map_err(|e| LlmError::Load(e.to_string()))?;
        let name = info.name.clone().unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| info.architecture.clone())
        });
        let specials = special_texts(&model);
        Ok(LocalEngine {
            model,
            specials,
            info,
            name,
            n_ctx,
            n_threads: opts.n_threads.unwrap_or_else(default_threads).max(1),
            template_fallback: opts.template_fallback.clone(),
            cache: Mutex::new(Vec::new()),
        })
    }

    /// What the file says about the model.
    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// The context window in use.
    pub fn n_ctx(&self) -> u32 {
        self.n_ctx
    }

    /// Threads in use.
    pub fn n_threads(&self) -> u32 {
        self.n_threads
    }

    /// Forgets the cached prefixes, so that the next generation starts cold.
    pub fn clear_cache(&self) {
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The chat template in use: the file's own, else the fallback the admin chose.
    pub fn template(&self) -> Option<&str> {
        if self.info.chat_template {
            Some("gguf")
        } else {
            self.template_fallback.as_deref()
        }
    }

    /// `text` as a message's content reaches the tokenizer: any special token it spells is
    /// broken, so only the chat template places turn markers.
    pub fn defuse<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        self.specials.defuse(text)
    }

    /// Renders the conversation with the model's own chat template, or the chosen fallback.
    /// Each message's content is defused first ([`LocalEngine::defuse`]).
    fn render_prompt(&self, request: &GenerateRequest) -> Result<String> {
        let template = if self.info.chat_template {
            self.model
                .chat_template(None)
                .map_err(|_| LlmError::NoChatTemplate)?
        } else {
            let name = self
                .template_fallback
                .as_deref()
                .ok_or(LlmError::NoChatTemplate)?;
            LlamaChatTemplate::new(name).map_err(|_| LlmError::UnknownTemplate(name.into()))?
        };
        let messages = request
            .messages
            .iter()
            .map(|m| {
                let content = self.specials.defuse(&m.content).into_owned();
                LlamaChatMessage::new(m.role.as_str().to_string(), content)
            })
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| LlmError::Inference(format!("message contains a NUL byte: {e}")))?;
        self.model
            .apply_chat_template(&template, &messages, true)
            .map_err(|e| LlmError::Inference(format!("chat template failed: {e}")))
    }
}

/// The texts llama.cpp reads as special tokens when it parses a prompt (control, user-defined
/// and unknown tokens, as its tokenizer's own cache of special tokens), and the common
/// templates' markers.
fn special_texts(model: &LlamaModel) -> Specials {
    let vocab = model.vocab();
    let special = LlamaTokenAttr::Control | LlamaTokenAttr::UserDefined | LlamaTokenAttr::Unknown;
    let own = Specials::from_texts(vocab.tokens().filter_map(|token| {
        if !vocab.attr(token).intersects(special) {
            return None;
        }
        vocab
            .text(token)
            .and_then(|t| t.to_str().ok())
            .map(str::to_string)
    }));
    // A fallback template writes its markers as text when the vocabulary lacks them (ChatML
    // on Gemma): text that spells them must not pass for them either.
    own.with(&Specials::common())
}

fn sampler(model: &LlamaModel, request: &GenerateRequest) -> Result<LlamaSampler> {
    let s = &request.sampling;
    let mut chain = Vec::new();
    if let Some(grammar) = &request.grammar {
        // First in the chain: tokens that would break the grammar never reach the others.
        chain.push(
            LlamaSampler::grammar(model, grammar.as_gbnf(), "root")
                .map_err(|e| LlmError::Grammar(e.to_string()))?,
        );
    }
    chain.push(LlamaSampler::penalties(
        model.n_vocab(),
        64,
        s.repeat_penalty,
        0.0,
        0.0,
    ));
    if s.temperature <= 0.0 {
        chain.push(LlamaSampler::greedy());
    } else {
        chain.push(LlamaSampler::top_p(s.top_p, 1));
        chain.push(LlamaSampler::temp(s.temperature));
        chain.push(LlamaSampler::dist(s.seed));
    }
    Ok(LlamaSampler::chain_simple(chain))
}

/// The KV cache of the last generation, kept so that the next one evaluates only what is new:
/// a follow-up question shares the system prompt and the conversation so far.
struct PrefixCache {
    /// The tokens whose keys and values `state` holds, in order from position 0.
    tokens: Vec<LlamaToken>,
    state: SeqState,
}

/// Prefixes shorter than this are evaluated again: restoring state costs a few milliseconds,
/// about what evaluating a few dozen tokens costs.
const MIN_REUSE: usize = 32;
/// Conversations whose state is kept: a clinician switching between a few patients' chats
/// finds each one's prefix still cached.
const CACHE_ENTRIES: usize = 4;
/// KV state kept at most, in bytes: 4 conversations of 2,000 tokens with the 0.5B test model
/// take about 100 MiB; a 7B model's entries are 10 times larger, so fewer are kept.
const CACHE_BYTES: usize = 512 << 20;

/// Takes out of `cache` the entry sharing the longest prefix with `tokens`, if any shares at
/// least [`MIN_REUSE`].
fn take_best(cache: &mut Vec<PrefixCache>, tokens: &[LlamaToken]) -> Option<PrefixCache> {
    let (index, shared) = cache
        .iter()
        .enumerate()
        .map(|(i, c)| (i, common_prefix(&c.tokens, tokens)))
        .max_by_key(|(_, shared)| *shared)?;
    (shared >= MIN_REUSE).then(|| cache.remove(index))
}

/// Adds the newest entry and drops the least recently used beyond the count and byte limits
/// (the newest is always kept).
fn keep(cache: &mut Vec<PrefixCache>, entry: PrefixCache) {
    cache.push(entry);
    while cache.len() > 1
        && (cache.len() > CACHE_ENTRIES
            || cache.iter().map(|c| c.state.byte_len()).sum::<usize>() > CACHE_BYTES)
    {
        cache.remove(0);
    }
}

fn common_prefix(a: &[LlamaToken], b: &[LlamaToken]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

impl Engine for LocalEngine {
    fn model_name(&self) -> &str {
        &self.name
    }

    /// A file that carries its own chat template is a chat (instruction-tuned) model; one
    /// that needs the template an admin chose is a base model.
    fn follows_instructions(&self) -> bool {
        self.info.chat_template
    }

    fn generate(
        &self,
        request: &GenerateRequest,
        cancel: &CancelToken,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<GenerationStats> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let started = Instant::now();
        let prompt = self.render_prompt(request)?;
        let vocab = self.model.vocab();
        let tokens = vocab.tokenize(prompt.as_bytes(), true, true);
        let max_new = request.sampling.max_tokens.max(1) as usize;
        if tokens.len() + 1 >= self.n_ctx as usize {
            return Err(LlmError::PromptTooLong {
                prompt_tokens: tokens.len(),
                n_ctx: self.n_ctx,
            });
        }
        let mut sampler = sampler(&self.model, request)?;

        let threads = self.n_threads as i32;
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(self.n_ctx))
            .with_n_batch(PROMPT_CHUNK as u32)
            .with_n_ubatch(PROMPT_CHUNK as u32)
            .with_n_threads(threads)
            .with_n_threads_batch(threads);
        let mut ctx = self
            .model
            .new_context(backend()?, params)
            .map_err(|e| LlmError::Inference(format!("cannot create a context: {e}")))?;
        let abortable = install_abort(&ctx, cancel);

        let mut stats = GenerationStats {
            prompt_tokens: tokens.len() as u32,
            ..GenerationStats::default()
        };
        let reused = take_best(&mut cache, &tokens)
            .and_then(|c| restore_prefix(&mut ctx, c, &tokens))
            .unwrap_or(0);
        stats.cached_tokens = reused as u32;

        let mut batch = LlamaBatch::new(PROMPT_CHUNK, 1);
        let decode_err = |e: llama_cpp_2::DecodeError| LlmError::Inference(e.to_string());
        let batch_err =
            |e: llama_cpp_2::llama_batch::BatchAddError| LlmError::Inference(e.to_string());

        // The rest of the prompt, in chunks.
        let mut pos = reused;
        let prompt_started = Instant::now();
        while pos < tokens.len() {
            if cancel.is_cancelled() {
                return Ok(stats.cancelled());
            }
            let end = (pos + PROMPT_CHUNK).min(tokens.len());
            batch.clear();
            for (i, token) in tokens[pos..end].iter().enumerate() {
                let at = pos + i;
                batch
                    .add(*token, at as i32, &[0], at + 1 == tokens.len())
                    .map_err(batch_err)?;
            }
            match ctx.decode(&mut batch) {
                Ok(()) => {}
                Err(_) if abortable && cancel.is_cancelled() => return Ok(stats.cancelled()),
                Err(e) => return Err(decode_err(e)),
            }
            pos = end;
        }
        stats.prompt_eval_ms = prompt_started.elapsed().as_secs_f64() * 1000.0;

        let mut in_cache = tokens.clone();
        let mut decoder = Utf8Stream::new();
        let mut first_token_at = None;
        let room = (self.n_ctx as usize).saturating_sub(tokens.len() + 1);
        stats.finish = Finish::Length;
        for _ in 0..max_new.min(room) {
            if cancel.is_cancelled() {
                stats = stats.cancelled();
                break;
            }
            let token = sampler.sample(&ctx, batch.n_tokens() - 1);
            if vocab.is_eog(token) {
                stats.finish = Finish::End;
                break;
            }
            if first_token_at.is_none() {
                first_token_at = Some(Instant::now());
                stats.ttft_ms = started.elapsed().as_millis() as u64;
            }
            stats.generated_tokens += 1;
            let text = decoder.push(&vocab.token_to_piece(token, false, None));
            if !text.is_empty() {
                on_text(&text);
            }
            batch.clear();
            batch
                .add(token, pos as i32, &[0], true)
                .map_err(batch_err)?;
            pos += 1;
            match ctx.decode(&mut batch) {
                Ok(()) => {}
                // Aborted mid-token: the cache no longer matches `in_cache`, so it is not kept.
                Err(_) if abortable && cancel.is_cancelled() => return Ok(stats.cancelled()),
                Err(e) => return Err(decode_err(e)),
            }
            in_cache.push(token);
        }
        let tail = decoder.finish();
        if !tail.is_empty() {
            on_text(&tail);
        }
        stats.set_decode_rate(first_token_at);
        if let Ok(state) = ctx.state_seq_get(0, LlamaStateSeqFlags::empty()) {
            keep(
                &mut cache,
                PrefixCache {
                    tokens: in_cache,
                    state,
                },
            );
        }
        Ok(stats)
    }
}

/// llama.cpp calls this between the operations of an evaluation; `true` makes `llama_decode`
/// return "aborted", so Stop frees the CPU in the middle of a long prompt chunk.
extern "C" fn abort_when_cancelled(flag: *mut std::ffi::c_void) -> bool {
    // SAFETY: `flag` is the `AtomicBool` of the `CancelToken` passed to `generate`, which
    // outlives the context the callback is installed on (see `install_abort`).
    unsafe { (*(flag as *const AtomicBool)).load(Ordering::Relaxed) }
}

/// Installs [`abort_when_cancelled`] on `ctx` for `cancel`; returns whether it is installed.
///
/// llama-cpp-2 0.1.160 (the newest release) keeps the context's raw pointer private and has no
/// abort hook, but its `Debug` output is exactly that pointer (`LlamaContext { context: 0x… }`).
/// The pointer read from it is checked against two llama.cpp getters before use; if the format
/// ever changes, Stop falls back to acting between prompt chunks (128 tokens).
fn install_abort(ctx: &LlamaContext<'_>, cancel: &CancelToken) -> bool {
    let debug = format!("{ctx:?}");
    let Some(address) = debug
        .split("context: 0x")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_hexdigit()).next())
        .and_then(|hex| usize::from_str_radix(hex, 16).ok())
        .filter(|a| *a != 0)
    else {
        return false;
    };
    let raw = address as *mut llama_cpp_sys_2::llama_context;
    // SAFETY: `raw` is the live context `ctx` wraps (it came from its own Debug output), and
    // these getters only read it.
    let same = unsafe {
        llama_cpp_sys_2::llama_n_ctx(raw) == ctx.n_ctx()
            && llama_cpp_sys_2::llama_n_batch(raw) == ctx.n_batch()
    };
    if !same {
        return false;
    }
    let flag: *const AtomicBool = cancel.flag();
    // SAFETY: the callback only reads the flag, which lives in `cancel`'s Arc for longer than
    // `ctx` (both are borrowed by `generate`, and `ctx` is dropped before it returns).
    unsafe {
        llama_cpp_sys_2::llama_set_abort_callback(
            raw,
            Some(abort_when_cancelled),
            flag as *mut std::ffi::c_void,
        );
    }
    true
}

/// Loads the cached state into `ctx` and cuts it back to the prefix it shares with `tokens`.
/// Returns how many tokens need no evaluation, or `None` when the cache does not help (then
/// `ctx` is left empty). At least the last prompt token is always evaluated again, because its
/// logits start the answer.
fn restore_prefix(
    ctx: &mut LlamaContext<'_>,
    cache: PrefixCache,
    tokens: &[LlamaToken],
) -> Option<usize> {
    let shared = common_prefix(&cache.tokens, tokens).min(tokens.len().saturating_sub(1));
    if shared < MIN_REUSE {
        return None;
    }
    let restored = ctx.state_seq_set(&cache.state, 0).is_ok()
        && ctx.kv_cache_seq_rm(0, Some(shared as u32), None).is_ok()
        // Some caches (sliding-window attention) report success but keep less: check.
        && ctx.kv_cache_seq_pos_max(0) == shared as i32 - 1;
    if restored {
        Some(shared)
    } else {
        ctx.clear_kv_cache();
        None
    }
}

#[cfg(all(test, feature = "cpu-variants"))]
mod tests {
    use super::*;

    #[test]
    fn the_amx_module_is_never_a_candidate_and_other_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let ext = std::env::consts::DLL_EXTENSION;
        for name in [
            format!("libggml-cpu-haswell.{ext}"),
            format!("libggml-cpu-sapphirerapids.{ext}"),
            format!("libggml-cpu-zen4.{ext}"),
            format!("libggml-base.{ext}"),
            "libggml-cpu-icelake.txt".to_string(),
        ] {
            std::fs::write(dir.path().join(name), b"").unwrap();
        }
        let names: Vec<String> = cpu_module_candidates(dir.path())
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                format!("libggml-cpu-haswell.{ext}"),
                format!("libggml-cpu-zen4.{ext}")
            ]
        );
    }

    #[test]
    fn the_built_modules_score_and_one_runs_on_this_machine() {
        let dir =
            llama_cpp_sys_2::BACKENDS_DIR.expect("a cpu-variants build names its modules' folder");
        let scores: Vec<i32> = cpu_module_candidates(std::path::Path::new(dir))
            .iter()
            .map(|p| cpu_module_score(p))
            .collect();
        assert!(scores.len() > 1, "the build wrote its CPU modules to {dir}");
        assert!(
            scores.iter().any(|s| *s > 0),
            "at least the baseline module runs here: {scores:?}"
        );
    }
}
