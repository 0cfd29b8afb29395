//! The model manager on real files: imports into the data directory, the registry in the
//! encrypted database, each task's model and sampling, and the remote engine's settings.

mod common;

use std::path::{Path, PathBuf};

use clinic::models::{EnginePlan, ModelImport, RemoteSettings, Task};
use clinic::{Clinic, Role};
use llm::remote::RemoteConfig;
use llm::{CancelToken, ChatMessage, Engine, GenerateRequest, Sampling};
use store::AuditFilter;

/// A GGUF file with a valid header and no tensors: what the registry needs, without weights.
fn tiny_gguf(dir: &Path, file: &str, architecture: &str, name: &str) -> PathBuf {
    let b = llm::gguf::minimal_file(&[
        ("general.architecture", architecture),
        ("general.name", name),
    ]);
    let path = dir.join(file);
    std::fs::write(&path, b).unwrap();
    path
}

fn import(
    clinic: &Clinic,
    admin: &clinic::Actor,
    path: &Path,
) -> clinic::Result<store::ModelRecord> {
    clinic.import_model(admin, path, &ModelImport::default(), &|| false, &mut |_| {})
}

/// Files in the models folder, hidden partial copies included.
fn model_files(clinic: &Clinic) -> Vec<String> {
    match std::fs::read_dir(clinic.models_dir()) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn last_action(clinic: &Clinic) -> store::AuditRecord {
    clinic.store().audit_list(&AuditFilter::default()).unwrap()[0].clone()
}

#[test]
fn an_admin_imports_a_real_model_from_a_chinese_path_and_chats_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(&dir.path().join("data"));
    let (gemma, gemma_sha) = common::gemma();
    let folder = dir.path().join("模型 U盘");
    std::fs::create_dir(&folder).unwrap();
    let source = folder.join("门诊 gemma.gguf");
    std::fs::copy(&gemma, &source).unwrap();

    let mut events = Vec::new();
    let record = clinic
        .import_model(
            &admin,
            &source,
            &ModelImport {
                name: None,
                expected_sha256: Some(gemma_sha.to_uppercase()),
            },
            &|| false,
            &mut |p| events.push(p),
        )
        .unwrap();
    // The hash the fetch script verified is the one computed during the copy.
    assert_eq!(record.sha256, gemma_sha);
    assert_eq!(record.architecture, "gemma3");
    assert!(!record.chat_template);
    assert_eq!(record.source_name, "门诊 gemma.gguf");
    let total = std::fs::metadata(&gemma).unwrap().len();
    assert!(events.len() > 3, "progress along the way: {events:?}");
    assert!(events.windows(2).all(|w| w[0].copied <= w[1].copied));
    assert_eq!(events.last().unwrap().copied, total);

    let listed = clinic.models(&admin).unwrap();
    assert_eq!(listed.len(), 1);
    let view = &listed[0];
    assert!(view.present && view.path.starts_with(clinic.models_dir()));
    assert_eq!(std::fs::metadata(&view.path).unwrap().len(), total);
    let memory = view.memory.as_ref().unwrap();
    assert!(
        memory.total_bytes > total && memory.kv_bytes > 0,
        "{memory:?}"
    );
    let audit = last_action(&clinic);
    assert_eq!(audit.action, "model_import");
    assert!(audit.detail.contains(&gemma_sha));

    // Chosen for the chat with the Gemma template, it answers.
    clinic
        .set_task_model(&admin, Task::Chat, Some(record.id))
        .unwrap();
    clinic
        .set_model_template(&admin, record.id, Some("gemma"))
        .unwrap();
    let EnginePlan::Local { path, options, .. } = clinic.engine_plan(Task::Chat).unwrap() else {
        panic!("the chat runs on the imported model");
    };
    assert_eq!(options.template_fallback.as_deref(), Some("gemma"));
    let engine = llm::local::LocalEngine::load(&path, &options).unwrap();
    let request = GenerateRequest {
        messages: vec![ChatMessage::user("Name one symptom of asthma.")],
        sampling: Sampling {
            temperature: 0.0,
            max_tokens: 8,
            ..Sampling::default()
        },
        grammar: None,
    };
    let stats = engine
        .generate(&request, &CancelToken::new(), &mut |_| {})
        .unwrap();
    assert!(stats.generated_tokens > 0);
    // The other tasks still use the built-in default.
    assert!(matches!(
        clinic.engine_plan(Task::Drafting).unwrap(),
        EnginePlan::BuiltIn { .. }
    ));
}

