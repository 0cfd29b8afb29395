//! The subcommands: each opens what it needs, calls the workflow and prints the result.

use std::io::Write;
use std::path::{Path, PathBuf};

use clinic::ask::AskOptions;
use clinic::models::Task;
use clinic::{ClinicError, ErrorPayload};
use llm::local::{LocalEngine, LocalOptions};
use llm::{CancelToken, Engine, Sampling};
use serde_json::json;
use std::sync::Arc;

use crate::session::Session;

/// How results are printed.
pub struct Output {
    pub json: bool,
}

impl Output {
    /// One JSON value on its own line, flushed so that a reader sees it at once.
    pub fn line(&self, value: &serde_json::Value) {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{value}");
        let _ = stdout.flush();
    }

    /// Reports an error: a JSON object on stdout with `--json`, and a line on stderr always.
    pub fn error(&self, e: &ClinicError) {
        let payload: ErrorPayload = e.payload();
        if self.json {
            // The window's shape, with the line's type: one shape for both.
            let mut value = json!({"type": "error"});
            if let (Some(line), serde_json::Value::Object(payload)) =
                (value.as_object_mut(), json!(payload))
            {
                line.extend(payload);
            }
            self.line(&value);
        }
        eprintln!("error [{}]: {}", payload.code, payload.message);
    }
}

pub fn import(s: &Session, paths: &[PathBuf], out: &Output) -> Result<(), ClinicError> {
    print_import(out, |on_event| {
        s.clinic.import(&s.actor, paths, &|| false, on_event)
    })
}

/// Runs the files an import job has left: one that was cancelled, or interrupted when its
/// window or CLI stopped.
pub fn resume(s: &Session, job_id: i64, out: &Output) -> Result<(), ClinicError> {
    print_import(out, |on_event| {
        s.clinic
            .resume_import(&s.actor, job_id, &|| false, on_event)
    })
}

/// Streams an import's progress (JSON lines, or a line per file on stderr) and prints its
/// summary. The process can be stopped at any point: the job keeps what was imported, and
/// `bedside library resume` goes on with the rest.
fn print_import(
    out: &Output,
    run: impl FnOnce(
        &mut (dyn FnMut(&clinic::import::ImportEvent) + Send),
    ) -> Result<clinic::import::ImportReport, ClinicError>,
) -> Result<(), ClinicError> {
    use clinic::import::ImportEvent;
    let json_out = out.json;
    let report = run(&mut |event| {
        if json_out {
            out.line(&serde_json::to_value(event).unwrap_or_default());
            return;
        }
        match event {
            ImportEvent::Started {
                job_id,
                total,
                done,
                ..
            } => eprintln!("import job {job_id}: {total} files, {done} done before"),
            ImportEvent::File {
                index,
                total,
                path,
                status,
                message,
                eta_s,
                ..
            } => {
                let status = serde_json::to_value(status).unwrap_or_default();
                let status = status.as_str().unwrap_or_default();
                let eta = eta_s
                    .map(|s| format!(" (about {s} s left)"))
                    .unwrap_or_default();
                match message {
                    Some(m) => eprintln!("[{index}/{total}] {status} {path}: {m}{eta}"),
                    None => eprintln!("[{index}/{total}] {status} {path}{eta}"),
                }
            }
            // A line per 256 passages and at the end, not one per batch.
            ImportEvent::Embedding { embedded, total } => {
                if embedded == total || embedded % 256 < 16 {
                    eprintln!("embedded {embedded}/{total} passages for search by meaning");
                }
            }
        }
    })?;
    if out.json {
        out.line(&json!({
            "type": "summary",
            "job_id": report.job_id,
            "imported": report.imported,
            "skipped": report.skipped,
            "failed": report.failed,
            "cancelled": report.cancelled,
        }));
    } else {
        println!(
            "import job {}: imported {}, skipped {} (already in the library), failed {}",
            report.job_id,
            report.imported.len(),
            report.skipped.len(),
            report.failed.len()
        );
        for f in &report.failed {
            println!("  failed [{}] {}: {}", f.code, f.path, f.message);
        }
    }
    Ok(())
}

/// The latest import jobs with where each stands.
pub fn jobs(s: &Session, limit: usize, out: &Output) -> Result<(), ClinicError> {
    let jobs = s.clinic.import_jobs(&s.actor, limit)?;
    if out.json {
        out.line(&json!({ "jobs": jobs }));
        return Ok(());
    }
    for j in jobs {
        let state = serde_json::to_value(j.state).unwrap_or_default();
        let r = &j.record;
        println!(
            "{:>5}  {:<11} {}/{} files  imported {}, skipped {}, failed {}, {} pages  {} by {}",
            r.id,
            state.as_str().unwrap_or_default(),
            r.files - r.pending,
            r.files,
            r.imported,
            r.skipped,
            r.failed,
            r.pages,
            r.created_at,
            r.created_by
        );
    }
    Ok(())
}

