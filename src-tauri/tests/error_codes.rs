//! Every error code the backend can send is one the window knows, and the window knows no code
//! the backend cannot send.
//!
//! The window's messages are typed by `ERROR_CODES` in `ui/src/i18n.ts`: both languages are a
//! `Record<ErrorCode, string>`, so `tsc` fails when either lacks a translation. This test keeps
//! `ERROR_CODES` equal to the codes the Rust error types return (the `code()` of each error
//! enum, read from the sources), so a new Rust code without a translation fails here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Read at run time, as the project's conventions ask: a test binary built in one checkout and
/// run from another reads the sources it runs against.
fn repo() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo");
    Path::new(&manifest)
        .parent()
        .expect("the repository holds src-tauri")
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The string literals in `text` that look like codes (`lower_snake_case`).
fn literals(text: &str) -> impl Iterator<Item = &str> {
    text.split('"').skip(1).step_by(2).filter(|s| {
        !s.is_empty()
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    })
}

/// The codes the `code()` functions of the product crates and the window's backend return,
/// and the payloads the backend builds by hand (`code: "internal".into()`).
fn rust_codes() -> BTreeSet<String> {
    let mut files = Vec::new();
    for dir in ["crates", "src-tauri/src"] {
        rust_files(&repo().join(dir), &mut files);
    }
    let mut codes = BTreeSet::new();
    for file in files
        .iter()
        .filter(|f| f.components().any(|c| c.as_os_str() == "src"))
    {
        let text = std::fs::read_to_string(file).unwrap();
        for (start, _) in text.match_indices("fn code(") {
            let body = &text[start..];
            let end = body.find("\n    }\n").unwrap_or(body.len());
            codes.extend(literals(&body[..end]).map(str::to_string));
        }
        for (start, _) in text.match_indices("code: \"") {
            let rest = &text[start + "code: ".len()..];
            let line = rest.lines().next().unwrap_or_default();
            if line.contains(".into()") || line.contains("to_string()") {
                codes.extend(literals(line).map(str::to_string));
            }
        }
    }
    codes
}

/// `ERROR_CODES` in `ui/src/i18n.ts`.
fn ui_codes() -> BTreeSet<String> {
    let text = std::fs::read_to_string(repo().join("ui/src/i18n.ts")).unwrap();
    let start = text
        .find("export const ERROR_CODES = [")
        .expect("ui/src/i18n.ts declares ERROR_CODES");
    let list = &text[start..];
    let list = &list[..list.find("] as const").expect("ERROR_CODES ends")];
    literals(list).map(str::to_string).collect()
}

#[test]
fn every_code_the_backend_sends_is_translated_and_none_is_left_over() {
    let rust = rust_codes();
    let ui = ui_codes();
    assert!(rust.len() > 60, "the scan found the codes: {rust:?}");
    let untranslated: Vec<&String> = rust.difference(&ui).collect();
    assert!(
        untranslated.is_empty(),
        "codes the backend sends that ui/src/i18n.ts ERROR_CODES lacks (add them with an en \
         and a zh-CN message): {untranslated:?}"
    );
    let stale: Vec<&String> = ui.difference(&rust).collect();
    assert!(
        stale.is_empty(),
        "codes in ERROR_CODES that no Rust error returns any more: {stale:?}"
    );
}
