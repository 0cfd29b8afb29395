//! Reading and checking a GGUF file's header without loading the model.
//!
//! llama.cpp answers a bad file with a null pointer and a reason in its log only, and it maps
//! the whole file before checking extents. Reading the header ourselves gives the admin a typed
//! error (not a GGUF, truncated, unknown architecture) in a few milliseconds, and tells the UI
//! what a model is before anyone waits for it to load.
//!
//! Every length read from the file is checked against the bytes that remain, so a hostile or
//! corrupt header cannot make us allocate or loop without bound.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::{LlmError, Result};

const MAGIC: &[u8; 4] = b"GGUF";
const DEFAULT_ALIGNMENT: u64 = 32;

/// Architectures the bundled llama.cpp (llama-cpp-sys-2 0.1.161) knows, from its
/// `LLM_ARCH_NAMES`. Update this list when the llama.cpp version changes.
pub const SUPPORTED_ARCHITECTURES: &[&str] = &[
    "llama",
    "llama4",
    "deci",
    "falcon",
    "grok",
    "gpt2",
    "gptj",
    "gptneox",
    "mpt",
    "baichuan",
    "starcoder",
    "refact",
    "bert",
    "modern-bert",
    "nomic-bert",
    "nomic-bert-moe",
    "neo-bert",
    "jina-bert-v2",
    "jina-bert-v3",
    "eurobert",
    "bloom",
    "stablelm",
    "qwen",
    "qwen2",
    "qwen2moe",
    "qwen2vl",
    "qwen3",
    "qwen3moe",
    "qwen3next",
    "qwen3vl",
    "qwen3vlmoe",
    "qwen35",
    "qwen35moe",
    "phi2",
    "phi3",
    "phimoe",
    "plamo",
    "plamo2",
    "plamo3",
    "codeshell",
    "orion",
    "internlm2",
    "minicpm",
    "minicpm3",
    "gemma",
    "gemma2",
    "gemma3",
    "gemma3n",
    "gemma4",
    "gemma-embedding",
    "starcoder2",
    "mamba",
    "mamba2",
    "jamba",
    "falcon-h1",
    "xverse",
    "command-r",
    "cohere2",
    "dbrx",
    "olmo",
    "olmo2",
    "olmoe",
    "openelm",
    "arctic",
    "deepseek",
    "deepseek2",
    "chatglm",
    "glm4",
    "glm4moe",
    "bitnet",
    "t5",
    "t5encoder",
    "jais",
    "nemotron",
    "nemotron_h",
    "exaone",
    "exaone4",
    "rwkv6",
    "rwkv6qwen2",
    "rwkv7",
    "arwkv7",
    "granite",
    "granitemoe",
    "granitehybrid",
    "chameleon",
    "plm",
    "bailingmoe",
    "bailingmoe2",
    "dots1",
    "arcee",
    "ernie4_5",
    "ernie4_5-moe",
    "hunyuan-moe",
    "hunyuan-dense",
    "smollm3",
    "gpt-oss",
    "lfm2",
    "lfm2moe",
    "dream",
    "smallthinker",
    "llada",
    "llada-moe",
    "seed_oss",
    "grovemoe",
    "apertus",
    "minimax-m2",
    "cogvlm",
    "pangu-embedded",
    "mistral3",
];

/// What a GGUF file says about itself.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ModelInfo {
    /// `general.architecture`, e.g. `qwen2`.
    pub architecture: String,
    /// `general.name`, when present.
    pub name: Option<String>,
    /// Total number of weights, summed over tensors.
    pub parameters: u64,
    /// Quantisation from `general.file_type`, e.g. `Q4_K_M`.
    pub quantization: Option<String>,
    /// The context length the model was trained for.
    pub context_length: Option<u64>,
    /// Whether the file carries a chat template (a chat model) or not (a base model).
    pub chat_template: bool,
    /// KV-cache bytes per context token at f16, from the layer and head counts; `None` when
    /// the metadata does not say.
    pub kv_bytes_per_token: Option<u64>,
    /// `general.languages` (ISO codes), when the file states them.
    pub languages: Vec<String>,
    /// GGUF format version.
    pub gguf_version: u32,
    /// Number of tensors.
    pub tensors: u64,
    /// File size in bytes.
    pub file_size: u64,
}