pub fn search(s: &Session, query: &str, limit: usize, out: &Output) -> Result<(), ClinicError> {
    let hits = s.clinic.search(&s.actor, query, limit)?;
    if out.json {
        out.line(&json!({ "hits": hits }));
        return Ok(());
    }
    if hits.is_empty() {
        println!("no results");
    }
    for (i, h) in hits.iter().enumerate() {
        // A passage found by meaning alone has no word score; its similarity says why it is here.
        let why = match h.similarity {
            Some(sim) => format!("words {:.2}, meaning {sim:.2}", h.score),
            None => format!("words {:.2}", h.score),
        };
        println!("{}. {} — {} ({why})", i + 1, h.title, h.section);
        println!("   {} · {}", h.file_name, h.chunk_id);
        if !h.also_in.is_empty() {
            let others: Vec<&str> = h.also_in.iter().map(|d| d.file_name.as_str()).collect();
            println!("   also in: {}", others.join(", "));
        }
        println!("   {}", h.snippet.replace('\n', " "));
    }
    Ok(())
}

pub fn rebuild(s: &Session, out: &Output) -> Result<(), ClinicError> {
    let n = s.clinic.rebuild(&s.actor)?;
    if out.json {
        out.line(&json!({ "indexed_chunks": n }));
    } else {
        println!("indexed {n} passages");
    }
    Ok(())
}

#[derive(clap::Args)]
pub struct AskArgs {
    /// The question, in Chinese or English.
    question: String,
    /// A GGUF file to answer with instead of the chat's engine (the remote server when an
    /// admin enabled it, else the model chosen for the chat, else $BEDSIDE_MODEL or the
    /// built-in default).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Seed for sampling; the same seed and question give the same answer (default: the
    /// chat's stored sampling, as for the other sampling flags).
    #[arg(long)]
    seed: Option<u32>,
    /// Sampling temperature; 0 is greedy.
    #[arg(long)]
    temperature: Option<f32>,
    /// Most tokens to generate.
    #[arg(long)]
    max_tokens: Option<u32>,
    /// CPU threads for a local model (default: the admin's setting).
    #[arg(long)]
    threads: Option<u32>,
    /// Continue conversation ID (yours), or `new` to start one; the answer reports its id.
    #[arg(long)]
    conversation: Option<String>,
}

/// Loads a model with the default settings and, when given, a thread count.
fn load_engine(model: &Path, threads: Option<u32>) -> Result<LocalEngine, ClinicError> {
    Ok(LocalEngine::load(
        model,
        &LocalOptions {
            n_threads: threads,
            ..LocalOptions::default()
        },
    )?)
}

/// The engine `ask` and `eval answers` use: the file given, else the chat's engine as the
/// admin set it.
fn chat_engine(
    s: &Session,
    model: Option<&Path>,
    threads: Option<u32>,
) -> Result<Arc<dyn Engine>, ClinicError> {
    if let Some(path) = model {
        return Ok(Arc::new(load_engine(path, threads)?));
    }
    let plan = s.clinic.engine_plan(Task::Chat)?.with_threads(threads);
    Ok(clinic::models::load_engine(&plan)?.engine)
}

