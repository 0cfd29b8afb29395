//! Workflow errors and the `{code, message, details}` shape they take at the UI and CLI.

use std::path::PathBuf;

/// Anything a workflow can fail with. Each variant keeps the typed error of the component that
/// failed, so its stable code survives up to the user.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClinicError {
    /// The data directory cannot be created or used.
    #[error("cannot use data directory {path}: {message}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] store::StoreError),
    /// The guideline library failed.
    #[error(transparent)]
    Library(#[from] library::LibraryError),
    /// The model failed.
    #[error(transparent)]
    Model(#[from] llm::LlmError),
    /// The question is empty.
    #[error("the question is empty")]
    EmptyQuestion,
    /// No model is loaded.
    #[error("no model is loaded")]
    NoModel,
    /// The triage intake is invalid.
    #[error(transparent)]
    Triage(#[from] ::triage::TriageError),
    /// Not logged in, not allowed, or a login refused.
    #[error(transparent)]
    Access(#[from] access::AccessError),
    /// The database is encrypted and no passphrase or key file was given.
    #[error("the database is locked: give its passphrase (BEDSIDE_PASSPHRASE) or key file (BEDSIDE_KEY_FILE)")]
    PassphraseRequired,
    /// A file or value given by the user cannot be used.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// Copying a file into the data directory failed; the partial copy was removed.
    #[error("cannot copy {what}: {message}")]
    Copy {
        /// What was being copied.
        what: String,
        /// The operating system's reason.
        message: String,
        /// Whether the disk is full.
        disk_full: bool,
    },
    /// The file's SHA-256 is not the one the admin expected: a damaged or different file.
    #[error("the file's SHA-256 is {actual}, not the expected {expected}")]
    ChecksumMismatch {
        /// What the admin gave.
        expected: String,
        /// What the file has.
        actual: String,
    },
    /// The work was cancelled; nothing was kept.
    #[error("cancelled; nothing was kept")]
    Cancelled,
    /// The import job is being run by this or another window or CLI.
    #[error("import job {0} is already running")]
    ImportRunning(i64),
    /// The import job has no files left to import.
    #[error("import job {0} has finished; there is nothing left to resume")]
    ImportFinished(i64),
    /// An import will not read this file: it is, or lies under, a symbolic link that leads out
    /// of the folder chosen for the import (or, when it changed since the job was made, to a
    /// place nobody checked). A link planted in a folder must not turn a private file into a
    /// guideline every role can search.
    #[error(
        "{path} leads through a symbolic link to {target}, outside the folder chosen for the \
         import; links are followed only to files inside that folder"
    )]
    LinkOutsideFolder {
        /// The file as the job lists it.
        path: PathBuf,
        /// Where it really leads.
        target: PathBuf,
    },
    /// The triage assessment a save names cannot be used: another user's, already saved,
    /// expired, or made for a form that has changed since. The nurse grades the form again, so
    /// that what is saved is what was shown for this very form.
    #[error("triage assessment {id} {why}: grade the form again")]
    AssessmentStale {
        /// The assessment's id.
        id: i64,
        /// Why it cannot be used.
        why: &'static str,
    },
    /// An import will not read Bedside's own data: its data directory (the database, its key,
    /// backups, the search index) or the database key file, however it was reached.
    #[error("{path} is Bedside's own data (its data folder or key file) and is never imported")]
    InDataDir {
        /// The file or folder as the job lists it.
        path: PathBuf,
    },
}

impl ClinicError {
    /// The stable code of the underlying error.
    pub fn code(&self) -> &'static str {
        match self {
            ClinicError::DataDir { .. } => "data_dir_unusable",
            ClinicError::Store(e) => e.code(),
            ClinicError::Library(e) => e.code(),
            ClinicError::Model(e) => e.code(),
            ClinicError::EmptyQuestion => "empty_question",
            ClinicError::NoModel => "no_model",
            ClinicError::InvalidInput(_) => "invalid_input",
            ClinicError::Access(e) => e.code(),
            ClinicError::PassphraseRequired => "passphrase_required",
            ClinicError::Triage(e) => e.code(),
            ClinicError::Copy {
                disk_full: true, ..
            } => "disk_full",
            ClinicError::Copy { .. } => "copy_failed",
            ClinicError::ChecksumMismatch { .. } => "checksum_mismatch",
            ClinicError::Cancelled => "cancelled",
            ClinicError::ImportRunning(_) => "import_running",
            ClinicError::ImportFinished(_) => "import_finished",
            ClinicError::LinkOutsideFolder { .. } => "link_outside_folder",
            ClinicError::InDataDir { .. } => "in_data_dir",
            ClinicError::AssessmentStale { .. } => "assessment_stale",
        }
    }

    /// The serialisable form for the UI and `--json` output.
    pub fn payload(&self) -> ErrorPayload {
        let details = match self {
            ClinicError::Triage(e) => e.field().map(|f| format!("field: {f}")),
            // The UI marks the text already shown as incomplete.
            ClinicError::Model(e) if e.is_partial() => Some("partial".to_string()),
            _ => None,
        };
        ErrorPayload {
            code: self.code().to_string(),
            message: self.to_string(),
            field: match self {
                ClinicError::Triage(e) => e.field().map(str::to_string),
                _ => None,
            },
            details,
        }
    }
}

/// An error as the UI and scripts receive it: a stable code to match on and translate, and a
/// message for people.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ErrorPayload {
    /// Stable, machine-readable code.
    pub code: String,
    /// Human-readable message (English; the UI translates by code).
    pub message: String,
    /// The input at fault, as named in the request's JSON (`vitals.heart_rate`), when one is;
    /// the window marks that field. Absent, not null, when none is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Extra context, when there is any: `"field: vitals.heart_rate"` (kept for scripts that
    /// read it before `field` existed) or `"partial"` (the answer broke off after text was
    /// shown).
    pub details: Option<String>,
}

impl From<ClinicError> for ErrorPayload {
    fn from(e: ClinicError) -> Self {
        e.payload()
    }
}

/// The workflows' result type.
pub type Result<T, E = ClinicError> = std::result::Result<T, E>;