/// Reads and validates the header of `path`: magic, version, metadata, tensor table, and that
/// the file is long enough for every tensor. Does not check the weights' values.
pub fn read_info(path: &Path) -> Result<ModelInfo> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LlmError::NotFound(path.to_path_buf()),
        _ => LlmError::Io(e),
    })?;
    if !meta.is_file() {
        return Err(invalid("not a regular file"));
    }
    let file_size = meta.len();
    let mut r = Reader {
        inner: BufReader::with_capacity(1 << 16, File::open(path)?),
        pos: 0,
        len: file_size,
    };

    let mut magic = [0u8; 4];
    r.bytes(&mut magic)?;
    if &magic != MAGIC {
        return Err(invalid("the file does not start with the GGUF magic bytes"));
    }
    let version = r.u32()?;
    if !(2..=3).contains(&version) {
        return Err(invalid(&format!("unsupported GGUF version {version}")));
    }
    let tensors = r.u64()?;
    let kvs = r.u64()?;
    // Each metadata entry takes at least 12 bytes and each tensor entry at least 24.
    if kvs.saturating_mul(12) > r.remaining() || tensors.saturating_mul(24) > r.remaining() {
        return Err(invalid(
            "the header announces more entries than the file can hold",
        ));
    }

    let mut h = Header::default();
    for _ in 0..kvs {
        let key = r.string()?;
        let ty = r.u32()?;
        h.read_value(&mut r, &key, ty)?;
    }

    let mut parameters = 0u64;
    let mut data_needed = 0u64;
    for _ in 0..tensors {
        let _name = r.string()?;
        let dims = r.u32()?;
        if dims == 0 || dims > 8 {
            return Err(invalid(&format!("a tensor has {dims} dimensions")));
        }
        let mut elements = 1u64;
        for _ in 0..dims {
            elements = elements
                .checked_mul(r.u64()?)
                .ok_or_else(|| invalid("a tensor's size overflows"))?;
        }
        let ty = r.u32()?;
        if ty >= GGML_TYPE_COUNT {
            return Err(invalid(&format!("a tensor has the unknown type {ty}")));
        }
        let offset = r.u64()?;
        parameters = parameters.saturating_add(elements);
        let bytes = tensor_bytes(ty, elements).unwrap_or(0);
        data_needed = data_needed.max(offset.saturating_add(bytes));
    }
    let alignment = h.alignment.unwrap_or(DEFAULT_ALIGNMENT).max(1);
    // Tensor data starts at the next alignment boundary; a file without tensors ends here.
    let expected = if tensors == 0 {
        r.pos
    } else {
        (r.pos.div_ceil(alignment) * alignment).saturating_add(data_needed)
    };
    if expected > file_size {
        return Err(LlmError::Truncated {
            expected,
            actual: file_size,
        });
    }

    let architecture = h
        .architecture
        .ok_or_else(|| invalid("general.architecture is missing"))?;
    if !SUPPORTED_ARCHITECTURES.contains(&architecture.as_str()) {
        return Err(LlmError::UnsupportedArchitecture(architecture));
    }
    let number = |name: &str| {
        let key = format!("{architecture}.{name}");
        h.numbers.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    };
    let context_length = number("context_length");
    let layers = number("block_count");
    let heads = number("attention.head_count");
    let kv_heads = number("attention.head_count_kv").or(heads);
    let head_dim = match (
        number("attention.key_length"),
        number("embedding_length"),
        heads,
    ) {
        (Some(k), _, _) => Some(k),
        (None, Some(e), Some(h)) if h > 0 => Some(e / h),
        _ => None,
    };
    // K and V, f16 (2 bytes), per layer and KV head.
    let kv_bytes_per_token = match (layers, kv_heads, head_dim) {
        (Some(l), Some(k), Some(d)) => l
            .checked_mul(k)
            .and_then(|x| x.checked_mul(d))
            .and_then(|x| x.checked_mul(4)),
        _ => None,
    };
    Ok(ModelInfo {
        kv_bytes_per_token,
        architecture,
        name: h.name,
        parameters,
        quantization: h.file_type.map(file_type_name),
        context_length,
        chat_template: h.chat_template,
        languages: h.languages,
        gguf_version: version,
        tensors,
        file_size,
    })
}

/// The smallest valid GGUF file: a version 3 header with the given string metadata and no
/// tensors. It passes [`read_info`] (with a supported `general.architecture`) but llama.cpp
/// cannot run it; tests and tools use it to exercise a model registry without weights.
pub fn minimal_file(metadata: &[(&str, &str)]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(MAGIC);
    b.extend_from_slice(&3u32.to_le_bytes());
    b.extend_from_slice(&0u64.to_le_bytes());
    b.extend_from_slice(&(metadata.len() as u64).to_le_bytes());
    for (k, v) in metadata {
        b.extend_from_slice(&(k.len() as u64).to_le_bytes());
        b.extend_from_slice(k.as_bytes());
        b.extend_from_slice(&T_STRING.to_le_bytes());
        b.extend_from_slice(&(v.len() as u64).to_le_bytes());
        b.extend_from_slice(v.as_bytes());
    }
    b
}