pub fn ask(s: &Session, args: &AskArgs, out: &Output) -> Result<(), ClinicError> {
    let engine = chat_engine(s, args.model.as_deref(), args.threads)?;
    let stored = s.clinic.task_sampling(Task::Chat)?;
    let conversation = match args.conversation.as_deref() {
        None => None,
        Some("new") => Some(s.clinic.start_conversation(&s.actor, &args.question)?),
        Some(id) => Some(id.parse::<i64>().map_err(|_| {
            ClinicError::InvalidInput(format!("'{id}' is not a conversation id or 'new'"))
        })?),
    };
    let opts = AskOptions {
        conversation,
        sampling: Sampling {
            seed: args.seed.unwrap_or(stored.seed),
            temperature: args.temperature.unwrap_or(stored.temperature),
            max_tokens: args.max_tokens.unwrap_or(stored.max_tokens),
            ..stored
        },
        ..AskOptions::default()
    };
    let outcome = s.clinic.ask(
        &s.actor,
        engine.as_ref(),
        &args.question,
        &opts,
        &CancelToken::new(),
        &mut |t| {
            if out.json {
                out.line(&json!({"type": "token", "text": t}));
            } else {
                print!("{t}");
                let _ = std::io::stdout().flush();
            }
        },
    )?;
    if out.json {
        out.line(&json!({
            "type": "done",
            "answer": outcome.answer,
            "stopped": outcome.stopped,
            "not_covered": outcome.not_covered,
            "model": outcome.model,
            "conversation_id": outcome.conversation_id,
            "summary": outcome.summary,
            "citations": outcome.citations,
            "passages": outcome.passages.iter().map(|p| json!({
                "n": p.n, "chunk_id": p.chunk_id, "file_name": p.file_name, "section": p.section,
            })).collect::<Vec<_>>(),
            "stats": outcome.stats,
        }));
    } else {
        println!();
        for c in &outcome.citations {
            println!("[{}] {} — {} ({})", c.n, c.file_name, c.section, c.chunk_id);
        }
        let s = &outcome.stats;
        eprintln!(
            "{} · {} prompt tokens · {} generated · first token {} ms · {:.1} tok/s",
            outcome.model, s.prompt_tokens, s.generated_tokens, s.ttft_ms, s.tok_per_s
        );
        if let Some(summary) = &outcome.summary {
            eprintln!("earlier turns were summarised: {summary}");
        }
        if let Some(id) = outcome.conversation_id {
            eprintln!(
                "conversation {id} ({} cached prompt tokens)",
                s.cached_tokens
            );
        }
    }
    Ok(())
}

pub fn model_info(path: &Path, out: &Output) -> Result<(), ClinicError> {
    let info = llm::gguf::read_info(path).map_err(ClinicError::from)?;
    // What loading it with the default 4096-token context would take on this machine.
    let memory = llm::memory::available_bytes()
        .and_then(|free| llm::memory::plan(&info, LocalOptions::default().n_ctx, free).ok());
    if out.json {
        let mut value = serde_json::to_value(&info).unwrap_or_default();
        value["memory"] = serde_json::to_value(&memory).unwrap_or_default();
        out.line(&value);
    } else {
        println!("architecture   {}", info.architecture);
        println!("name           {}", info.name.as_deref().unwrap_or("-"));
        println!("parameters     {}", info.parameters);
        println!(
            "quantization   {}",
            info.quantization.as_deref().unwrap_or("-")
        );
        println!(
            "context length {}",
            info.context_length
                .map_or("-".to_string(), |n| n.to_string())
        );
        println!(
            "chat template  {}",
            if info.chat_template { "yes" } else { "no" }
        );
        println!("file size      {} bytes", info.file_size);
        match &memory {
            Some(m) => println!(
                "memory         {:.0} MiB at a {}-token context (weights, KV cache, margin)",
                m.total_bytes as f64 / 1048576.0,
                m.n_ctx
            ),
            None => println!("memory         does not fit the memory available now"),
        }
    }
    Ok(())
}

/// The questions of every file, in order.
fn read_questions(files: &[PathBuf]) -> Result<Vec<clinic::eval::Question>, ClinicError> {
    let mut questions = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|e| {
            ClinicError::InvalidInput(format!("cannot read {}: {e}", file.display()))
        })?;
        questions.extend(clinic::eval::parse_questions(&text).map_err(|e| {
            ClinicError::InvalidInput(format!(
                "{} is not a question file (JSON lines): {e}",
                file.display()
            ))
        })?);
    }
    Ok(questions)
}

pub fn eval_retrieval(s: &Session, files: &[PathBuf], out: &Output) -> Result<(), ClinicError> {
    let questions = read_questions(files)?;
    let report = s.clinic.eval_retrieval(&s.actor, &questions)?;
    if out.json {
        out.line(&json!({ "groups": report }));
        return Ok(());
    }
    println!(
        "group         questions  recall@1  recall@5  recall@10  MRR@10  passage hit@5  answered"
    );
    for (group, m) in &report {
        println!(
            "{group:<13} {:>9}  {:>8.3}  {:>8.3}  {:>9.3}  {:>6.3}  {:>13.3}  {:>8.3}",
            m.questions,
            m.recall_at_1,
            m.recall_at_5,
            m.recall_at_10,
            m.mrr_at_10,
            m.passage_hit_at_5,
            m.answered
        );
    }
    Ok(())
}

