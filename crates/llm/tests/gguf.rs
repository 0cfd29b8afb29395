//! Reading model headers, and refusing bad files with typed errors.

mod common;

use std::io::Write;

use llm::gguf::read_info;
use llm::LlmError;

#[test]
fn the_default_model_is_a_qwen2_chat_model() {
    let info = read_info(&common::qwen()).unwrap();
    assert_eq!(info.architecture, "qwen2");
    assert!(info.chat_template);
    assert_eq!(info.quantization.as_deref(), Some("Q4_K_M"));
    // 0.5B, plus the output matrix that this file stores untied from the embeddings (136M).
    assert!(
        (450_000_000..700_000_000).contains(&info.parameters),
        "{}",
        info.parameters
    );
    assert!(info.context_length.unwrap_or(0) >= 4096);
    // 24 layers × 2 KV heads × 64 dims × (K and V) × 2 bytes.
    assert_eq!(info.kv_bytes_per_token, Some(24 * 2 * 64 * 2 * 2));
}

#[test]
fn gemma_is_a_second_architecture_without_chat_template() {
    let info = read_info(&common::gemma()).unwrap();
    assert_eq!(info.architecture, "gemma3");
    assert!(!info.chat_template);
}

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    path
}

#[test]
fn files_that_are_not_gguf_are_refused_as_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let random: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    for (name, bytes) in [
        ("empty.gguf", &b""[..]),
        ("text.gguf", &b"this is not a model, just some text\n"[..]),
        ("random.gguf", &random[..]),
    ] {
        let err = read_info(&write(dir.path(), name, bytes)).unwrap_err();
        assert!(
            matches!(
                err,
                LlmError::InvalidGguf { .. } | LlmError::Truncated { .. }
            ),
            "{name}: {err:?}"
        );
    }
    let err = read_info(dir.path()).unwrap_err();
    assert_eq!(err.code(), "invalid_gguf");
}

#[test]
fn a_missing_file_is_not_found() {
    let err = read_info(std::path::Path::new("/nonexistent/model.gguf")).unwrap_err();
    assert_eq!(err.code(), "model_not_found");
}

#[test]
fn a_truncated_copy_is_reported_as_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::read(common::gemma()).unwrap();
    for len in [4096usize, 1 << 20, full.len() - 1] {
        let path = write(dir.path(), "cut.gguf", &full[..len]);
        let err = read_info(&path).unwrap_err();
        assert!(
            matches!(
                err,
                LlmError::Truncated { .. } | LlmError::InvalidGguf { .. }
            ),
            "{len}: {err:?}"
        );
        if len == full.len() - 1 {
            assert_eq!(err.code(), "model_truncated");
        }
    }
}

#[test]
fn an_unknown_architecture_is_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "x.gguf",
        &llm::gguf::minimal_file(&[("general.architecture", "banana")]),
    );
    match read_info(&path).unwrap_err() {
        LlmError::UnsupportedArchitecture(a) => assert_eq!(a, "banana"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_header_announcing_absurd_counts_fails_fast() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = llm::gguf::minimal_file(&[]);
    b[8..16].copy_from_slice(&u64::MAX.to_le_bytes());
    let err = read_info(&write(dir.path(), "huge.gguf", &b)).unwrap_err();
    assert_eq!(err.code(), "invalid_gguf");
}

#[test]
fn a_tensor_of_a_type_ggml_does_not_know_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = llm::gguf::minimal_file(&[("general.architecture", "llama")]);
    // One tensor: 32 x 32 of type 200.
    b[8..16].copy_from_slice(&1u64.to_le_bytes());
    let name = b"token_embd.weight";
    b.extend_from_slice(&(name.len() as u64).to_le_bytes());
    b.extend_from_slice(name);
    b.extend_from_slice(&2u32.to_le_bytes());
    b.extend_from_slice(&32u64.to_le_bytes());
    b.extend_from_slice(&32u64.to_le_bytes());
    b.extend_from_slice(&200u32.to_le_bytes());
    b.extend_from_slice(&0u64.to_le_bytes());
    b.extend_from_slice(&[1u8; 8192]);
    let err = read_info(&write(dir.path(), "type.gguf", &b)).unwrap_err();
    assert_eq!(err.code(), "invalid_gguf");
    assert!(err.to_string().contains("unknown type 200"), "{err}");
}