/// ggml's number of tensor types in the bundled llama.cpp (`GGML_TYPE_COUNT` in llama-cpp-sys-2 0.1.161): a
/// type id at or above it is not a weight llama.cpp can read.
const GGML_TYPE_COUNT: u32 = 43;

fn invalid(reason: &str) -> LlmError {
    LlmError::InvalidGguf {
        reason: reason.to_string(),
    }
}

/// Architecture-scoped integer keys kept from the metadata.
const SIZE_KEYS: &[&str] = &[
    ".context_length",
    ".block_count",
    ".embedding_length",
    ".attention.head_count",
    ".attention.head_count_kv",
    ".attention.key_length",
];

/// The metadata Bedside cares about.
#[derive(Default)]
struct Header {
    architecture: Option<String>,
    name: Option<String>,
    file_type: Option<u32>,
    alignment: Option<u64>,
    chat_template: bool,
    languages: Vec<String>,
    /// Architecture-scoped sizes (`qwen2.block_count`, …).
    numbers: Vec<(String, u64)>,
}

// GGUF value types.
const T_U8: u32 = 0;
const T_I8: u32 = 1;
const T_U16: u32 = 2;
const T_I16: u32 = 3;
const T_U32: u32 = 4;
const T_I32: u32 = 5;
const T_F32: u32 = 6;
const T_BOOL: u32 = 7;
const T_STRING: u32 = 8;
const T_ARRAY: u32 = 9;
const T_U64: u32 = 10;
const T_I64: u32 = 11;
const T_F64: u32 = 12;

impl Header {
    fn read_value(&mut self, r: &mut Reader, key: &str, ty: u32) -> Result<()> {
        match (key, ty) {
            ("general.architecture", T_STRING) => self.architecture = Some(r.string()?),
            ("general.name", T_STRING) => self.name = Some(r.string()?),
            ("general.file_type", T_U32) => self.file_type = Some(r.u32()?),
            ("general.alignment", T_U32) => self.alignment = Some(u64::from(r.u32()?)),
            ("tokenizer.chat_template", T_STRING) => {
                self.chat_template = !r.string()?.trim().is_empty();
            }
            ("general.languages", T_ARRAY) => {
                let inner = r.u32()?;
                let count = r.u64()?;
                if count > r.remaining() {
                    return Err(invalid("a metadata array is longer than the file"));
                }
                if inner != T_STRING || count > 64 {
                    // Not a short list of codes: skip it like any other array.
                    for _ in 0..count {
                        skip_value(r, inner, 1)?;
                    }
                } else {
                    for _ in 0..count {
                        self.languages.push(r.string()?);
                    }
                }
            }
            (k, T_U32 | T_U64) if SIZE_KEYS.iter().any(|s| k.ends_with(s)) => {
                let v = if ty == T_U32 {
                    u64::from(r.u32()?)
                } else {
                    r.u64()?
                };
                self.numbers.push((k.to_string(), v));
            }
            _ => skip_value(r, ty, 0)?,
        }
        Ok(())
    }
}

fn skip_value(r: &mut Reader, ty: u32, depth: u32) -> Result<()> {
    match ty {
        T_U8 | T_I8 | T_BOOL => r.skip(1),
        T_U16 | T_I16 => r.skip(2),
        T_U32 | T_I32 | T_F32 => r.skip(4),
        T_U64 | T_I64 | T_F64 => r.skip(8),
        T_STRING => {
            let n = r.u64()?;
            r.skip(n)
        }
        T_ARRAY => {
            if depth > 2 {
                return Err(invalid("metadata arrays nest too deeply"));
            }
            let inner = r.u32()?;
            let count = r.u64()?;
            if count > r.remaining() {
                return Err(invalid("a metadata array is longer than the file"));
            }
            match inner {
                T_U8 | T_I8 | T_BOOL => r.skip(count),
                T_U16 | T_I16 => r.skip(count.saturating_mul(2)),
                T_U32 | T_I32 | T_F32 => r.skip(count.saturating_mul(4)),
                T_U64 | T_I64 | T_F64 => r.skip(count.saturating_mul(8)),
                _ => {
                    for _ in 0..count {
                        skip_value(r, inner, depth + 1)?;
                    }
                    Ok(())
                }
            }
        }
        other => Err(invalid(&format!("unknown metadata value type {other}"))),
    }
}