#[derive(clap::Args)]
pub struct EvalAnswersArgs {
    /// Questions as JSON lines (as for `eval retrieval`); repeat for several files.
    #[arg(long, required = true)]
    questions: Vec<PathBuf>,
    /// A GGUF file to answer with instead of the chat's engine.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Only the first N questions.
    #[arg(long)]
    limit: Option<usize>,
    /// Most tokens an answer may have (default: the chat's setting).
    #[arg(long)]
    max_tokens: Option<u32>,
    /// CPU threads for a local model (default: the admin's setting).
    #[arg(long)]
    threads: Option<u32>,
}

pub fn eval_answers(s: &Session, args: &EvalAnswersArgs, out: &Output) -> Result<(), ClinicError> {
    let mut questions = read_questions(&args.questions)?;
    if let Some(n) = args.limit {
        questions.truncate(n);
    }
    let engine = chat_engine(s, args.model.as_deref(), args.threads)?;
    let stored = s.clinic.task_sampling(Task::Chat)?;
    // Greedy, so that a rerun on the same model and library gives the same answers.
    let opts = AskOptions {
        sampling: Sampling {
            temperature: 0.0,
            max_tokens: args.max_tokens.unwrap_or(stored.max_tokens),
            ..stored
        },
        ..AskOptions::default()
    };
    let report = s.clinic.eval_answers(
        &s.actor,
        engine.as_ref(),
        &questions,
        &opts,
        &CancelToken::new(),
        &mut |a| {
            if out.json {
                let mut line = serde_json::to_value(a).unwrap_or_default();
                line["type"] = json!("answer");
                out.line(&line);
            } else {
                let yes = |b: Option<bool>| match b {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "-",
                };
                println!(
                    "{:<16} {:<12} answered {:<3}  cites expected {:<3}  says more {:<3}  first token {:>5} ms  {}",
                    a.id,
                    a.group,
                    yes(Some(a.answered)),
                    yes(a.cites_expected),
                    yes(Some(a.says_more)),
                    a.ttft_ms,
                    a.answer.replace('\n', " ").chars().take(100).collect::<String>()
                );
            }
        },
    )?;
    if out.json {
        let mut line = serde_json::to_value(&report).unwrap_or_default();
        line["type"] = json!("summary");
        out.line(&line);
        return Ok(());
    }
    println!("\n{} · prompt {}", report.model, report.prompt_version);
    println!("group         questions  answered  expected given  cites expected  says more  first token (median)  tok/s  s/question");
    for (group, m) in &report.groups {
        println!(
            "{group:<13} {:>9}  {:>8.3}  {:>14.3}  {:>14.3}  {:>9.3}  {:>17.0} ms  {:>5.1}  {:>10.1}",
            m.questions, m.answered, m.expected_given, m.cites_expected, m.says_more,
            m.median_ttft_ms, m.mean_tok_per_s, m.mean_seconds
        );
    }
    Ok(())
}

#[derive(clap::Args)]
pub struct TriageArgs {
    /// A GGUF chat model for the structured suggestion (summary, department, questions, red
    /// flags); without it only the computed grades are printed.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Seed for sampling.
    #[arg(long, default_value_t = Sampling::default().seed)]
    seed: u32,
    /// Sampling temperature; 0 is greedy.
    #[arg(long, default_value_t = 0.0)]
    temperature: f32,
    /// CPU threads (default: all cores but one).
    #[arg(long)]
    threads: Option<u32>,
    /// Store the encounter (patient, levels, vital signs) as the logged-in nurse's decision;
    /// needs --user.
    #[arg(long)]
    pub save: bool,
    /// With --save: the final Chinese grade, 1-4, when it differs from the suggestion.
    #[arg(long, requires = "save")]
    final_cn: Option<u8>,
    /// With --save: the final ESI level, 1-5, when it differs from the suggestion.
    #[arg(long, requires = "save")]
    final_esi: Option<u8>,
    /// With --save: why the final level differs from the suggestion (required then).
    #[arg(long, requires = "save")]
    reason: Option<String>,
}

