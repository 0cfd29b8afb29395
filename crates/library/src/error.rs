//! Errors of the guideline library, each with a stable code that the UI and CLI show.

use std::path::PathBuf;

/// Everything that can go wrong while reading, chunking or searching guidelines.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LibraryError {
    /// The file's extension is not one Bedside can read yet.
    #[error("unsupported file format: {path}")]
    UnsupportedFormat {
        /// The file that was refused.
        path: PathBuf,
    },
    /// The file is larger than the import limit; reading it would exhaust memory.
    #[error("file too large ({size} bytes, limit {limit}): {path}")]
    TooLarge {
        /// The file that was refused.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file holds no text once markup is removed.
    #[error("no text found in {path}")]
    Empty {
        /// The file that was refused.
        path: PathBuf,
    },
    /// The file is not text (binary content where text was expected).
    #[error("not a text file: {path}")]
    NotText {
        /// The file that was refused.
        path: PathBuf,
    },
    /// The file is damaged or is not what its extension says (a `.docx` that is not a Word
    /// archive, an encrypted document).
    #[error("cannot read {path}: damaged, encrypted or not of its type ({message})")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What the reader said.
        message: String,
    },
    /// The document needs a password to open.
    #[error("{path} is protected by a password; save an unprotected copy to import it")]
    Encrypted {
        /// The file.
        path: PathBuf,
    },
    /// A PDF whose pages hold no readable text: scanned images, or fonts without a map to
    /// Unicode. It needs OCR before it can be searched.
    #[error(
        "{path} has no readable text on its {pages} pages (scanned images?); run OCR on it first"
    )]
    NoTextLayer {
        /// The file.
        path: PathBuf,
        /// Its page count.
        pages: usize,
    },
    /// A document that decompresses to more than one document may: a PDF whose streams,
    /// font maps and text together pass [`crate::pdf::MAX_DOCUMENT_BYTES`], however small
    /// the file. Only this document fails; the import goes on.
    #[error(
        "{path} decompresses to more than {limit} bytes in all, the limit for one document; \
         split it into smaller files to import it"
    )]
    ContentTooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        limit: usize,
    },
    /// The caller cancelled while the file was being read; nothing of it was kept.
    #[error("cancelled while reading {path}")]
    Cancelled {
        /// The file.
        path: PathBuf,
    },
    /// Reading the file failed.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file that could not be read.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The Tantivy index failed.
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The query could not be parsed even after escaping.
    #[error("invalid query: {0}")]
    Query(String),
    /// The index directory could not be opened.
    #[error("cannot open index directory {path}: {message}")]
    IndexDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

impl LibraryError {
    /// A stable, machine-readable code for this error; the UI translates it, scripts match on it.
    pub fn code(&self) -> &'static str {
        match self {
            LibraryError::UnsupportedFormat { .. } => "unsupported_format",
            LibraryError::TooLarge { .. } => "file_too_large",
            LibraryError::Empty { .. } => "empty_document",
            LibraryError::NotText { .. } => "not_text",
            LibraryError::Corrupt { .. } => "corrupt_document",
            LibraryError::Encrypted { .. } => "encrypted_document",
            LibraryError::NoTextLayer { .. } => "no_text_layer",
            LibraryError::ContentTooLarge { .. } => "content_too_large",
            LibraryError::Cancelled { .. } => "cancelled",
            LibraryError::Io { .. } => "io_error",
            LibraryError::Index(_) => "index_error",
            LibraryError::Query(_) => "invalid_query",
            LibraryError::IndexDir { .. } => "index_error",
        }
    }
}

/// The library's result type.
pub type Result<T, E = LibraryError> = std::result::Result<T, E>;