#[test]
fn files_that_cannot_be_models_are_refused_before_a_byte_is_copied() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(&dir.path().join("data"));
    let random = dir.path().join("random.gguf");
    std::fs::write(
        &random,
        (0..4096u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let truncated = dir.path().join("truncated.gguf");
    let head = std::fs::read(common::gemma().0).unwrap()[..1 << 20].to_vec();
    std::fs::write(&truncated, head).unwrap();
    let banana = tiny_gguf(dir.path(), "banana.gguf", "banana", "Banana 1B");
    for (path, code) in [
        (random, "invalid_gguf"),
        (truncated, "model_truncated"),
        (banana, "unsupported_architecture"),
        (dir.path().join("missing.gguf"), "model_not_found"),
    ] {
        let err = import(&clinic, &admin, &path).unwrap_err();
        assert_eq!(err.code(), code, "{}: {err}", path.display());
    }
    assert!(
        model_files(&clinic).is_empty(),
        "{:?}",
        model_files(&clinic)
    );
    assert!(clinic.models(&admin).unwrap().is_empty());
}

#[test]
fn a_wrong_hash_or_a_cancel_keeps_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(&dir.path().join("data"));
    let path = tiny_gguf(dir.path(), "a.gguf", "llama", "Tiny Llama");
    let err = clinic
        .import_model(
            &admin,
            &path,
            &ModelImport {
                name: None,
                expected_sha256: Some("0".repeat(64)),
            },
            &|| false,
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(err.code(), "checksum_mismatch", "{err}");
    let err = clinic
        .import_model(
            &admin,
            &path,
            &ModelImport::default(),
            &|| true,
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(err.code(), "cancelled");
    assert!(
        model_files(&clinic).is_empty(),
        "{:?}",
        model_files(&clinic)
    );
    assert!(clinic.models(&admin).unwrap().is_empty());
    let err = clinic
        .import_model(
            &admin,
            &path,
            &ModelImport {
                name: None,
                expected_sha256: Some("not a hash".into()),
            },
            &|| false,
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
}

#[test]
fn the_registry_names_renames_and_removes_models_but_not_one_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(&dir.path().join("data"));
    let a = import(
        &clinic,
        &admin,
        &tiny_gguf(dir.path(), "a.gguf", "llama", "Tiny"),
    )
    .unwrap();
    // The same file again is recognised by its hash.
    let err = import(&clinic, &admin, &dir.path().join("a.gguf")).unwrap_err();
    assert_eq!(err.code(), "already_exists");
    assert!(err.to_string().contains("Tiny"), "{err}");
    // A different file with the same name inside gets a distinguishing suffix.
    let b = import(
        &clinic,
        &admin,
        &tiny_gguf(dir.path(), "b.gguf", "qwen2", "Tiny"),
    )
    .unwrap();
    assert_ne!(a.name, b.name);
    assert!(b.name.starts_with("Tiny ("), "{}", b.name);

    clinic.rename_model(&admin, b.id, "门诊 Qwen").unwrap();
    let names: Vec<String> = clinic
        .models(&admin)
        .unwrap()
        .into_iter()
        .map(|m| m.record.name)
        .collect();
    assert!(names.contains(&"门诊 Qwen".to_string()), "{names:?}");
    assert_eq!(
        clinic
            .rename_model(&admin, a.id, "门诊 Qwen")
            .unwrap_err()
            .code(),
        "already_exists"
    );
    assert_eq!(
        clinic.rename_model(&admin, a.id, "  ").unwrap_err().code(),
        "invalid_input"
    );

    clinic
        .set_task_model(&admin, Task::TriageSummary, Some(a.id))
        .unwrap();
    let err = clinic.remove_model(&admin, a.id).unwrap_err();
    assert_eq!(err.code(), "in_use");
    assert!(err.to_string().contains("triage_summary"), "{err}");
    let file = clinic.models_dir().join(&a.file_name);
    assert!(file.exists(), "a refused removal keeps the file");

    clinic
        .set_task_model(&admin, Task::TriageSummary, None)
        .unwrap();
    clinic.remove_model(&admin, a.id).unwrap();
    assert!(!file.exists());
    assert_eq!(clinic.models(&admin).unwrap().len(), 1);
    assert_eq!(last_action(&clinic).action, "model_remove");
    assert_eq!(
        clinic.remove_model(&admin, a.id).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn only_an_admin_manages_models() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(&dir.path().join("data"));
    let path = tiny_gguf(dir.path(), "a.gguf", "llama", "Tiny");
    for role in [Role::Nurse, Role::Clinician] {
        let user = common::user(
            &clinic,
            &admin,
            &format!("u{role}"),
            role,
            "user password 1",
        );
        assert_eq!(
            import(&clinic, &user, &path).unwrap_err().code(),
            "forbidden"
        );
        assert_eq!(clinic.models(&user).unwrap_err().code(), "forbidden");
        assert_eq!(
            clinic
                .set_task_sampling(&user, Task::Chat, &Sampling::default())
                .unwrap_err()
                .code(),
            "forbidden"
        );
        assert_eq!(clinic.remote_view(&user).unwrap_err().code(), "forbidden");
    }
    assert!(model_files(&clinic).is_empty());
}

#[test]
fn sampling_is_stored_per_task_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(&dir.path().join("data"));
    assert_eq!(
        clinic
            .task_sampling(Task::TriageSummary)
            .unwrap()
            .temperature,
        0.0
    );
    let chosen = Sampling {
        temperature: 0.7,
        top_p: 0.8,
        seed: 7,
        max_tokens: 200,
        repeat_penalty: 1.2,
    };
    clinic
        .set_task_sampling(&admin, Task::Chat, &chosen)
        .unwrap();
    // Kept across a restart, and only for that task.
    drop(clinic);
    let (clinic, admin) = common::open(&dir.path().join("data"));
    assert_eq!(clinic.task_sampling(Task::Chat).unwrap(), chosen);
    assert_eq!(
        clinic.task_sampling(Task::Drafting).unwrap(),
        Task::Drafting.default_sampling()
    );
    let hot = Sampling {
        temperature: 5.0,
        ..chosen.clone()
    };
    assert_eq!(
        clinic
            .set_task_sampling(&admin, Task::Chat, &hot)
            .unwrap_err()
            .code(),
        "invalid_input"
    );
    assert_eq!(clinic.task_sampling(Task::Chat).unwrap(), chosen);
}

#[test]
fn the_remote_engine_is_off_by_default_and_its_key_is_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(&dir.path().join("data"));
    assert!(clinic.remote_view(&admin).unwrap().is_none());
    assert!(matches!(
        clinic.engine_plan(Task::Chat).unwrap(),
        EnginePlan::BuiltIn { .. }
    ));
    let config = RemoteConfig {
        base_url: "https://10.1.2.3:8000/v1".into(),
        model: "qwen2.5-7b-instruct".into(),
        api_key: Some("sk-hospital-secret".into()),
        timeout_s: 30,
        allow_http: false,
    };
    clinic
        .set_remote(
            &admin,
            RemoteSettings {
                enabled: true,
                config: config.clone(),
            },
        )
        .unwrap();
    let view = clinic.remote_view(&admin).unwrap().unwrap();
    assert!(view.enabled && view.api_key_set);
    assert_eq!(
        clinic.engine_plan(Task::Chat).unwrap(),
        EnginePlan::Remote(config.clone())
    );
    let audit = last_action(&clinic);
    assert_eq!(audit.action, "engine_remote");
    assert!(
        !audit.detail.contains("sk-hospital-secret"),
        "{}",
        audit.detail
    );

    // Saving without a key keeps the stored one; turning it off goes back to the workstation.
    clinic
        .set_remote(
            &admin,
            RemoteSettings {
                enabled: false,
                config: RemoteConfig {
                    api_key: None,
                    ..config.clone()
                },
            },
        )
        .unwrap();
    assert!(clinic.remote_view(&admin).unwrap().unwrap().api_key_set);
    assert!(matches!(
        clinic.engine_plan(Task::Chat).unwrap(),
        EnginePlan::BuiltIn { .. }
    ));
    // An unusable URL cannot be switched on.
    let err = clinic
        .set_remote(
            &admin,
            RemoteSettings {
                enabled: true,
                config: RemoteConfig {
                    base_url: "10.1.2.3:8000".into(),
                    ..config
                },
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "remote_config");
}

#[test]
fn threads_are_the_admins_choice_within_the_cores() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(&dir.path().join("data"));
    assert_eq!(
        clinic.engine_threads().unwrap(),
        llm::local::default_threads()
    );
    clinic.set_engine_threads(&admin, 1).unwrap();
    assert_eq!(clinic.engine_threads().unwrap(), 1);
    assert_eq!(
        clinic.set_engine_threads(&admin, 1000).unwrap_err().code(),
        "invalid_input"
    );
    let EnginePlan::BuiltIn { options } = clinic.engine_plan(Task::Chat).unwrap() else {
        panic!()
    };
    assert_eq!(options.n_threads, Some(1));
}

/// A loopback peer that answers every request with a one-model list and keeps each request's
/// `Authorization` header (or `None`): what a connection test really sends, seen from the
/// other end of the wire.
struct Recorder {
    port: u16,
    seen: std::sync::Arc<std::sync::Mutex<Vec<Option<String>>>>,
}

impl Recorder {
    fn start() -> Recorder {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut auth = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':') {
                        if name.eq_ignore_ascii_case("authorization") {
                            auth = Some(value.trim().to_string());
                        }
                    }
                }
                log.lock().unwrap().push(auth);
                let body = r#"{"data":[{"id":"m"}]}"#;
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Recorder { port, seen }
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    fn seen(&self) -> Vec<Option<String>> {
        self.seen.lock().unwrap().clone()
    }
}