pub fn triage(
    args: &TriageArgs,
    session: Option<&Session>,
    out: &Output,
) -> Result<(), ClinicError> {
    use clinic::triage;
    let mut input = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut input)
        .map_err(|e| ClinicError::InvalidInput(format!("cannot read stdin: {e}")))?;
    let intake: triage::Intake =
        serde_json::from_str(&input).map_err(|e| ClinicError::from(triage::malformed(&e)))?;
    // Validate before loading a model, so bad input fails fast.
    triage::Intake::validate(&intake)?;
    let engine = match &args.model {
        Some(path) => Some(load_engine(path, args.threads)?),
        None => None,
    };
    let sampling = Sampling {
        seed: args.seed,
        temperature: args.temperature,
        max_tokens: 512,
        ..Sampling::default()
    };
    let engine = engine.as_ref().map(|e| e as &dyn llm::Engine);
    let assessment = match session {
        Some(s) => {
            s.clinic
                .triage_assess(&s.actor, &intake, engine, &sampling, &CancelToken::new())?
        }
        None => triage::assess(&intake, engine, &sampling, &CancelToken::new())?,
    };
    let saved = match session {
        Some(s) => Some(s.clinic.triage_save(
            &s.actor,
            &intake,
            assessment.id,
            &clinic::encounters::Decision {
                final_esi: args.final_esi,
                final_cn: args.final_cn,
                reason: args.reason.clone(),
            },
        )?),
        None => None,
    };
    if out.json {
        let mut value = serde_json::to_value(&assessment.grades).unwrap_or_default();
        value["assist"] = serde_json::to_value(&assessment.assist).unwrap_or_default();
        value["suggested"] = serde_json::to_value(&assessment.suggested).unwrap_or_default();
        value["assist_error"] = serde_json::to_value(&assessment.assist_error).unwrap_or_default();
        if let Some(saved) = &saved {
            value["encounter"] = json!({
                "encounter_id": saved.encounter_id,
                "patient_id": saved.patient_id,
                "final_esi": saved.final_esi,
                "final_cn": saved.final_cn,
                "overridden": saved.overridden,
                "downgraded": saved.downgraded,
                "response_minutes": saved.response_minutes,
            });
        }
        out.line(&value);
        return Ok(());
    }
    let grades = &assessment.grades;
    let n = &grades.news2;
    let risk = serde_json::to_value(n.risk).unwrap_or_default();
    println!(
        "NEWS2 {}{} ({} risk){}",
        n.score,
        if n.complete { "" } else { " at least" },
        risk.as_str().unwrap_or_default(),
        if n.missing.is_empty() {
            String::new()
        } else {
            format!(", missing: {}", n.missing.join(", "))
        }
    );
    for (name, p) in &n.parameters {
        println!("  {name:<14} {:<12} {}", p.value, p.rule);
    }
    if !grades.unanswered.is_empty() {
        println!(
            "provisional: not answered yet: {}",
            grades.unanswered.join(", ")
        );
    }
    if !n.not_validated.is_empty() {
        println!(
            "  NEWS2 is not validated for this patient ({})",
            n.not_validated.join(", ")
        );
    }
    if grades.esi.level == grades.esi.algorithm_level {
        println!("ESI {}", grades.esi.level);
    } else {
        println!(
            "ESI {} (the algorithm gave ESI {})",
            grades.esi.level, grades.esi.algorithm_level
        );
    }
    for s in grades.esi.path.iter().chain(&grades.esi.consider) {
        println!("  {}: {}", s.point, s.answer);
    }
    let cn = &grades.cn;
    println!(
        "{} / {} — {}, {} zone, seen within {} min of triage",
        cn.name_zh, cn.name_en, cn.colour, cn.zone, cn.response_minutes
    );
    for p in &cn.path {
        println!("  {p}");
    }
    for u in &cn.unverified {
        println!("  unverified: {u}");
    }
    for w in &grades.warnings {
        println!("confirm {}: {}", w.field, w.message);
    }
    if let Some(a) = &assessment.assist {
        println!("model ({}): {} → {}", a.model, a.summary, a.department);
        for q in &a.questions {
            println!("  ask: {q}");
        }
        for f in &a.red_flags {
            println!("  red flag: {f}");
        }
    }
    if let Some(e) = &assessment.assist_error {
        println!("model gave no suggestion [{}]: {}", e.code, e.message);
    }
    let s = &assessment.suggested;
    if s.raised_by_model {
        println!(
            "suggested: ESI {}, Chinese level {} (raised by the model: {})",
            s.esi,
            s.cn,
            s.reason.as_deref().unwrap_or("no reason given")
        );
    }
    if let Some(saved) = &saved {
        println!(
            "saved encounter {}: ESI {}, Chinese level {}{}",
            saved.encounter_id,
            saved.final_esi,
            saved.final_cn,
            match (saved.overridden, saved.downgraded) {
                (_, true) => " (overridden: a downgrade below the computed level)",
                (true, false) => " (overridden)",
                _ => "",
            }
        );
    }
    Ok(())
}

