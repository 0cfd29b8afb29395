//! `bedside model …`: the model manager without a window (admin), and `model info`, which
//! reads a file's header and needs no login.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use clinic::models::{ModelImport, RemoteSettings, Task};
use clinic::ClinicError;
use llm::remote::RemoteConfig;
use llm::Sampling;
use serde_json::json;

use crate::commands::Output;
use crate::session::Session;

/// Where the remote engine's API key comes from: never the command line, which other users of
/// the workstation can read in the process list.
pub const API_KEY_VAR: &str = "BEDSIDE_REMOTE_API_KEY";

#[derive(Subcommand)]
pub enum ModelCommand {
    /// Read a GGUF file's header: architecture, size, quantisation, chat template.
    Info {
        /// The model file.
        path: PathBuf,
    },
    /// Copy a GGUF file into the data directory and register it (admin).
    Import {
        /// The model file.
        path: PathBuf,
        /// Display name (default: the file's own name and quantisation).
        #[arg(long)]
        name: Option<String>,
        /// The SHA-256 the vendor published; the import fails if the file's differs.
        #[arg(long)]
        sha256: Option<String>,
    },
    /// The registered models with size, memory estimate and the tasks using them (admin).
    List,
    /// Give a model another name (admin).
    Rename {
        /// The model's id.
        id: i64,
        /// The new name.
        name: String,
    },
    /// Remove a model and its file; refused while a task uses it (admin).
    Remove {
        /// The model's id.
        id: i64,
    },
    /// Choose the model a task uses: an id, or `default` for the built-in one (admin).
    Use {
        /// chat, drafting or triage_summary.
        task: String,
        /// The model's id, or `default`.
        model: String,
    },
    /// Choose the chat template for a base model without one, or `none` (admin).
    Template {
        /// The model's id.
        id: i64,
        /// chatml, gemma, llama2, llama3, mistral-v7, phi3, zephyr, or none.
        template: String,
    },
    /// Show a task's sampling, or change the values given (admin).
    Sampling {
        /// chat, drafting or triage_summary.
        task: String,
        /// 0 is greedy.
        #[arg(long)]
        temperature: Option<f32>,
        /// Nucleus sampling threshold.
        #[arg(long)]
        top_p: Option<f32>,
        /// Seed.
        #[arg(long)]
        seed: Option<u32>,
        /// Most tokens to generate.
        #[arg(long)]
        max_tokens: Option<u32>,
        /// 1 is none.
        #[arg(long)]
        repeat_penalty: Option<f32>,
    },
    /// Show or set the local engine's CPU threads (admin).
    Threads {
        /// 1 to the number of cores.
        threads: Option<u32>,
    },
    /// Show or set the remote engine (admin). The API key is read from
    /// $BEDSIDE_REMOTE_API_KEY when set.
    Remote {
        /// Send answers to the server.
        #[arg(long, conflicts_with = "disable")]
        enable: bool,
        /// Answer on this workstation again.
        #[arg(long)]
        disable: bool,
        /// Base URL, e.g. https://10.0.0.5:8000/v1 (plain http only to this machine, or with
        /// --allow-http).
        #[arg(long)]
        url: Option<String>,
        /// Allow plain http:// to the URL's host although it is another machine: questions,
        /// patient text and the API key cross the network unencrypted. Audited; dropped when
        /// the URL moves to another server.
        #[arg(long)]
        allow_http: bool,
        /// The model name on the server.
        #[arg(long)]
        model: Option<String>,
        /// Seconds to wait for the server.
        #[arg(long)]
        timeout: Option<u32>,
        /// Try the (saved or given) settings: list the server's models, or say what is wrong.
        #[arg(long)]
        test: bool,
    },
}