fn remote_config(base_url: &str, api_key: Option<&str>) -> RemoteConfig {
    RemoteConfig {
        base_url: base_url.into(),
        model: "m".into(),
        api_key: api_key.map(str::to_string),
        timeout_s: 10,
        allow_http: false,
    }
}

fn save_remote(
    clinic: &Clinic,
    admin: &clinic::Actor,
    enabled: bool,
    config: RemoteConfig,
) -> clinic::Result<()> {
    clinic.set_remote(admin, RemoteSettings { enabled, config })
}

#[test]
fn the_stored_key_goes_only_to_the_server_it_was_saved_for() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(&dir.path().join("data"));
    let saved = Recorder::start();
    let other = Recorder::start();
    save_remote(
        &clinic,
        &admin,
        false,
        remote_config(&saved.base_url(), Some("sk-hospital-secret")),
    )
    .unwrap();

    // Testing the saved server without typing the key uses the stored one...
    clinic
        .test_remote(&admin, remote_config(&saved.base_url(), None))
        .unwrap();
    assert_eq!(
        saved.seen(),
        [Some("Bearer sk-hospital-secret".to_string())]
    );
    // ...and the same server written without /v1 is still the same server.
    clinic
        .test_remote(
            &admin,
            remote_config(&format!("http://127.0.0.1:{}", saved.port), None),
        )
        .unwrap();
    assert_eq!(saved.seen().len(), 2);
    assert!(saved.seen()[1].is_some());

    // A session that types another address (another port is another server) into Test gets
    // the answer, never the key.
    clinic
        .test_remote(&admin, remote_config(&other.base_url(), None))
        .unwrap();
    assert_eq!(other.seen(), [None]);

    // Saving the other address without a new key drops the stored key rather than carry it
    // along, so a later Test of the saved settings cannot send it either.
    save_remote(
        &clinic,
        &admin,
        true,
        remote_config(&other.base_url(), None),
    )
    .unwrap();
    assert!(!clinic.remote_view(&admin).unwrap().unwrap().api_key_set);
    let audit = last_action(&clinic);
    assert_eq!(audit.action, "engine_remote");
    assert!(
        audit.detail.contains("\"api_key_dropped\":true"),
        "{}",
        audit.detail
    );
    clinic
        .test_remote(&admin, remote_config(&other.base_url(), None))
        .unwrap();
    assert_eq!(other.seen(), [None, None]);
    let EnginePlan::Remote(plan) = clinic.engine_plan(Task::Chat).unwrap() else {
        panic!("the remote engine is enabled")
    };
    assert_eq!(plan.api_key, None);

    // A key typed with the new address is the admin's choice for that server.
    save_remote(
        &clinic,
        &admin,
        true,
        remote_config(&other.base_url(), Some("sk-other")),
    )
    .unwrap();
    clinic
        .test_remote(&admin, remote_config(&other.base_url(), None))
        .unwrap();
    assert_eq!(other.seen()[2].as_deref(), Some("Bearer sk-other"));
}