#[derive(clap::Args)]
pub struct BenchEngineArgs {
    /// The GGUF model.
    #[arg(long, env = "BEDSIDE_MODEL")]
    model: PathBuf,
    /// CPU threads (default: all cores but one).
    #[arg(long)]
    threads: Option<u32>,
    /// Repetitions of each measurement; medians are reported.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// llama.cpp's `llama-bench` binary, run on the same file and threads as the baseline.
    #[arg(long, env = "BEDSIDE_LLAMA_BENCH")]
    llama_bench: Option<PathBuf>,
}

pub fn bench_engine(args: &BenchEngineArgs, out: &Output) -> Result<(), ClinicError> {
    let engine = load_engine(&args.model, args.threads)?;
    let ours = llm::bench::engine(&engine, args.runs)?;
    let baseline = match &args.llama_bench {
        Some(bin) => Some(llama_bench(bin, &args.model, ours.threads, args.runs)?),
        None => None,
    };
    let ratios = baseline.map(|(pp, tg)| {
        json!({"prompt": ours.prompt_tok_per_s / pp, "decode": ours.decode_tok_per_s / tg})
    });
    let report = json!({
        "bedside": ours,
        "llama_bench": baseline.map(|(pp, tg)| json!({"pp512_tok_per_s": pp, "tg128_tok_per_s": tg})),
        "ratio": ratios,
    });
    if out.json {
        out.line(&report);
    } else {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    }
    Ok(())
}

/// Runs `llama-bench -p 512 -n 128` and returns its (prompt, decode) tokens per second.
fn llama_bench(
    bin: &Path,
    model: &Path,
    threads: u32,
    runs: usize,
) -> Result<(f64, f64), ClinicError> {
    let fail = |m: String| ClinicError::InvalidInput(format!("llama-bench: {m}"));
    let output = std::process::Command::new(bin)
        .arg("-m")
        .arg(model)
        .args([
            "-t",
            &threads.to_string(),
            "-p",
            "512",
            "-n",
            "128",
            "-r",
            &runs.max(1).to_string(),
            "-o",
            "json",
        ])
        .output()
        .map_err(|e| fail(format!("cannot run {}: {e}", bin.display())))?;
    if !output.status.success() {
        return Err(fail(String::from_utf8_lossy(&output.stderr).into_owned()));
    }
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout)
        .map_err(|e| fail(format!("unexpected output: {e}")))?;
    let speed = |prompt: bool| {
        rows.iter()
            .find(|r| {
                (r["n_prompt"].as_u64().unwrap_or(0) > 0) == prompt
                    && (r["n_gen"].as_u64().unwrap_or(0) > 0) != prompt
            })
            .and_then(|r| r["avg_ts"].as_f64())
            .ok_or_else(|| fail("no pp512/tg128 row in its output".into()))
    };
    Ok((speed(true)?, speed(false)?))
}

#[derive(clap::Args)]
pub struct BenchStoreArgs {
    /// A folder of Markdown or text files, read recursively (e.g. ../shared/evaldata/guidelines).
    #[arg(long)]
    corpus: PathBuf,
    /// Write the corpus this many times (fresh ids each time) for a larger database.
    #[arg(long, default_value_t = 5)]
    repeat: usize,
}

/// Splits text into passages of about the size the library makes (900 characters).
fn passages(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(900).map(|c| c.iter().collect()).collect()
}

pub fn bench_store(args: &BenchStoreArgs, out: &Output) -> Result<(), ClinicError> {
    let mut docs = Vec::new();
    if !args.corpus.is_dir() {
        return Err(ClinicError::InvalidInput(format!(
            "{} is not a folder",
            args.corpus.display()
        )));
    }
    let files: Vec<PathBuf> = clinic::import::collect_files(std::slice::from_ref(&args.corpus))
        .into_iter()
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "txt")))
        .collect();
    for round in 0..args.repeat.max(1) {
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            docs.push(store::bench::Doc {
                title: format!("{} #{round}", f.display()),
                chunks: passages(&text),
                text,
            });
        }
    }
    let dir = tempfile_dir()?;
    let report = store::bench::run(dir.path(), &docs)?;
    if out.json {
        out.line(&serde_json::to_value(&report).unwrap_or_default());
    } else {
        println!("{} documents, {} passages", report.documents, report.chunks);
        for (name, s) in [("SQLCipher", &report.encrypted), ("SQLite", &report.plain)] {
            println!(
                "{name:<10} insert {:>8.1} docs/s  read {:>9.0} passages/s  open+check {:>6.1} ms  {} bytes",
                s.insert_docs_per_s, s.read_chunks_per_s, s.open_ms, s.file_bytes
            );
        }
        println!(
            "ratios (SQLCipher / SQLite): insert {:.2}, read {:.2}, open time {:.2}",
            report.insert_ratio, report.read_ratio, report.open_ratio
        );
    }
    Ok(())
}