/// Runs a model subcommand for the logged-in admin.
pub fn run(s: &Session, command: &ModelCommand, out: &Output) -> Result<(), ClinicError> {
    match command {
        ModelCommand::Info { path } => crate::commands::model_info(path, out),
        ModelCommand::Import { path, name, sha256 } => import(s, path, name, sha256, out),
        ModelCommand::List => list(s, out),
        ModelCommand::Rename { id, name } => {
            s.clinic.rename_model(&s.actor, *id, name)?;
            done(
                out,
                json!({"renamed": id, "name": name}),
                &format!("model {id} is now '{name}'"),
            );
            Ok(())
        }
        ModelCommand::Remove { id } => {
            let removed = s.clinic.remove_model(&s.actor, *id)?;
            done(
                out,
                json!({"removed": removed}),
                &format!("removed '{}'", removed.name),
            );
            Ok(())
        }
        ModelCommand::Use { task, model } => {
            let task = Task::parse(task)?;
            let id = match model.as_str() {
                "default" => None,
                id => Some(id.parse::<i64>().map_err(|_| {
                    ClinicError::InvalidInput(format!("'{id}' is not a model id or 'default'"))
                })?),
            };
            s.clinic.set_task_model(&s.actor, task, id)?;
            done(
                out,
                json!({"task": task, "model": id}),
                &format!(
                    "{} uses {}",
                    task.name(),
                    id.map_or("the built-in default".into(), |i| format!("model {i}"))
                ),
            );
            Ok(())
        }
        ModelCommand::Template { id, template } => {
            let template = (template != "none").then_some(template.as_str());
            s.clinic.set_model_template(&s.actor, *id, template)?;
            done(
                out,
                json!({"model": id, "template": template}),
                &format!("model {id}: template {}", template.unwrap_or("none")),
            );
            Ok(())
        }
        ModelCommand::Sampling {
            task,
            temperature,
            top_p,
            seed,
            max_tokens,
            repeat_penalty,
        } => {
            let task = Task::parse(task)?;
            let current = s.clinic.task_sampling(task)?;
            let wanted = Sampling {
                temperature: temperature.unwrap_or(current.temperature),
                top_p: top_p.unwrap_or(current.top_p),
                seed: seed.unwrap_or(current.seed),
                max_tokens: max_tokens.unwrap_or(current.max_tokens),
                repeat_penalty: repeat_penalty.unwrap_or(current.repeat_penalty),
            };
            if wanted != current {
                s.clinic.set_task_sampling(&s.actor, task, &wanted)?;
            }
            done(
                out,
                json!({"task": task, "sampling": wanted}),
                &format!(
                    "{}: temperature {} · top-p {} · seed {} · max tokens {} · repeat penalty {}",
                    task.name(),
                    wanted.temperature,
                    wanted.top_p,
                    wanted.seed,
                    wanted.max_tokens,
                    wanted.repeat_penalty
                ),
            );
            Ok(())
        }
        ModelCommand::Threads { threads } => {
            if let Some(n) = threads {
                s.clinic.set_engine_threads(&s.actor, *n)?;
            }
            let n = s.clinic.engine_threads()?;
            done(out, json!({"threads": n}), &format!("{n} threads"));
            Ok(())
        }
        ModelCommand::Remote {
            enable,
            disable,
            url,
            allow_http,
            model,
            timeout,
            test,
        } => {
            let change = RemoteChange {
                enable: *enable,
                disable: *disable,
                url,
                allow_http: *allow_http,
                model,
                timeout: *timeout,
            };
            remote(s, &change, out)?;
            if *test {
                test_remote(s, out)?;
            }
            Ok(())
        }
    }
}

fn done(out: &Output, value: serde_json::Value, text: &str) {
    if out.json {
        out.line(&value);
    } else {
        println!("{text}");
    }
}

fn import(
    s: &Session,
    path: &Path,
    name: &Option<String>,
    sha256: &Option<String>,
    out: &Output,
) -> Result<(), ClinicError> {
    let mut last_percent = None;
    let record = s.clinic.import_model(
        &s.actor,
        path,
        &ModelImport {
            name: name.clone(),
            expected_sha256: sha256.clone(),
        },
        &|| false,
        &mut |p| {
            if out.json {
                out.line(&json!({"type": "progress", "copied": p.copied, "total": p.total}));
            } else {
                let percent = (p.copied * 100).checked_div(p.total).unwrap_or(100);
                if last_percent != Some(percent) {
                    last_percent = Some(percent);
                    eprint!("\rcopying… {percent}%");
                    let _ = std::io::stderr().flush();
                }
            }
        },
    )?;
    if out.json {
        out.line(&json!({"type": "done", "model": record}));
    } else {
        eprintln!();
        println!(
            "imported model {} '{}' ({}, {}, {:.0} MiB)\nsha256 {}",
            record.id,
            record.name,
            record.architecture,
            record.quantization.as_deref().unwrap_or("-"),
            record.size_bytes as f64 / 1048576.0,
            record.sha256
        );
        if !record.chat_template {
            println!(
                "it has no chat template: choose one with `bedside model template {} NAME`",
                record.id
            );
        }
    }
    Ok(())
}