#[test]
fn plain_http_goes_only_to_this_machine() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(&dir.path().join("data"));
    let audit_rows = |clinic: &Clinic| {
        clinic
            .store()
            .audit_list(&AuditFilter::default())
            .unwrap()
            .len()
    };

    // Another host over plain http: questions and patient text would cross the network in
    // clear. Refused with its own code, nothing saved, nothing dialled (not "unreachable").
    let before = audit_rows(&clinic);
    for url in [
        "http://10.1.2.3:8000/v1",
        "http://ollama.ward.local:11434",
        "HTTP://8.8.8.8",
    ] {
        let err = save_remote(&clinic, &admin, true, remote_config(url, Some("sk-x"))).unwrap_err();
        assert_eq!(err.code(), "remote_insecure", "{url}: {err}");
        assert!(!err.to_string().contains("sk-x"));
        let err = clinic
            .test_remote(&admin, remote_config(url, None))
            .unwrap_err();
        assert_eq!(err.code(), "remote_insecure", "{url}: {err}");
    }
    assert!(clinic.remote_view(&admin).unwrap().is_none());
    // The refused tests are audited as failed attempts; no setting changed.
    assert!(clinic
        .store()
        .audit_list(&AuditFilter::default())
        .unwrap()
        .iter()
        .take(audit_rows(&clinic) - before)
        .all(|r| r.action == "engine_remote_test" && r.outcome != "ok"));

    // https anywhere, and plain http to this machine, are fine.
    for url in [
        "https://10.1.2.3:8000/v1",
        "http://127.0.0.1:8080/v1",
        "http://127.8.9.10:8080",
        "http://[::1]:8080/v1",
        "http://localhost:11434",
        "http://LocalHost:11434/v1",
    ] {
        save_remote(&clinic, &admin, true, remote_config(url, None))
            .unwrap_or_else(|e| panic!("{url}: {e}"));
    }
    // Switching a plain-http setting off is always possible: it sends nothing.
    save_remote(
        &clinic,
        &admin,
        false,
        remote_config("http://10.1.2.3:8000/v1", None),
    )
    .unwrap();
    assert!(!clinic.remote_view(&admin).unwrap().unwrap().allow_http);
}