/// A scratch folder removed on drop.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tempfile_dir() -> Result<ScratchDir, ClinicError> {
    let dir = std::env::temp_dir().join(format!("bedside-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .map_err(|e| ClinicError::InvalidInput(format!("{}: {e}", dir.display())))?;
    Ok(ScratchDir(dir))
}

pub fn board(s: &Session, out: &Output) -> Result<(), ClinicError> {
    let rows = s.clinic.triage_board(&s.actor)?;
    if out.json {
        out.line(&json!({ "waiting": rows }));
        return Ok(());
    }
    if rows.is_empty() {
        println!("nobody waiting");
    }
    for r in rows {
        println!(
            "{:>5}  {}  ESI {}  {:<16} {:>4}/{:<4} min{}  {}",
            r.encounter_id,
            r.level_name_zh,
            r.esi,
            if r.name.is_empty() {
                "(unknown)"
            } else {
                &r.name
            },
            r.waiting_minutes,
            r.response_minutes,
            if r.retriage_due { "  RE-TRIAGE" } else { "" },
            r.complaint
        );
    }
    Ok(())
}

pub fn encounter(s: &Session, id: i64, fhir: bool, out: &Output) -> Result<(), ClinicError> {
    let view = s.clinic.encounter(&s.actor, id)?;
    if fhir {
        out.line(&clinic::fhir::encounter_bundle(&view));
        return Ok(());
    }
    if out.json {
        out.line(&serde_json::to_value(&view).unwrap_or_default());
        return Ok(());
    }
    let e = &view.encounter;
    println!(
        "encounter {} ({}), patient {} {}",
        e.id, e.status, e.patient_id, e.name
    );
    println!(
        "levels: computed ESI {} / {}, suggested ESI {} / {}, final ESI {} / {}",
        e.computed_esi, e.computed_cn, e.suggested_esi, e.suggested_cn, e.final_esi, e.final_cn
    );
    if let Some(r) = &e.override_reason {
        println!("override reason: {r}");
    }
    for o in &view.observations {
        let value = o
            .value
            .map(|v| format!("{v} {}", o.unit))
            .or_else(|| o.value_text.clone())
            .unwrap_or_default();
        println!("  {:<45} {value}  ({} {})", o.display, o.system, o.code);
    }
    Ok(())
}

#[derive(clap::Args)]
pub struct BenchSearchArgs {
    /// The guideline folder to import (e.g. ../shared/evaldata/guidelines).
    #[arg(
        long,
        required_unless_present = "imported",
        conflicts_with = "imported"
    )]
    corpus: Option<PathBuf>,
    /// A data directory `bench import --keep` left, instead of importing (and embedding) the
    /// corpus again.
    #[arg(long)]
    imported: Option<PathBuf>,
    /// Questions as JSON lines (as for `eval retrieval`).
    #[arg(long)]
    questions: PathBuf,
    /// Index the corpus's passages this many times with fresh ids, for a larger index.
    #[arg(long, default_value_t = 1)]
    scale: usize,
}

