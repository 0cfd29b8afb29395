//! The search benchmark: the same passages and questions through Bedside's Tantivy index and
//! through SQLite FTS5 in one run (`bedside bench search`). Latency is measured on a corpus
//! scaled up by repeating it with fresh ids; recall on the same scaled corpus (copies share
//! their file name, so recall is unaffected by the repetition).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use library::index::{GuidelineIndex, IndexedChunk};
use serde::Serialize;
use store::fts_baseline::Fts5Baseline;

use crate::eval::Question;
use crate::retrieval::StepTimes;
use crate::{Clinic, Result};

/// One engine's figures.
#[derive(Debug, Clone, Serialize)]
pub struct EngineFigures {
    /// Median query time, ms (search plus snippets).
    pub p50_ms: f64,
    /// 95th percentile, ms.
    pub p95_ms: f64,
    /// Building the index, seconds.
    pub build_s: f64,
    /// Recall@5 on the expected document, per question group (`en`, `zh`, `cross`, `all`).
    pub recall_at_5: BTreeMap<String, f64>,
}

/// The whole comparison.
#[derive(Debug, Clone, Serialize)]
pub struct SearchBench {
    /// Passages in the corpus as imported.
    pub base_passages: usize,
    /// Passages searched (the corpus repeated `scale` times).
    pub passages: usize,
    /// Questions asked.
    pub questions: usize,
    /// Bedside's index.
    pub tantivy: EngineFigures,
    /// The baseline.
    pub fts5: EngineFigures,
    /// Tantivy p95 ÷ FTS5 p95 (below 1: Tantivy faster).
    pub p95_ratio: f64,
    /// Search by meaning and the fusion at the same scale, step by step; `None` without an
    /// embedding model.
    pub semantic: Option<SemanticFigures>,
}

/// Median and 95th percentile of one step, ms.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Latency {
    /// Median, ms.
    pub p50_ms: f64,
    /// 95th percentile, ms.
    pub p95_ms: f64,
}

impl Latency {
    fn of(mut times: Vec<f64>) -> Latency {
        times.sort_by(|a, b| a.total_cmp(b));
        Latency {
            p50_ms: percentile(&times, 0.5),
            p95_ms: percentile(&times, 0.95),
        }
    }
}