#[test]
fn plain_http_to_another_host_needs_the_admins_allowance_which_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(&dir.path().join("data"));
    let actions = |clinic: &Clinic| -> Vec<(String, String)> {
        clinic
            .store()
            .audit_list(&AuditFilter::default())
            .unwrap()
            .into_iter()
            .map(|r| (r.action, r.detail))
            .collect()
    };
    let allowed = |url: &str| RemoteConfig {
        allow_http: true,
        ..remote_config(url, None)
    };

    // Allowed for this host: saved, and the allowance is its own audit row.
    save_remote(&clinic, &admin, true, allowed("http://10.1.2.3:8000/v1")).unwrap();
    let view = clinic.remote_view(&admin).unwrap().unwrap();
    assert!(view.enabled && view.allow_http);
    let log = actions(&clinic);
    assert_eq!(log[0].0, "engine_remote_allow_http");
    assert!(log[0].1.contains("\"host\":\"10.1.2.3\""), "{}", log[0].1);
    assert_eq!(log[1].0, "engine_remote");
    assert!(
        log[1].1.contains("\"unencrypted_http\":true"),
        "{}",
        log[1].1
    );
    let EnginePlan::Remote(plan) = clinic.engine_plan(Task::Chat).unwrap() else {
        panic!("enabled")
    };
    assert!(plan.allow_http);
    assert!(clinic::models::load_engine(&EnginePlan::Remote(plan)).is_ok());

    // Saved again for the same server: every save that uses it says so, but it is not set anew.
    save_remote(&clinic, &admin, true, allowed("http://10.1.2.3:8000")).unwrap();
    let log = actions(&clinic);
    assert_eq!(log[0].0, "engine_remote");
    assert!(
        log[0].1.contains("\"unencrypted_http\":true"),
        "{}",
        log[0].1
    );
    assert_eq!(
        log.iter()
            .filter(|(a, _)| a == "engine_remote_allow_http")
            .count(),
        1
    );

    // The allowance belongs to its host: another host without it is refused...
    let err = save_remote(
        &clinic,
        &admin,
        true,
        remote_config("http://10.9.9.9:8000/v1", None),
    )
    .unwrap_err();
    assert_eq!(err.code(), "remote_insecure");
    // ...and it is not kept for a URL that does not need it.
    save_remote(&clinic, &admin, true, allowed("https://10.1.2.3:8000/v1")).unwrap();
    assert!(!clinic.remote_view(&admin).unwrap().unwrap().allow_http);
    save_remote(&clinic, &admin, true, allowed("http://127.0.0.1:8000/v1")).unwrap();
    assert!(!clinic.remote_view(&admin).unwrap().unwrap().allow_http);
    assert_eq!(
        actions(&clinic)
            .iter()
            .filter(|(a, _)| a == "engine_remote_allow_http")
            .count(),
        1
    );

    // A Test with the allowance ticked may reach the host (here nothing answers) and the
    // attempt records that it went unencrypted.
    let err = clinic
        .test_remote(
            &admin,
            RemoteConfig {
                timeout_s: 1,
                ..allowed("http://10.255.255.1:9/v1")
            },
        )
        .map(|_| ())
        .unwrap_err();
    assert_ne!(err.code(), "remote_insecure");
    let log = actions(&clinic);
    assert_eq!(log[0].0, "engine_remote_test");
    assert!(
        log[0].1.contains("\"unencrypted_http\":true"),
        "{}",
        log[0].1
    );

    // Settings saved before the rule existed (plain http elsewhere, no allowance) are not
    // used: the chat gets the typed reason instead of sending patient text in clear.
    let legacy =
        r#"{"enabled":true,"base_url":"http://10.1.2.3:8000/v1","model":"m","timeout_s":30}"#;
    clinic
        .store()
        .set_setting(
            "engine.remote",
            legacy,
            &store::AuditEntry {
                username: String::new(),
                role: String::new(),
                action: "test_fixture".into(),
                object_kind: "setting".into(),
                object_id: "engine.remote".into(),
                outcome: store::Outcome::Ok,
                detail: "{}".into(),
            },
        )
        .unwrap();
    let plan = clinic.engine_plan(Task::Chat).unwrap();
    let err = clinic::models::load_engine(&plan).map(|_| ()).unwrap_err();
    assert_eq!(err.code(), "remote_insecure");

    // Its key can still be removed ("Remove key" sends the stored settings with an empty
    // key), although the settings themselves could not be saved again as they are.
    let with_key = r#"{"enabled":true,"base_url":"http://10.1.2.3:8000/v1","model":"m","timeout_s":10,"api_key":"sk-legacy"}"#;
    clinic
        .store()
        .set_setting(
            "engine.remote",
            with_key,
            &store::AuditEntry {
                username: String::new(),
                role: String::new(),
                action: "test_fixture".into(),
                object_kind: "setting".into(),
                object_id: "engine.remote".into(),
                outcome: store::Outcome::Ok,
                detail: "{}".into(),
            },
        )
        .unwrap();
    assert!(clinic.remote_view(&admin).unwrap().unwrap().api_key_set);
    save_remote(
        &clinic,
        &admin,
        true,
        remote_config("http://10.1.2.3:8000/v1", Some("")),
    )
    .unwrap();
    assert!(!clinic.remote_view(&admin).unwrap().unwrap().api_key_set);
    // Anything more than removing the key still needs the settings fixed.
    let err = save_remote(
        &clinic,
        &admin,
        true,
        remote_config("http://10.1.2.3:8000/v1", Some("sk-new")),
    )
    .unwrap_err();
    assert_eq!(err.code(), "remote_insecure");
}

