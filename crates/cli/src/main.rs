//! `bedside`: the headless front door onto Bedside's workflows.
//!
//! Hospital scripts and the test suite use it, so its `--json` output is a contract
//! (docs/cli.md): add fields, never rename or remove them.

mod admin;
mod commands;
mod models;
mod session;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use clinic::access::Action;

/// Bedside, the offline clinical assistant, without a window.
#[derive(Parser)]
#[command(name = "bedside", version, about)]
struct Cli {
    /// Where Bedside keeps its database and index.
    #[arg(long, global = true, env = "BEDSIDE_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Machine-readable output (JSON; JSON lines for streams).
    #[arg(long, global = true)]
    json: bool,
    /// Who is acting; the password comes from $BEDSIDE_PASSWORD or the terminal.
    #[arg(long, global = true, env = "BEDSIDE_USER")]
    user: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the encrypted database and the first admin on a new installation.
    Init(admin::InitArgs),
    /// Manage accounts (admin).
    User {
        #[command(subcommand)]
        command: admin::UserCommand,
    },
    /// Verify, list and export the audit log (admin).
    Audit {
        #[command(subcommand)]
        command: admin::AuditCommand,
    },
    /// Write a consistent encrypted snapshot of the database while Bedside runs (admin).
    Backup {
        /// The snapshot file to create.
        path: PathBuf,
    },
    /// Verify a snapshot, then replace the database with it and rebuild the index (admin).
    Restore {
        /// The snapshot file.
        path: PathBuf,
    },
    /// Import and search guideline documents.
    Library {
        #[command(subcommand)]
        command: LibraryCommand,
    },
    /// Ask a question answered from the imported guidelines, with citations.
    Ask(commands::AskArgs),
    /// Grade one intake read as JSON on stdin: NEWS2, ESI and the Chinese four-level grade,
    /// each with the rules that fired; with `--model`, the model's structured suggestion too.
    Triage(commands::TriageArgs),
    /// Patients waiting to be seen, most urgent first, with waiting time against the target.
    Board,
    /// Show one encounter (its levels, override reason and vital signs).
    Encounter {
        /// The encounter id.
        id: i64,
        /// Print it as a FHIR R4 Bundle (Patient, Encounter, Observations).
        #[arg(long)]
        fhir: bool,
    },
    /// Measure speed against a named baseline.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Measure how well Bedside finds the passages that answer questions.
    Eval {
        #[command(subcommand)]
        command: EvalCommand,
    },
    /// Inspect model files; import and choose models, sampling, threads, the remote engine.
    Model {
        #[command(subcommand)]
        command: models::ModelCommand,
    },
}

