//! `bedside`: the headless front door onto Bedside's workflows.
//!
//! Hospital scripts and the test suite use it, so its `--json` output is a contract
//! (docs/cli.md): add fields, never rename or remove them.

mod commands;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    /// Inspect model files.
    Model {
        #[command(subcommand)]
        command: ModelCommand,
    },
}

#[derive(Subcommand)]
enum LibraryCommand {
    /// Import files or folders (Markdown, text, HTML).
    Import {
        /// Files or folders; folders are read recursively.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
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
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Prompt and decode speed, time to first token cold and cached, peak RSS; with
    /// `--llama-bench`, llama.cpp's own figures for the same file and threads, and the ratios.
    Engine(commands::BenchEngineArgs),
}

#[derive(Subcommand)]
enum EvalCommand {
    /// Recall@1/5/10, MRR@10 and passage hit@5 over a JSON-lines question file, per language
    /// and for cross-language questions, against the imported library.
    Retrieval {
        /// Questions as JSON lines (id, lang, question, expected_doc, expected_passage_substring).
        #[arg(long)]
        questions: PathBuf,
    },
}

#[derive(Subcommand)]
enum ModelCommand {
    /// Read a GGUF file's header: architecture, size, quantisation, chat template.
    Info {
        /// The model file.
        path: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = commands::Output { json: cli.json };
    let data_dir = cli.data_dir.unwrap_or_else(default_data_dir);
    let result = match cli.command {
        Command::Library { command } => match command {
            LibraryCommand::Import { paths } => commands::import(&data_dir, &paths, &out),
            LibraryCommand::Search { query, limit } => {
                commands::search(&data_dir, &query, limit, &out)
            }
            LibraryCommand::Rebuild => commands::rebuild(&data_dir, &out),
        },
        Command::Ask(args) => commands::ask(&data_dir, &args, &out),
        Command::Triage(args) => commands::triage(&args, &out),
        Command::Bench { command } => match command {
            BenchCommand::Engine(args) => commands::bench_engine(&args, &out),
        },
        Command::Eval { command } => match command {
            EvalCommand::Retrieval { questions } => {
                commands::eval_retrieval(&data_dir, &questions, &out)
            }
        },
        Command::Model { command } => match command {
            ModelCommand::Info { path } => commands::model_info(&path, &out),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&e);
            ExitCode::FAILURE
        }
    }
}

/// The platform's data directory (`~/.local/share/bedside` on Linux).
fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("bedside")
}