/// What one search costs, as `library search` and `ask` run it (`Clinic::find`, the first
/// three hits), split into its steps, on the scaled corpus: each passage's vector repeated
/// with the passage.
#[derive(Debug, Clone, Serialize)]
pub struct SemanticFigures {
    /// The embedding model's file.
    pub model: String,
    /// Embedding the question (one thread).
    pub query_embedding: Latency,
    /// The exact vector search over every passage, both languages' lists.
    pub vector_search: Latency,
    /// Tantivy at the fusion's depth (30), and the glossary's translation when searched.
    pub lexical_search: Latency,
    /// Reciprocal rank fusion, the Tantivy lookups of the vector-only hits, and the database
    /// lookups that collapse duplicates.
    pub fusion: Latency,
    /// All of it.
    pub total: Latency,
    /// All of it but the question's embedding.
    pub without_embedding: Latency,
    /// The vectors in memory, MiB.
    pub vectors_mib: f64,
    /// The process's peak resident memory once the model and the vectors are loaded, MiB.
    pub peak_rss_mib: f64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

/// Times every question twice (the first pass warms caches) and scores the second pass.
fn run(
    questions: &[Question],
    mut search: impl FnMut(&str) -> Result<Vec<String>>,
) -> Result<(Vec<f64>, BTreeMap<String, f64>)> {
    for q in questions {
        search(&q.question)?;
    }
    let mut times = Vec::new();
    let mut hits: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for q in questions {
        let started = Instant::now();
        let files = search(&q.question)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        let found = q
            .expected_file()
            .is_some_and(|want| files.iter().take(5).any(|f| f == want));
        for group in [q.group(), "all"] {
            let t = hits.entry(group.to_string()).or_default();
            t.0 += usize::from(found);
            t.1 += 1;
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let recall = hits
        .into_iter()
        .map(|(g, (found, n))| (g, found as f64 / n.max(1) as f64))
        .collect();
    Ok((times, recall))
}

/// The key of the benchmarks' scratch data directories.
const BENCH_KEY: store::Key = store::Key::Raw([9; 32]);

/// Where [`bench_search`] finds its library.
#[derive(Debug, Clone, Copy)]
pub enum Library<'a> {
    /// Import this folder first (and embed it, which takes minutes on two cores).
    Import(&'a Path),
    /// A data directory [`bench_import`] left, imported and embedded.
    Imported(&'a Path),
}

/// Builds both indexes over the library's passages repeated `scale` times and asks every
/// question of both; then times the product's own search over the same scaled library.
pub fn bench_search(
    scratch: &Path,
    library: Library<'_>,
    questions: &[Question],
    scale: usize,
) -> Result<SearchBench> {
    let clinic = match library {
        Library::Import(corpus) => {
            let clinic = Clinic::open(&scratch.join("data"), &BENCH_KEY)?;
            let admin = clinic.create_first_admin("bench", "", "bench password")?;
            clinic.import(&admin, &[corpus.to_path_buf()], &|| false, &mut |_| {})?;
            clinic
        }
        Library::Imported(data) => {
            let clinic = Clinic::open(data, &BENCH_KEY)?;
            // Whatever an interrupted `bench import` left unembedded.
            clinic.embed_library(&|| false, &mut |_| {})?;
            clinic
        }
    };
    let mut chunks = Vec::new();
    clinic.store().for_each_chunk(|c| -> Result<()> {
        chunks.push(c);
        Ok(())
    })?;
    let scale = scale.max(1);

    let started = Instant::now();
    let index = Arc::new(GuidelineIndex::open_or_create(&scratch.join("tantivy"))?);
    let mut batch = index.batch()?;
    for copy in 0..scale {
        for c in &chunks {
            let chunk = library::chunk::Chunk {
                id: format!("{}-{copy}", c.chunk_id),
                ord: 0,
                section: c.section.clone(),
                page: c.page,
                start_char: c.start_char as usize,
                end_char: c.end_char as usize,
                text: c.text.clone(),
            };
            batch.add(&IndexedChunk {
                doc_id: (c.document_id as u64) + (copy as u64) * 1_000_000,
                file_name: &c.file_name,
                title: &c.title,
                chunk: &chunk,
            })?;
        }
    }
    batch.commit()?;
    let tantivy_build = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut fts = Fts5Baseline::create(&scratch.join("fts5.db"))?;
    let ids: Vec<String> = (0..scale)
        .flat_map(|copy| chunks.iter().map(move |c| format!("{}-{copy}", c.chunk_id)))
        .collect();
    fts.add_all(ids.iter().enumerate().map(|(i, id)| {
        let c = &chunks[i % chunks.len()];
        (
            id.as_str(),
            c.file_name.as_str(),
            c.title.as_str(),
            c.section.as_str(),
            c.text.as_str(),
        )
    }))?;
    let fts_build = started.elapsed().as_secs_f64();

    let (t_times, t_recall) = run(questions, |q| {
        Ok(index
            .search(q, 10)?
            .into_iter()
            .map(|h| h.file_name)
            .collect())
    })?;
    let (f_times, f_recall) = run(questions, |q| Ok(fts.search(q, 10)?))?;
    let figures = |times: &[f64], recall, build_s| EngineFigures {
        p50_ms: percentile(times, 0.5),
        p95_ms: percentile(times, 0.95),
        build_s,
        recall_at_5: recall,
    };
    let tantivy = figures(&t_times, t_recall, tantivy_build);
    let fts5 = figures(&f_times, f_recall, fts_build);
    let semantic = match clinic.embedder() {
        Some(embedder) => Some(semantic(&clinic, &embedder, index, questions, scale)?),
        None => None,
    };
    Ok(SearchBench {
        base_passages: chunks.len(),
        passages: chunks.len() * scale,
        questions: questions.len(),
        p95_ratio: tantivy.p95_ms / fts5.p95_ms.max(1e-9),
        tantivy,
        fts5,
        semantic,
    })
}

/// Times `Clinic::find`, the search `library search` and `ask` run, step by step, over the
/// stored vectors and the Tantivy index repeated `scale` times (the copies named alike). The
/// copies are not in the database, so no hit is collapsed as a duplicate, but each is still
/// looked up there, as every hit is.
fn semantic(
    clinic: &Clinic,
    embedder: &llm::embed::Embedder,
    index: Arc<GuidelineIndex>,
    questions: &[Question],
    scale: usize,
) -> Result<SemanticFigures> {
    let stored = clinic.store().vectors(embedder.digest())?;
    let mut vectors = library::vectors::VectorIndex::new(embedder.dim());
    for copy in 0..scale {
        for v in &stored {
            let id = format!("{}-{copy}", v.chunk_id);
            let doc = (v.document_id as u64) + (copy as u64) * 1_000_000;
            vectors.insert(&id, doc, v.lang == "zh", &v.vector);
        }
    }
    let vectors_mib = (vectors.len() * vectors.dim() * 4) as f64 / (1024.0 * 1024.0);
    let scaled = clinic.searching(index, vectors)?;
    let limit = crate::ask::AskOptions::default().top_k;
    let mut steps: Vec<StepTimes> = Vec::new();
    let mut total: Vec<f64> = Vec::new();
    for pass in 0..2 {
        for q in questions {
            let mut times = StepTimes::default();
            let started = Instant::now();
            std::hint::black_box(scaled.find_timed(&q.question, limit, &mut times)?);
            if pass == 1 {
                total.push(started.elapsed().as_secs_f64() * 1000.0);
                steps.push(times);
            }
        }
    }
    let of = |step: fn(&StepTimes) -> f64| Latency::of(steps.iter().map(step).collect());
    let without: Vec<f64> = total
        .iter()
        .zip(&steps)
        .map(|(t, s)| t - s.query_embedding)
        .collect();
    Ok(SemanticFigures {
        model: crate::retrieval::embedding_model()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default(),
        query_embedding: of(|s| s.query_embedding),
        vector_search: of(|s| s.vector_search),
        lexical_search: of(|s| s.lexical_search),
        fusion: of(|s| s.fusion),
        total: Latency::of(total),
        without_embedding: Latency::of(without),
        vectors_mib,
        peak_rss_mib: llm::bench::peak_rss_mib(),
    })
}

/// Import throughput for a folder, into a fresh encrypted data directory.
#[derive(Debug, Clone, Serialize)]
pub struct ImportBench {
    /// Files seen.
    pub files: usize,
    /// Files imported.
    pub imported: usize,
    /// Files refused (with a typed error each).
    pub failed: usize,
    /// Bytes of the files seen.
    pub bytes: u64,
    /// Passages made.
    pub passages: usize,
    /// Wall time, seconds.
    pub seconds: f64,
    /// Files per minute.
    pub files_per_minute: f64,
    /// Megabytes of source per minute.
    pub mb_per_minute: f64,
    /// Pages of the PDFs imported.
    pub pdf_pages: u64,
    /// PDF pages read and cut into passages per minute, measured on the corpus's PDFs alone
    /// (read repeatedly for at least two seconds): the whole-corpus time is mostly other
    /// formats.
    pub pdf_pages_per_minute: Option<f64>,
    /// The process's peak resident memory after the import, MiB.
    pub peak_rss_mib: f64,
    /// The embedding the import job does after the files, timed on its own; `None` without
    /// an embedding model.
    pub embedding: Option<EmbeddingFigures>,
}

/// Embedding an imported library's passages.
#[derive(Debug, Clone, Serialize)]
pub struct EmbeddingFigures {
    /// Passages embedded.
    pub passages: usize,
    /// Wall time, seconds.
    pub seconds: f64,
    /// Passages per minute.
    pub passages_per_minute: f64,
    /// Files per minute of the whole import job, files and embedding.
    pub files_per_minute_with_embedding: f64,
    /// PDF pages per minute of the whole job, when the corpus has PDFs.
    pub pdf_pages_per_minute_with_embedding: Option<f64>,
    /// The process's peak resident memory after embedding, MiB.
    pub peak_rss_mib: f64,
}

/// Imports `corpus` into the data directory `data` (new) the way the product does (extract,
/// chunk, SQLite in one transaction per document, Tantivy in batches), then embeds it.
pub fn bench_import(data: &Path, corpus: &Path) -> Result<ImportBench> {
    let key = BENCH_KEY;
    // Files first, as the figures before search by meaning were taken; the embedding the
    // job does next is timed on its own below.
    let clinic = Clinic::open(data, &key)?.without_embeddings();
    let admin = clinic.create_first_admin("bench", "", "bench password")?;
    let files = crate::import::collect_files(&[corpus.to_path_buf()]);
    let bytes: u64 = files
        .iter()
        .filter_map(|f| f.metadata().ok())
        .map(|m| m.len())
        .sum();
    let started = Instant::now();
    let report = clinic.import(&admin, &[corpus.to_path_buf()], &|| false, &mut |_| {})?;
    let seconds = started.elapsed().as_secs_f64();
    let minutes = seconds / 60.0;
    let pdfs: Vec<&std::path::PathBuf> = files
        .iter()
        .filter(|f| library::extract::Format::from_path(f) == Some(library::extract::Format::Pdf))
        .collect();
    let peak_rss_mib = llm::bench::peak_rss_mib();
    drop(clinic);
    let pdf_pages: u64 = report
        .imported
        .iter()
        .filter_map(|i| i.pages)
        .map(u64::from)
        .sum();
    let embedding = embed_imported(data, &key, files.len(), pdf_pages, seconds)?;
    Ok(ImportBench {
        pdf_pages: report
            .imported
            .iter()
            .filter_map(|i| i.pages)
            .map(u64::from)
            .sum(),
        pdf_pages_per_minute: pdf_pages_per_minute(&pdfs),
        files: files.len(),
        imported: report.imported.len(),
        failed: report.failed.len(),
        bytes,
        passages: report.imported.iter().map(|i| i.chunks).sum(),
        seconds,
        files_per_minute: files.len() as f64 / minutes.max(1e-9),
        mb_per_minute: bytes as f64 / 1e6 / minutes.max(1e-9),
        peak_rss_mib,
        embedding,
    })
}

/// Opens the imported data directory with the embedding model and embeds its passages, as
/// the import job's last step does.
fn embed_imported(
    data: &Path,
    key: &store::Key,
    files: usize,
    pdf_pages: u64,
    import_seconds: f64,
) -> Result<Option<EmbeddingFigures>> {
    let clinic = Clinic::open(data, key)?;
    if clinic.embedder().is_none() {
        return Ok(None);
    }
    let started = Instant::now();
    let passages = clinic.embed_library(&|| false, &mut |_| {})?;
    let seconds = started.elapsed().as_secs_f64();
    let job_minutes = (import_seconds + seconds) / 60.0;
    Ok(Some(EmbeddingFigures {
        passages,
        seconds,
        passages_per_minute: passages as f64 / (seconds / 60.0).max(1e-9),
        files_per_minute_with_embedding: files as f64 / job_minutes.max(1e-9),
        pdf_pages_per_minute_with_embedding: (pdf_pages > 0)
            .then(|| pdf_pages as f64 / job_minutes.max(1e-9)),
        peak_rss_mib: llm::bench::peak_rss_mib(),
    }))
}

/// Reads and chunks the PDFs over and over for at least two seconds; pages per minute.
fn pdf_pages_per_minute(pdfs: &[&std::path::PathBuf]) -> Option<f64> {
    let started = Instant::now();
    let mut pages = 0u64;
    while started.elapsed().as_secs_f64() < 2.0 {
        let before = pages;
        for pdf in pdfs {
            if let Ok(doc) = library::extract::extract_file(pdf) {
                let chunks = library::chunk::chunk_document(&doc, &Default::default());
                std::hint::black_box(chunks);
                pages += u64::from(doc.pages().unwrap_or(0));
            }
        }
        if pages == before {
            return None;
        }
    }
    Some(pages as f64 / (started.elapsed().as_secs_f64() / 60.0))
}