#[derive(Subcommand)]
enum LibraryCommand {
    /// Import files or folders (PDF, Word, HTML, Markdown, text) as a job that can resume.
    Import {
        /// Files or folders; folders are read recursively.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// List the latest import jobs: running, interrupted, cancelled or done.
    Jobs {
        /// How many jobs to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Go on with the files an interrupted or cancelled import job has left.
    Resume {
        /// The job id (from `library jobs`, or the import's output).
        job: i64,
    },
    /// Search the imported guidelines.
    Search {
        /// Words to search for, in Chinese or English.
        query: String,
        /// How many hits to show.
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// Rebuild the search index from the documents stored in the database.
    Rebuild,
    /// List the documents, newest first, with version and passages.
    List,
    /// Import a file as the new version of a document, whatever its name (admin).
    Replace {
        /// The current document's id (from `library list`).
        id: i64,
        /// The new edition's file.
        path: PathBuf,
    },
    /// Delete a document (its earlier version, if any, becomes current again).
    Delete {
        /// The document id (from `library list`).
        id: i64,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Prompt and decode speed, time to first token cold and cached, peak RSS; with
    /// `--llama-bench`, llama.cpp's own figures for the same file and threads, and the ratios.
    Engine(commands::BenchEngineArgs),
    /// What encryption at rest costs: the same documents written, read and opened through
    /// SQLCipher and through plain SQLite (no key), in one run, with the ratios.
    Store(commands::BenchStoreArgs),
    /// Search latency (p50/p95) and recall@5 through Tantivy and through SQLite FTS5 on the
    /// same passages and questions, in one run, with the ratio.
    Search(commands::BenchSearchArgs),
    /// Import throughput (files and MB per minute) and peak memory for a folder.
    Import {
        /// The folder to import (read recursively) into a scratch data directory.
        #[arg(long)]
        corpus: PathBuf,
        /// Keep the imported, embedded data directory here (a new folder), for
        /// `bench search --imported`.
        #[arg(long)]
        keep: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum EvalCommand {
    /// Recall@1/5/10, MRR@10 and passage hit@5 over a JSON-lines question file, per language
    /// and for cross-language questions, against the imported library.
    Retrieval {
        /// Questions as JSON lines (id, lang, question, expected_doc, expected_passage_substring);
        /// repeat for several files. `expected_doc: null` marks a question no document answers.
        #[arg(long, required = true)]
        questions: Vec<PathBuf>,
    },
    /// Answers the questions with a model as `ask` would (greedy, nothing recorded but one
    /// audit row) and reports per group whether the answers cite the expected passage, say
    /// more than citations, and how fast they came.
    Answers(commands::EvalAnswersArgs),
}

fn main() -> ExitCode {
    // Diagnostics go to stderr, filtered by $BEDSIDE_LOG (default: warnings). They carry ids,
    // counts and timings, never what a patient or clinician wrote.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BEDSIDE_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let out = commands::Output { json: cli.json };
    let data_dir = cli.data_dir.unwrap_or_else(default_data_dir);
    let user = cli.user.as_deref();
    let result = run(cli.command, &data_dir, user, &out);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&e);
            ExitCode::FAILURE
        }
    }
}

/// Runs one subcommand. Those that touch the database log the user in first; the workflow
/// then checks the role for the action.
fn run(
    command: Command,
    data_dir: &std::path::Path,
    user: Option<&str>,
    out: &commands::Output,
) -> Result<(), clinic::ClinicError> {
    // Log in and check the role before any work (loading a model, reading files), so a
    // refusal is immediate and the same whatever the subcommand does later.
    let login = |action: Action| -> Result<session::Session, clinic::ClinicError> {
        let s = session::login(data_dir, user)?;
        s.clinic.authorize(&s.actor, action)?;
        Ok(s)
    };
    match command {
        Command::Init(args) => admin::init(data_dir, &args, out),
        Command::User {
            command: admin::UserCommand::Passwd,
        } => {
            let (session, current) = session::login_with_password(data_dir, user)?;
            admin::passwd(&session, &current, out)
        }
        Command::User { command } => admin::user(&login(Action::ManageUsers)?, &command, out),
        Command::Audit { command } => admin::audit(&login(Action::ReadAudit)?, &command, out),
        Command::Backup { path } => admin::backup(&login(Action::Backup)?, &path, out),
        Command::Restore { path } => admin::restore(&login(Action::Restore)?, &path, out),
        Command::Library { command } => match command {
            LibraryCommand::Import { paths } => {
                commands::import(&login(Action::LibraryImport)?, &paths, out)
            }
            LibraryCommand::Jobs { limit } => {
                commands::jobs(&login(Action::LibraryImport)?, limit, out)
            }
            LibraryCommand::Resume { job } => {
                commands::resume(&login(Action::LibraryImport)?, job, out)
            }
            LibraryCommand::Search { query, limit } => {
                commands::search(&login(Action::LibrarySearch)?, &query, limit, out)
            }
            LibraryCommand::Rebuild => commands::rebuild(&login(Action::LibraryRebuild)?, out),
            LibraryCommand::List => commands::documents(&login(Action::LibrarySearch)?, out),
            LibraryCommand::Replace { id, path } => {
                commands::replace_document(&login(Action::LibraryImport)?, id, &path, out)
            }
            LibraryCommand::Delete { id } => {
                commands::delete_document(&login(Action::LibraryImport)?, id, out)
            }
        },
        Command::Ask(args) => commands::ask(&login(Action::Ask)?, &args, out),
        // Grading an intake without saving it reads and writes no stored data.
        Command::Triage(args) => {
            let session = if args.save {
                Some(login(Action::TriageSave)?)
            } else {
                None
            };
            commands::triage(&args, session.as_ref(), out)
        }
        Command::Board => commands::board(&login(Action::ViewPatients)?, out),
        Command::Encounter { id, fhir } => {
            commands::encounter(&login(Action::ViewPatients)?, id, fhir, out)
        }
        Command::Bench { command } => match command {
            BenchCommand::Engine(args) => commands::bench_engine(&args, out),
            BenchCommand::Store(args) => commands::bench_store(&args, out),
            BenchCommand::Search(args) => commands::bench_search(&args, out),
            BenchCommand::Import { corpus, keep } => {
                commands::bench_import(&corpus, keep.as_deref(), out)
            }
        },
        Command::Eval { command } => match command {
            EvalCommand::Retrieval { questions } => {
                commands::eval_retrieval(&login(Action::EvalRetrieval)?, &questions, out)
            }
            EvalCommand::Answers(args) => {
                commands::eval_answers(&login(Action::EvalRetrieval)?, &args, out)
            }
        },
        Command::Model { command } => match command {
            // A file's header is not stored data.
            models::ModelCommand::Info { path } => commands::model_info(&path, out),
            command => models::run(&login(Action::ManageModels)?, &command, out),
        },
    }
}

/// The platform's data directory (`~/.local/share/bedside` on Linux).
fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("bedside")
}