fn list(s: &Session, out: &Output) -> Result<(), ClinicError> {
    let models = s.clinic.models(&s.actor)?;
    if out.json {
        out.line(&json!({"models": models}));
        return Ok(());
    }
    if models.is_empty() {
        println!("no models imported; the built-in default is used");
    }
    for m in &models {
        let r = &m.record;
        let memory = match &m.memory {
            Ok(p) => format!(
                "{:.0} MiB at {} tokens",
                p.total_bytes as f64 / 1048576.0,
                p.n_ctx
            ),
            Err(e) => e.clone(),
        };
        let tasks: Vec<&str> = m.tasks.iter().map(|t| t.name()).collect();
        println!(
            "{:>3}  {}  {} {}  {:.0} MiB  {}  template: {}{}{}",
            r.id,
            r.name,
            r.architecture,
            r.quantization.as_deref().unwrap_or("-"),
            r.size_bytes as f64 / 1048576.0,
            memory,
            if r.chat_template {
                "own"
            } else {
                r.template_fallback.as_deref().unwrap_or("none")
            },
            if tasks.is_empty() {
                String::new()
            } else {
                format!("  used for: {}", tasks.join(", "))
            },
            if m.present { "" } else { "  FILE MISSING" },
        );
    }
    Ok(())
}

fn test_remote(s: &Session, out: &Output) -> Result<(), ClinicError> {
    let view = s.clinic.remote_view(&s.actor)?.ok_or_else(|| {
        ClinicError::InvalidInput("no remote engine is configured: give --url and --model".into())
    })?;
    let probe = s.clinic.test_remote(
        &s.actor,
        RemoteConfig {
            base_url: view.base_url,
            model: view.model,
            api_key: None,
            timeout_s: view.timeout_s,
            allow_http: view.allow_http,
        },
    )?;
    done(
        out,
        json!({"test": probe}),
        &format!(
            "the server answered in {} ms; it serves: {}",
            probe.latency_ms,
            probe.models.join(", ")
        ),
    );
    Ok(())
}

/// What `model remote` was asked to change.
struct RemoteChange<'a> {
    enable: bool,
    disable: bool,
    url: &'a Option<String>,
    allow_http: bool,
    model: &'a Option<String>,
    timeout: Option<u32>,
}

fn remote(s: &Session, change: &RemoteChange, out: &Output) -> Result<(), ClinicError> {
    let key = std::env::var(API_KEY_VAR).ok();
    let RemoteChange {
        enable,
        disable,
        url,
        allow_http,
        model,
        timeout,
    } = *change;
    let changing = enable
        || disable
        || url.is_some()
        || allow_http
        || model.is_some()
        || timeout.is_some()
        || key.is_some();
    let current = s.clinic.remote_view(&s.actor)?;
    if changing {
        let enabled = if enable {
            true
        } else if disable {
            false
        } else {
            current.as_ref().is_some_and(|c| c.enabled)
        };
        let base_url = url
            .clone()
            .or_else(|| current.as_ref().map(|c| c.base_url.clone()))
            .unwrap_or_default();
        // An allowance given earlier holds for its own server only; the clinic drops it
        // anyway for a URL that does not need it.
        let allow_http = allow_http
            || current
                .as_ref()
                .is_some_and(|c| c.allow_http && llm::remote::same_server(&c.base_url, &base_url));
        let settings = RemoteSettings {
            enabled,
            config: RemoteConfig {
                base_url,
                model: model
                    .clone()
                    .or_else(|| current.as_ref().map(|c| c.model.clone()))
                    .unwrap_or_default(),
                // None keeps the stored key (for the same server only).
                api_key: key,
                timeout_s: timeout
                    .or_else(|| current.as_ref().map(|c| c.timeout_s))
                    .unwrap_or(60),
                allow_http,
            },
        };
        s.clinic.set_remote(&s.actor, settings)?;
    }
    let view = s.clinic.remote_view(&s.actor)?;
    if out.json {
        out.line(&json!({"remote": view}));
    } else {
        match view {
            None => println!("remote engine: not configured (answers run on this workstation)"),
            Some(v) => println!(
                "remote engine: {} · {}{} · model {} · API key {} · timeout {} s",
                if v.enabled { "ON" } else { "off" },
                v.base_url,
                if v.allow_http {
                    " (unencrypted http allowed)"
                } else {
                    ""
                },
                v.model,
                if v.api_key_set { "set" } else { "not set" },
                v.timeout_s
            ),
        }
    }
    Ok(())
}