#[test]
fn a_user_and_password_in_the_url_are_refused_and_never_logged() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(&dir.path().join("data"));
    let before = clinic
        .store()
        .audit_list(&AuditFilter::default())
        .unwrap()
        .len();
    for (enabled, url) in [
        (true, "https://admin:hunter2@llm.ward.local/v1"),
        (false, "https://admin:hunter2@llm.ward.local/v1"),
        (true, "http://hunter2@127.0.0.1:8000/v1"),
        (true, "http://:hunter2@127.0.0.1:8000/v1"),
    ] {
        let err = save_remote(&clinic, &admin, enabled, remote_config(url, None)).unwrap_err();
        assert_eq!(err.code(), "remote_url_credentials", "{url}: {err}");
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert!(!err.payload().message.contains("hunter2"));
        let err = clinic
            .test_remote(&admin, remote_config(url, None))
            .unwrap_err();
        assert_eq!(err.code(), "remote_url_credentials", "{url}: {err}");
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
    assert!(clinic.remote_view(&admin).unwrap().is_none());
    let audit = clinic.store().audit_list(&AuditFilter::default()).unwrap();
    assert!(
        audit.iter().all(|r| !r.detail.contains("hunter2")),
        "{audit:?}"
    );
    // Nothing reached outside the machine, so there is nothing to audit.
    assert_eq!(audit.len(), before);
}