pub fn bench_search(args: &BenchSearchArgs, out: &Output) -> Result<(), ClinicError> {
    let text = std::fs::read_to_string(&args.questions).map_err(|e| {
        ClinicError::InvalidInput(format!("cannot read {}: {e}", args.questions.display()))
    })?;
    let questions = clinic::eval::parse_questions(&text)
        .map_err(|e| ClinicError::InvalidInput(format!("not a question file (JSON lines): {e}")))?;
    let folder = args.corpus.as_ref().or(args.imported.as_ref());
    if let Some(dir) = folder.filter(|d| !d.is_dir()) {
        return Err(ClinicError::InvalidInput(format!(
            "{} is not a folder",
            dir.display()
        )));
    }
    let library = match (&args.corpus, &args.imported) {
        (_, Some(data)) => clinic::bench::Library::Imported(data),
        (Some(corpus), None) => clinic::bench::Library::Import(corpus),
        (None, None) => {
            return Err(ClinicError::InvalidInput(
                "--corpus or --imported is needed".into(),
            ))
        }
    };
    let scratch = tempfile_dir()?;
    let report = clinic::bench::bench_search(scratch.path(), library, &questions, args.scale)?;
    if out.json {
        out.line(&serde_json::to_value(&report).unwrap_or_default());
        return Ok(());
    }
    println!(
        "{} passages ({} × {}), {} questions",
        report.passages, report.base_passages, args.scale, report.questions
    );
    for (name, e) in [("Tantivy", &report.tantivy), ("FTS5", &report.fts5)] {
        let recall: Vec<String> = e
            .recall_at_5
            .iter()
            .map(|(g, r)| format!("{g} {r:.3}"))
            .collect();
        println!(
            "{name:<8} p50 {:>6.2} ms  p95 {:>6.2} ms  build {:>5.1} s  recall@5 {}",
            e.p50_ms,
            e.p95_ms,
            e.build_s,
            recall.join(", ")
        );
    }
    println!("p95 ratio (Tantivy / FTS5): {:.2}", report.p95_ratio);
    if let Some(s) = &report.semantic {
        println!("fused search with {} (p50 / p95 ms):", s.model);
        for (step, l) in [
            ("question embedding", s.query_embedding),
            ("vector search", s.vector_search),
            ("lexical search", s.lexical_search),
            ("fusion", s.fusion),
            ("total", s.total),
            ("total without embedding", s.without_embedding),
        ] {
            println!("  {step:<24} {:>7.2} / {:>7.2}", l.p50_ms, l.p95_ms);
        }
        println!(
            "  vectors {:.0} MiB, peak RSS {:.0} MiB",
            s.vectors_mib, s.peak_rss_mib
        );
    }
    Ok(())
}

pub fn documents(s: &Session, out: &Output) -> Result<(), ClinicError> {
    let docs = s.clinic.documents(&s.actor)?;
    if out.json {
        out.line(&json!({ "documents": docs }));
        return Ok(());
    }
    for d in docs {
        let state = match d.superseded_by {
            Some(by) => format!("superseded by {by}"),
            None => "current".into(),
        };
        let pages = d.pages.map(|p| format!(" {p} pages")).unwrap_or_default();
        println!(
            "{:>5}  v{}  {:<3} {:>4} passages{pages}  {:<14} {}  ({})",
            d.id, d.version, d.lang, d.chunks, state, d.title, d.file_name
        );
    }
    Ok(())
}

pub fn replace_document(
    s: &Session,
    id: i64,
    path: &Path,
    out: &Output,
) -> Result<(), ClinicError> {
    let done = s.clinic.replace_document(&s.actor, id, path)?;
    if out.json {
        out.line(&json!({ "replaced": id, "imported": done }));
    } else {
        println!(
            "document {} ({}, {} passages) replaces {id}",
            done.document_id, done.title, done.chunks
        );
    }
    Ok(())
}

pub fn delete_document(s: &Session, id: i64, out: &Output) -> Result<(), ClinicError> {
    s.clinic.delete_document(&s.actor, id)?;
    if out.json {
        out.line(&json!({ "deleted": id }));
    } else {
        println!("deleted document {id}");
    }
    Ok(())
}

pub fn bench_import(corpus: &Path, keep: Option<&Path>, out: &Output) -> Result<(), ClinicError> {
    if !corpus.is_dir() {
        return Err(ClinicError::InvalidInput(format!(
            "{} is not a folder",
            corpus.display()
        )));
    }
    if let Some(dir) = keep.filter(|d| d.exists()) {
        return Err(ClinicError::InvalidInput(format!(
            "{} exists: --keep names a new folder",
            dir.display()
        )));
    }
    let scratch = tempfile_dir()?;
    let data = keep.map_or_else(|| scratch.path().join("import"), Path::to_path_buf);
    let r = clinic::bench::bench_import(&data, corpus)?;
    if out.json {
        out.line(&serde_json::to_value(&r).unwrap_or_default());
    } else {
        println!(
            "{} files ({} imported, {} refused), {:.1} MB, {} passages in {:.2} s: {:.0} files/min, {:.1} MB/min, peak RSS {:.0} MiB",
            r.files, r.imported, r.failed, r.bytes as f64 / 1e6, r.passages, r.seconds,
            r.files_per_minute, r.mb_per_minute, r.peak_rss_mib
        );
        if let Some(ppm) = r.pdf_pages_per_minute {
            println!(
                "PDF: {} pages imported; {ppm:.0} pages/min read and cut into passages",
                r.pdf_pages
            );
        }
        if let Some(e) = &r.embedding {
            println!(
                "embedding: {} passages in {:.1} s ({:.0}/min); with it the job makes {:.0} files/min; peak RSS {:.0} MiB",
                e.passages, e.seconds, e.passages_per_minute, e.files_per_minute_with_embedding, e.peak_rss_mib
            );
        }
    }
    Ok(())
}