/// Bytes taken by `elements` weights of ggml type `ty`, for the types whose block layout is
/// fixed; `None` for types this table does not know (their extent is then not checked).
fn tensor_bytes(ty: u32, elements: u64) -> Option<u64> {
    // (bytes per block, elements per block), from ggml's type traits.
    let (block_bytes, block_elems): (u64, u64) = match ty {
        0 => (4, 1),      // F32
        1 => (2, 1),      // F16
        2 => (18, 32),    // Q4_0
        3 => (20, 32),    // Q4_1
        6 => (22, 32),    // Q5_0
        7 => (24, 32),    // Q5_1
        8 => (34, 32),    // Q8_0
        9 => (36, 32),    // Q8_1
        10 => (84, 256),  // Q2_K
        11 => (110, 256), // Q3_K
        12 => (144, 256), // Q4_K
        13 => (176, 256), // Q5_K
        14 => (210, 256), // Q6_K
        15 => (292, 256), // Q8_K
        16 => (66, 256),  // IQ2_XXS
        17 => (74, 256),  // IQ2_XS
        18 => (98, 256),  // IQ3_XXS
        19 => (50, 256),  // IQ1_S
        20 => (18, 32),   // IQ4_NL
        21 => (110, 256), // IQ3_S
        22 => (82, 256),  // IQ2_S
        23 => (136, 256), // IQ4_XS
        24 => (1, 1),     // I8
        25 => (2, 1),     // I16
        26 => (4, 1),     // I32
        27 => (8, 1),     // I64
        28 => (8, 1),     // F64
        29 => (56, 256),  // IQ1_M
        30 => (2, 1),     // BF16
        _ => return None,
    };
    Some(elements.div_ceil(block_elems).saturating_mul(block_bytes))
}

/// Names of llama.cpp's `llama_ftype` values.
fn file_type_name(ft: u32) -> String {
    let name = match ft {
        0 => "F32",
        1 => "F16",
        2 => "Q4_0",
        3 => "Q4_1",
        7 => "Q8_0",
        8 => "Q5_0",
        9 => "Q5_1",
        10 => "Q2_K",
        11 => "Q3_K_S",
        12 => "Q3_K_M",
        13 => "Q3_K_L",
        14 => "Q4_K_S",
        15 => "Q4_K_M",
        16 => "Q5_K_S",
        17 => "Q5_K_M",
        18 => "Q6_K",
        19 => "IQ2_XXS",
        20 => "IQ2_XS",
        21 => "Q2_K_S",
        22 => "IQ3_XS",
        23 => "IQ3_XXS",
        24 => "IQ1_S",
        25 => "IQ4_NL",
        26 => "IQ3_S",
        27 => "IQ3_M",
        28 => "IQ2_S",
        29 => "IQ2_M",
        30 => "IQ4_XS",
        31 => "IQ1_M",
        32 => "BF16",
        36 => "TQ1_0",
        37 => "TQ2_0",
        38 => "MXFP4_MOE",
        other => return format!("type {other}"),
    };
    name.to_string()
}

/// A little-endian reader that knows how much of the file is left.
struct Reader {
    inner: BufReader<File>,
    pos: u64,
    len: u64,
}

impl Reader {
    fn remaining(&self) -> u64 {
        self.len.saturating_sub(self.pos)
    }

    fn bytes(&mut self, buf: &mut [u8]) -> Result<()> {
        if buf.len() as u64 > self.remaining() {
            return Err(LlmError::Truncated {
                expected: self.pos + buf.len() as u64,
                actual: self.len,
            });
        }
        self.inner.read_exact(buf)?;
        self.pos += buf.len() as u64;
        Ok(())
    }

    fn skip(&mut self, n: u64) -> Result<()> {
        if n > self.remaining() {
            return Err(LlmError::Truncated {
                expected: self.pos.saturating_add(n),
                actual: self.len,
            });
        }
        let delta = i64::try_from(n).map_err(|_| invalid("a length does not fit"))?;
        self.inner.seek_relative(delta)?;
        self.pos += n;
        Ok(())
    }

    fn u32(&mut self) -> Result<u32> {
        let mut b = [0u8; 4];
        self.bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn u64(&mut self) -> Result<u64> {
        let mut b = [0u8; 8];
        self.bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn string(&mut self) -> Result<String> {
        let n = self.u64()?;
        if n > self.remaining() || n > 64 * 1024 * 1024 {
            return Err(invalid("a metadata string is longer than the file"));
        }
        let mut buf = vec![0u8; n as usize];
        self.bytes(&mut buf)?;
        String::from_utf8(buf).map_err(|_| invalid("a metadata string is not UTF-8"))
    }
}
