//! The guideline library: turns guideline files into structure-aware chunks and searches them.
//!
//! Bedside answers only from what a hospital imported, so this crate owns the path from a file on
//! disk to a passage a citation can open: [`extract`] reads a file into plain text with its
//! section headings, [`chunk`] cuts that text into bounded passages that remember their section and
//! character offsets, and [`index`] keeps those passages in a Tantivy index whose analyser handles
//! Chinese (jieba) and English (stemming) in the same field.
//!
//! The crate knows nothing of SQLite: the caller stores documents and chunks so that the index can
//! be rebuilt from them at any time.
//!
//! ```no_run
//! use library::{extract, chunk, index::{GuidelineIndex, IndexedChunk}};
//! let doc = extract::extract_file(std::path::Path::new("asthma.md")).unwrap();
//! let chunks = chunk::chunk_document(&doc, &chunk::ChunkOptions::default());
//! let index = GuidelineIndex::open_or_create(std::path::Path::new("index")).unwrap();
//! # let _ = (chunks, index);
//! ```
#![deny(missing_docs)]

pub mod chunk;
pub mod docx;
pub mod error;
pub mod extract;
pub mod glossary;
pub mod index;
pub mod lang;
pub mod pdf;
mod tokenizer;
pub mod vectors;

pub use error::{LibraryError, Result};
/// Tantivy's error type, for callers that need to tell a busy index from a broken one.
pub use tantivy::TantivyError;
