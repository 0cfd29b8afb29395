//! Fitting a model into the memory a workstation has free.
//!
//! Peers are criticised for defaults that double RAM use and end in an out-of-memory kill. The
//! weights (memory-mapped, the file's size) and the KV cache (per context token, from the
//! model's metadata) are computed before loading; the context is the largest that fits the
//! memory available with a margin, and a model that does not fit even a small context is
//! refused with a clear error.

use crate::gguf::ModelInfo;
use crate::{LlmError, Result};

/// Kept free for the window, imports and llama.cpp's compute buffers.
pub const MARGIN_BYTES: u64 = 768 * 1024 * 1024;
/// The smallest context worth running: a question with a few passages.
pub const MIN_CTX: u32 = 1024;

/// How a model will use memory.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MemoryPlan {
    /// The context to use, in tokens.
    pub n_ctx: u32,
    /// Weights (the file size; memory-mapped).
    pub weights_bytes: u64,
    /// KV cache for `n_ctx` tokens.
    pub kv_bytes: u64,
    /// Weights, KV cache and margin.
    pub total_bytes: u64,
}

/// The largest context up to `requested` (and the model's training length) that fits in
/// `available` bytes with [`MARGIN_BYTES`] to spare.
pub fn plan(info: &ModelInfo, requested: u32, available: u64) -> Result<MemoryPlan> {
    let weights = info.file_size;
    // Unknown geometry: assume a generous 256 KiB per token (larger than any 7B model at f16).
    let per_token = info.kv_bytes_per_token.unwrap_or(256 * 1024).max(1);
    let trained = info.context_length.unwrap_or(u64::from(requested));
    let want = u64::from(requested)
        .min(trained)
        .max(u64::from(MIN_CTX.min(requested)));
    let room = available.saturating_sub(weights.saturating_add(MARGIN_BYTES));
    let fits = room / per_token;
    let n_ctx = want.min(fits);
    let floor = u64::from(MIN_CTX).min(want);
    if n_ctx < floor {
        return Err(LlmError::InsufficientMemory {
            needed: weights
                .saturating_add(MARGIN_BYTES)
                .saturating_add(floor.saturating_mul(per_token)),
            available,
        });
    }
    // Round down to a multiple of 256 (llama.cpp pads the context anyway), but never below
    // what was asked for when that was smaller.
    let n_ctx = (((n_ctx / 256) * 256).max(256).min(want)).min(u64::from(u32::MAX)) as u32;
    let kv_bytes = u64::from(n_ctx).saturating_mul(per_token);
    Ok(MemoryPlan {
        n_ctx,
        weights_bytes: weights,
        kv_bytes,
        total_bytes: weights
            .saturating_add(kv_bytes)
            .saturating_add(MARGIN_BYTES),
    })
}

/// Memory the kernel says is available for new allocations (`MemAvailable`), in bytes.
pub fn available_bytes() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(file_size: u64, per_token: Option<u64>, trained: u64) -> ModelInfo {
        ModelInfo {
            architecture: "qwen2".into(),
            name: None,
            parameters: 0,
            quantization: None,
            context_length: Some(trained),
            chat_template: true,
            kv_bytes_per_token: per_token,
            languages: Vec::new(),
            gguf_version: 3,
            tensors: 1,
            file_size,
        }
    }

    const MIB: u64 = 1024 * 1024;
    const GIB: u64 = 1024 * MIB;

    #[test]
    fn plenty_of_memory_gives_the_requested_context() {
        let p = plan(&info(500 * MIB, Some(12 * 1024), 32768), 4096, 16 * GIB).unwrap();
        assert_eq!(p.n_ctx, 4096);
        assert_eq!(p.kv_bytes, 4096 * 12 * 1024);
    }

    #[test]
    fn the_context_never_exceeds_what_the_model_was_trained_for() {
        let p = plan(&info(500 * MIB, Some(12 * 1024), 2048), 8192, 16 * GIB).unwrap();
        assert_eq!(p.n_ctx, 2048);
    }

    #[test]
    fn tight_memory_shrinks_the_context_to_what_fits() {
        // 4.5 GiB file, 128 KiB per token, 6 GiB free: about 6000 tokens fit after the margin.
        let p = plan(&info(4608 * MIB, Some(128 * 1024), 32768), 32768, 6 * GIB).unwrap();
        assert!(p.n_ctx < 32768 && p.n_ctx >= MIN_CTX, "{p:?}");
        assert!(p.total_bytes <= 6 * GIB);
    }

    #[test]
    fn a_model_that_cannot_fit_a_small_context_is_refused() {
        let err = plan(&info(7 * GIB, Some(128 * 1024), 32768), 4096, 7 * GIB).unwrap_err();
        assert_eq!(err.code(), "insufficient_memory");
        assert!(err.to_string().contains("GiB"), "{err}");
    }
}
