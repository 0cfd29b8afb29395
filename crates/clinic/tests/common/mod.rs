//! Paths shared by the clinic tests: the evaluation corpus and the test model.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `shared/evaldata`, beside the repository (CI lays a copy there), or `$BEDSIDE_EVALDATA`.
pub fn evaldata() -> PathBuf {
    std::env::var_os("BEDSIDE_EVALDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("../../../shared/evaldata"))
}

/// The sample guidelines shipped in `assets/guidelines`.
pub fn sample_guidelines() -> PathBuf {
    manifest_dir().join("../../assets/guidelines")
}

/// The default chat model; a missing file fails the test with the command that fetches it.
pub fn qwen() -> PathBuf {
    let cache = std::env::var_os("BEDSIDE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/bedside"));
    let path = cache.join("models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf");
    assert!(
        path.exists(),
        "{} is missing: run scripts/fetch-models.sh",
        path.display()
    );
    path
}

/// The default model on two threads with a 4096-token context, as every model test here uses.
pub fn qwen_engine() -> llm::local::LocalEngine {
    llm::local::LocalEngine::load(
        &qwen(),
        &llm::local::LocalOptions {
            n_ctx: 4096,
            n_threads: Some(2),
            ..Default::default()
        },
    )
    .unwrap()
}

/// The passphrase every test database is encrypted with.
pub fn key() -> store::Key {
    store::Key::Passphrase("clinic test passphrase".into())
}

/// Opens the data directory and logs in as its admin, creating the admin on first use. Search
/// is lexical: embedding the sample library costs about a minute of CPU, which the tests of
/// other workflows do not need; `open_semantic` and tests/retrieval.rs test search by meaning.
pub fn open(dir: &Path) -> (clinic::Clinic, clinic::Actor) {
    let (clinic, admin) = open_semantic(dir);
    (clinic.without_embeddings(), admin)
}

/// [`open`] with the embedding model: imports embed their passages and search fuses meaning.
pub fn open_semantic(dir: &Path) -> (clinic::Clinic, clinic::Actor) {
    let clinic = clinic::Clinic::open(dir, &key()).unwrap();
    let admin = if clinic.needs_first_admin().unwrap() {
        clinic
            .create_first_admin("admin", "Admin", "admin password 1")
            .unwrap()
    } else {
        clinic.login("admin", "admin password 1").unwrap()
    };
    (clinic, admin)
}

/// [`open`], with the sample guidelines imported by the admin.
pub fn open_with_samples(dir: &Path) -> (clinic::Clinic, clinic::Actor) {
    let (clinic, admin) = open(dir);
    clinic
        .import(&admin, &[sample_guidelines()], &|| false, &mut |_| {})
        .unwrap();
    (clinic, admin)
}

/// As `admin`, creates an account and logs it in the way its owner would the first time:
/// with the password the admin chose, replaced at once by `password` (the owner's own).
pub fn user(
    clinic: &clinic::Clinic,
    admin: &clinic::Actor,
    username: &str,
    role: clinic::Role,
    password: &str,
) -> clinic::Actor {
    let initial = format!("{password} from the admin");
    clinic
        .add_user(
            admin,
            &clinic::NewAccount {
                username: username.into(),
                display_name: String::new(),
                role,
                password: initial.clone(),
            },
        )
        .unwrap();
    let first = clinic.login(username, &initial).unwrap();
    clinic.change_password(&first, &initial, password).unwrap()
}

/// Gemma 3 270M: a second architecture, a base model without a chat template, and the
/// SHA-256 `scripts/fetch-models.sh` verified it against.
pub fn gemma() -> (PathBuf, String) {
    let path = qwen().with_file_name("gemma-3-270m-q4_k_m.gguf");
    assert!(
        path.exists(),
        "{} is missing: run scripts/fetch-models.sh",
        path.display()
    );
    let sha = std::fs::read_to_string(path.with_extension("gguf.sha256")).unwrap();
    (path, sha.split_whitespace().next().unwrap().to_string())
}

/// The package's folder, read when the test runs. Cargo and nextest set `CARGO_MANIFEST_DIR`
/// for the test process; the compile-time value goes stale when a reused target directory
/// holds a test binary built in another checkout, whose files may differ or be gone.
pub fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
