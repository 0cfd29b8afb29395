//! Retrieval: lexical (Tantivy), the glossary's translation, and meaning (the embedding model),
//! fused into one ranking; and the decision whether the library covers a question at all.
//!
//! Lexical search finds the passage that shares the question's rare words, which is most of the
//! time in English; it cannot bridge "COVID-19" and "novel coronavirus pneumonia", a brand name
//! and a generic one, or a Chinese clinician's colloquial words and a guideline's. The vector
//! search does, and the two are fused by reciprocal rank (ranks, not scores: a BM25 score and
//! a cosine cannot be compared). Every list is computed at a fixed depth, whatever the caller
//! asks for, so the first k hits are always the first k of k+1 and `ask` reads exactly the
//! passages `library search` shows first.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Instant;

use library::index::{DuplicateOf, GuidelineIndex, Hit};
use library::vectors::{NearestByLanguage, VectorHit, VectorIndex};
use llm::embed::{Embedder, Purpose};
use llm::CancelToken;

use crate::{ask, Clinic, Result};

/// Depth of every candidate list, independent of the hits asked for.
pub const POOL: usize = 30;
/// Reciprocal rank fusion's constant: a hit at rank r of a list scores 1 / (RRF_K + r). 60 is
/// the value of the original paper and of most systems since; smaller favours the very top.
const RRF_K: f32 = 60.0;
/// The vector list's weight in the fusion, the lexical lists' being 1. On the dev questions 1
/// did best (English passage hit@5 0.947; 0.943 at 1.5 and 2; an extra list ranked by lexical
/// coverage lowered it to 0.925): docs/benchmarks.md.
pub(crate) const VECTOR_WEIGHT: f32 = 1.0;
/// An English question's nearest Chinese passages join the fusion as a list of their own when
/// the best of them is within this much of the best English one. multilingual-e5-small rates
/// Chinese passages 0.02 to 0.06 below equally relevant English ones for an English question,
/// so in one list an English question never reaches a Chinese guideline that answers it; at
/// 0.07 (0.1 measured the same) cross-language recall@5 rose from 0.29 to 0.50 at the cost of
/// one English question's top five (docs/benchmarks.md). A Chinese question needs no such
/// list: the model rates English passages as high as Chinese ones for it, and a separate list
/// only pushed Chinese answers out (Chinese passage hit@5 0.77 to 0.63).
const CHINESE_FOR_ENGLISH_GAP: f32 = 0.07;
/// Passages embedded in one pass of the job.
const EMBED_BATCH: usize = 16;
/// The file of the built-in embedding model (scripts/fetch-models.sh).
pub const EMBED_MODEL_FILE: &str = "multilingual-e5-small-q4_0.gguf";
/// One of the passages `ask` reads must be at least this similar in meaning to a question
/// written in Latin script, else the library does not cover it. Cosines of e5 vectors crowd between 0.8
/// and 0.95, and a Chinese question sits about 0.04 higher than an English one of the same
/// relevance, hence two thresholds. Each is the point where as many in-scope questions asked
/// in other words are answered as out-of-scope questions that share words with the library
/// are declined (assets/eval/paraphrased.jsonl, out_of_scope.jsonl; docs/benchmarks.md).
pub const MIN_SIMILARITY: f32 = 0.847;
/// [`MIN_SIMILARITY`] for a question holding Chinese characters.
pub const MIN_SIMILARITY_CJK: f32 = 0.881;

/// The similarity threshold for `question`, by its script.
pub fn min_similarity(question: &str) -> f32 {
    if chinese(question) {
        MIN_SIMILARITY_CJK
    } else {
        MIN_SIMILARITY
    }
}

/// The embedding model and the library's vectors in memory.
#[derive(Default)]
pub(crate) struct Semantic {
    embedder: OnceLock<Option<Arc<Embedder>>>,
    vectors: RwLock<Loaded>,
    /// One embedding run at a time (the window's start and an import may overlap): the
    /// second waits, then finds nothing left to do.
    running: std::sync::Mutex<()>,
}

#[derive(Default)]
struct Loaded {
    index: Option<VectorIndex>,
    /// The database's `data_version` when the vectors were read: another process (the CLI
    /// importing while the window is open) changes it, and the vectors are read again.
    version: i64,
}

/// The embedding model Bedside uses: `$BEDSIDE_EMBED_MODEL` (`off` for none), else the one
/// installed beside the program (`../lib/bedside/models/`, the Debian package's layout), else
/// the one `scripts/fetch-models.sh` put in the cache.
pub fn embedding_model() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BEDSIDE_EMBED_MODEL") {
        return (p != "off").then(|| PathBuf::from(p));
    }
    let installed = std::env::current_exe().ok().and_then(|exe| {
        let path = exe
            .parent()?
            .join("../lib/bedside/models")
            .join(EMBED_MODEL_FILE);
        path.exists().then_some(path)
    });
    if installed.is_some() {
        return installed;
    }
    let cache = std::env::var_os("BEDSIDE_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/bedside")))?;
    let path = cache.join("models").join(EMBED_MODEL_FILE);
    path.exists().then_some(path)
}

/// Progress of embedding the library, for the Library page and the CLI.
pub use store::EmbeddingProgress;

impl Clinic {
    /// The embedding model, loaded at first use; `None` when there is none or it cannot load
    /// (then retrieval is lexical alone, and the log says why once).
    pub(crate) fn embedder(&self) -> Option<Arc<Embedder>> {
        self.semantic
            .embedder
            .get_or_init(|| {
                let path = embedding_model()?;
                match Embedder::load(&path, Some(1)) {
                    Ok(e) => Some(Arc::new(e)),
                    Err(e) => {
                        tracing::warn!(code = e.code(), "embedding model not loaded: {e}");
                        None
                    }
                }
            })
            .clone()
    }

    /// Turns search by meaning off for this handle: no embedding model is loaded, imports do
    /// not embed, and retrieval and the "not covered" decision are lexical, as before vectors.
    /// For tests and benchmarks of the lexical path; has no effect once the model is loaded.
    pub fn without_embeddings(self) -> Clinic {
        let _ = self.semantic.embedder.set(None);
        self
    }

    /// How much of the library has vectors from the current embedding model; `None` without one.
    pub fn embedding_progress(&self) -> Result<Option<EmbeddingProgress>> {
        match self.embedder() {
            Some(e) => Ok(Some(self.store.embedding_progress(e.digest())?)),
            None => Ok(None),
        }
    }

    /// Embeds every passage of the current documents that has no vector from the current
    /// model, a batch at a time, each batch saved before the next: stopped (cancelled, closed,
    /// crashed) it resumes where it was. Vectors of an earlier model are dropped first. Returns
    /// the passages embedded; without an embedding model, none.
    pub fn embed_library(
        &self,
        is_cancelled: &(dyn Fn() -> bool + Sync),
        on_progress: &mut dyn FnMut(EmbeddingProgress),
    ) -> Result<usize> {
        let Some(embedder) = self.embedder() else {
            return Ok(0);
        };
        let _running = self
            .semantic
            .running
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let model = embedder.digest();
        if self.store.drop_vectors_not_of(model)? > 0 {
            self.forget_vectors();
        }
        let mut done = 0;
        let never = CancelToken::new();
        loop {
            if is_cancelled() {
                break;
            }
            let batch = self.store.chunks_without_vectors(model, EMBED_BATCH)?;
            if batch.is_empty() {
                break;
            }
            let vectors = embed_batch(&embedder, &batch, &never)?;
            let langs: Vec<&str> = batch
                .iter()
                .map(|c| library::lang::detect(&c.text))
                .collect();
            let rows: Vec<store::NewVector<'_>> = batch
                .iter()
                .zip(&langs)
                .zip(&vectors)
                .map(|((c, lang), v)| (c.chunk_id.as_str(), *lang, v.as_slice()))
                .collect();
            self.store.put_vectors(model, &rows)?;
            {
                let mut loaded = self
                    .semantic
                    .vectors
                    .write()
                    .unwrap_or_else(|e| e.into_inner());
                if let Some(index) = loaded.index.as_mut() {
                    for ((c, lang), v) in batch.iter().zip(&langs).zip(&vectors) {
                        index.insert(&c.chunk_id, c.document_id as u64, *lang == "zh", v);
                    }
                }
            }
            done += batch.len();
            on_progress(self.store.embedding_progress(model)?);
        }
        Ok(done)
    }

    /// Embeds what the library still lacks on a thread of its own at low priority (as an
    /// import does), for the window at start: a library imported before search by meaning,
    /// or whose embedding stopped with the program, is completed while people work. Search
    /// works meanwhile, by words alone for the passages not yet embedded.
    pub fn embed_in_background(&self) {
        let clinic = self.clone();
        let spawned = std::thread::Builder::new()
            .name("bedside-embed".into())
            .spawn(move || {
                crate::import::lower_priority();
                if let Err(e) = clinic.embed_library(&|| false, &mut |_| {}) {
                    tracing::warn!(code = e.code(), "embedding the library failed: {e}");
                }
            });
        if let Err(e) = spawned {
            tracing::warn!("cannot start embedding the library: {e}");
        }
    }

    /// Drops the vectors in memory; the next search reads them again (after an import or a
    /// delete changed which documents are current).
    pub(crate) fn forget_vectors(&self) {
        let mut loaded = self
            .semantic
            .vectors
            .write()
            .unwrap_or_else(|e| e.into_inner());
        loaded.index = None;
    }

    /// The passages nearest in meaning to the question, with the question's vector.
    fn nearest(&self, embedder: &Embedder, query: &str, times: &mut StepTimes) -> Result<Nearest> {
        let started = Instant::now();
        let q = embedder
            .embed(&[query], Purpose::Query, &CancelToken::new())?
            .pop()
            .unwrap_or_default();
        times.query_embedding = elapsed_ms(started);
        let started = Instant::now();
        let version = self.store.data_version()?;
        {
            let loaded = self
                .semantic
                .vectors
                .read()
                .unwrap_or_else(|e| e.into_inner());
            if let Some(index) = loaded.index.as_ref().filter(|_| loaded.version == version) {
                let hits = index.search(&q, POOL);
                times.vector_search = elapsed_ms(started);
                return Ok(Nearest { q, hits });
            }
        }
        // Read under the write lock: a batch the embedding job saves meanwhile waits for it
        // and is then added to what was read, and a `forget_vectors` waits and then drops
        // it, so neither is lost to a reload that started before it.
        let mut loaded = self
            .semantic
            .vectors
            .write()
            .unwrap_or_else(|e| e.into_inner());
        let version = self.store.data_version()?;
        if loaded.index.is_none() || loaded.version != version {
            let mut index = VectorIndex::new(embedder.dim());
            for v in self.store.vectors(embedder.digest())? {
                index.insert(&v.chunk_id, v.document_id as u64, v.lang == "zh", &v.vector);
            }
            *loaded = Loaded {
                index: Some(index),
                version,
            };
        }
        let hits = loaded
            .index
            .as_ref()
            .map(|index| index.search(&q, POOL))
            .unwrap_or_default();
        times.vector_search = elapsed_ms(started);
        Ok(Nearest { q, hits })
    }

    /// Lexical, translated and vector hits fused by reciprocal rank, identical passages
    /// collapsed into one hit, cut to `limit`. The order does not depend on `limit`.
    pub(crate) fn find(&self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        self.find_timed(query, limit, &mut StepTimes::default())
    }

    /// [`Clinic::find`], recording how long each step took (for `bench search`).
    pub(crate) fn find_timed(
        &self,
        query: &str,
        limit: usize,
        times: &mut StepTimes,
    ) -> Result<Vec<Hit>> {
        let query = query.trim();
        if query.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let started = Instant::now();
        let lexical = self.index.search(query, POOL)?;
        let translated = self.translated_hits(query, &lexical)?;
        times.lexical_search = elapsed_ms(started);
        // A model that fails on a question (a wrong file an admin chose) leaves search by
        // words working, not every search failing.
        let embedder = self.embedder();
        let nearest = embedder.as_ref().map(|e| self.nearest(e, query, times));
        let started = Instant::now();
        let (similar, near) = match embedder.zip(nearest) {
            Some((embedder, Ok(near))) => (Some((embedder, near.q)), near.hits),
            Some((_, Err(e))) => {
                tracing::warn!(
                    code = e.code(),
                    "search by meaning failed, words alone: {e}"
                );
                (None, NearestByLanguage::default())
            }
            None => (None, NearestByLanguage::default()),
        };
        let vector = near.merged(POOL);
        let other = other_language(&near, chinese(query));
        let similarity: HashMap<&str, f32> = vector
            .iter()
            .chain(other)
            .map(|h| (h.chunk_id.as_str(), h.similarity))
            .collect();
        // The translation is searched only when nothing in the question's own language holds
        // enough of its words, so on a tie its hits go first.
        let order: Vec<String> = fuse(
            &[
                translated.iter().map(|h| h.chunk_id.as_str()).collect(),
                lexical.iter().map(|h| h.chunk_id.as_str()).collect(),
                vector.iter().map(|h| h.chunk_id.as_str()).collect(),
                other.iter().map(|h| h.chunk_id.as_str()).collect(),
            ],
            &[1.0, 1.0, VECTOR_WEIGHT, VECTOR_WEIGHT],
            &similarity,
        )
        .into_iter()
        .map(str::to_string)
        .collect();
        let mut known: HashMap<String, Hit> = HashMap::new();
        for h in lexical.into_iter().chain(translated) {
            known.entry(h.chunk_id.clone()).or_insert(h);
        }
        let missing: Vec<&str> = order
            .iter()
            .filter(|id| !known.contains_key(id.as_str()))
            .map(String::as_str)
            .collect();
        for h in self.index.hits_for(query, &missing)? {
            known.insert(h.chunk_id.clone(), h);
        }
        let candidates: Vec<&str> = order
            .iter()
            .map(String::as_str)
            .filter(|id| known.contains_key(*id))
            .collect();
        let mut stored = self.store.chunk_texts(&candidates)?;
        let mut hits: Vec<Hit> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        for id in &order {
            let Some(mut hit) = known.remove(id) else {
                continue;
            };
            hit.similarity = similarity.get(id.as_str()).copied().or_else(|| {
                let (_, q) = similar.as_ref()?;
                self.similarity_of(id, q)
            });
            // A passage gone from the database (an index not yet rebuilt) is compared as
            // empty: never a duplicate.
            let text = stored
                .remove(id.as_str())
                .map(|t| normalised(&t))
                .unwrap_or_default();
            if let Some(first) = texts.iter().position(|t| !text.is_empty() && *t == text) {
                hits[first].also_in.push(DuplicateOf {
                    chunk_id: hit.chunk_id,
                    doc_id: hit.doc_id,
                    file_name: hit.file_name,
                });
                continue;
            }
            if hits.len() == limit {
                // Later hits can only be duplicates of these, which the list no longer shows.
                continue;
            }
            texts.push(text);
            hits.push(hit);
        }
        times.fusion = elapsed_ms(started);
        Ok(hits)
    }

    /// This handle's database and embedding model searching `index` and `vectors` instead of
    /// the library's own: `bench search` times the product's search, step by step, over a
    /// library scaled beyond what it imported.
    pub(crate) fn searching(
        &self,
        index: Arc<GuidelineIndex>,
        vectors: VectorIndex,
    ) -> Result<Clinic> {
        let semantic = Semantic::default();
        let _ = semantic.embedder.set(self.embedder());
        *semantic.vectors.write().unwrap_or_else(|e| e.into_inner()) = Loaded {
            index: Some(vectors),
            version: self.store.data_version()?,
        };
        Ok(Clinic {
            index,
            semantic: Arc::new(semantic),
            ..self.clone()
        })
    }

    /// The question's similarity to one passage outside the vector search's top list.
    fn similarity_of(&self, chunk_id: &str, q: &[f32]) -> Option<f32> {
        let loaded = self
            .semantic
            .vectors
            .read()
            .unwrap_or_else(|e| e.into_inner());
        loaded.index.as_ref()?.similarity(chunk_id, q)
    }

    /// When nothing in the question's own language covers it well enough to answer from, the
    /// glossary's translation of its terms searched in the other language, ranked by how many
    /// of the terms each passage holds (a translated question is a bag of terms, not a
    /// phrasing: a title naming the disease must not outrank the passage that answers).
    fn translated_hits(&self, query: &str, lexical: &[Hit]) -> Result<Vec<Hit>> {
        if crate::best_coverage(lexical) >= ask::MIN_COVERAGE {
            return Ok(Vec::new());
        }
        let Some(translated) = self.glossary.translate(query).filter(|t| {
            t.completeness >= crate::CROSS_MIN_COMPLETENESS && t.terms >= crate::CROSS_MIN_TERMS
        }) else {
            return Ok(Vec::new());
        };
        let mut other = self.index.search(&translated.query, POOL)?;
        other.sort_by(|a, b| b.coverage.total_cmp(&a.coverage));
        other.retain(|h| h.coverage >= ask::MIN_COVERAGE);
        Ok(other)
    }
}

/// How long each step of one search took, ms.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct StepTimes {
    /// Embedding the question.
    pub query_embedding: f64,
    /// Searching the vectors (and reading them, when they changed).
    pub vector_search: f64,
    /// Tantivy, and the glossary's translation when it is searched.
    pub lexical_search: f64,
    /// Reciprocal rank fusion, the lookups of vector-only hits, and collapsing duplicates.
    pub fusion: f64,
}

fn elapsed_ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// The batch's vectors. When the model can make nothing of a text in the batch, each passage is
/// embedded alone, and one it cannot embed alone (no tokens, a vector of zeros or NaN) gets an
/// empty vector: that passage is then done, searched by its words only, instead of failing the
/// same batch at every start, which would stop the rest of the library from ever being
/// embedded. Any other failure (no memory for a context, a failed pass) is returned and nothing
/// is recorded, so the job tries again later. The log names a passage by id, never its text.
fn embed_batch(
    embedder: &Embedder,
    batch: &[store::ChunkRecord],
    never: &CancelToken,
) -> Result<Vec<Vec<f32>>> {
    let texts: Vec<String> = batch.iter().map(embedded_text).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    match embedder.embed(&refs, Purpose::Passage, never) {
        Err(llm::LlmError::Unembeddable(why)) => {
            tracing::warn!("a passage of the batch cannot be embedded, one at a time: {why}");
            let mut vectors = Vec::with_capacity(batch.len());
            for (c, text) in batch.iter().zip(&refs) {
                match embedder.embed(&[text], Purpose::Passage, never) {
                    Ok(mut v) => vectors.push(v.pop().unwrap_or_default()),
                    Err(llm::LlmError::Unembeddable(why)) => {
                        tracing::warn!(chunk = %c.chunk_id, "passage not embedded: {why}");
                        vectors.push(Vec::new());
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(vectors)
        }
        result => Ok(result?),
    }
}

/// The passages vector search found for a question.
struct Nearest {
    q: Vec<f32>,
    hits: NearestByLanguage,
}

/// The Chinese passages nearest an English question, when the best of them comes within
/// [`CHINESE_FOR_ENGLISH_GAP`] of the best English one: then the library may answer in
/// Chinese, and they join the fusion as a list of their own. Otherwise, and for a Chinese
/// question, none.
pub(crate) fn other_language(near: &NearestByLanguage, chinese_question: bool) -> &[VectorHit] {
    if chinese_question {
        return &[];
    }
    match (near.english.first(), near.chinese.first()) {
        (Some(en), Some(zh)) if zh.similarity >= en.similarity - CHINESE_FOR_ENGLISH_GAP => {
            &near.chinese
        }
        _ => &[],
    }
}

/// Whether the passages the model would read cover the question well enough to answer from.
/// By meaning: one of them is at least `min_similarity` similar to the question, whatever
/// words it shares. A first hit without a vector (no embedding model, or not embedded yet)
/// may also cover it by words: it holds `min_coverage` of the question's informative words.
pub fn covers(hits: &[Hit], min_coverage: f32, min_similarity: f32) -> bool {
    let by_meaning = hits
        .iter()
        .any(|h| h.similarity.is_some_and(|s| s >= min_similarity));
    let by_words = hits
        .first()
        .is_some_and(|h| h.similarity.is_none() && h.coverage >= min_coverage);
    by_meaning || by_words
}

/// Chunk ids in fused order: list i adds `weights[i] / (RRF_K + rank)` to the ids it holds.
/// Equal sums (first in one list, second in the other) go to the passage closer in meaning,
/// then to the order of first appearance (the earlier list first).
pub(crate) fn fuse<'a>(
    lists: &[Vec<&'a str>],
    weights: &[f32],
    similarity: &HashMap<&str, f32>,
) -> Vec<&'a str> {
    let mut score: HashMap<&str, (f32, usize)> = HashMap::new();
    let mut seen = 0;
    for (list, weight) in lists.iter().zip(weights) {
        for (rank, id) in list.iter().enumerate() {
            let entry = score.entry(id).or_insert_with(|| {
                seen += 1;
                (0.0, seen)
            });
            entry.0 += weight / (RRF_K + rank as f32 + 1.0);
        }
    }
    let near = |id: &str| similarity.get(id).copied().unwrap_or(f32::MIN);
    let mut ids: Vec<(&str, f32, usize)> =
        score.into_iter().map(|(id, (s, o))| (id, s, o)).collect();
    ids.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then(near(b.0).total_cmp(&near(a.0)))
            .then(a.2.cmp(&b.2))
    });
    ids.into_iter().map(|(id, _, _)| id).collect()
}

/// What the embedding model reads of a passage: its document's title and its heading say what
/// it is about, which the passage itself often leaves unsaid ("The incubation period is 1 to
/// 14 days" under the COVID-19 plan's heading).
fn embedded_text(c: &store::ChunkRecord) -> String {
    let mut text = String::with_capacity(c.title.len() + c.section.len() + c.text.len() + 2);
    text.push_str(&c.title);
    if !c.section.is_empty() {
        text.push('\n');
        text.push_str(&c.section);
    }
    text.push('\n');
    text.push_str(&c.text);
    text
}

/// Whether a question is Chinese: any Chinese character makes it so ("COVID-19 的潜伏期"), as
/// the embedding model reads it.
pub(crate) fn chinese(question: &str) -> bool {
    question.chars().any(library::lang::is_cjk)
}

/// Text compared for duplicates: whitespace collapsed, case folded.
fn normalised(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passage_found_by_several_routes_rises_and_ties_keep_the_lexical_order() {
        let none = HashMap::new();
        let w = [1.0, 1.0, 1.0];
        let order = fuse(&[vec!["a", "b", "c"], vec![], vec!["c", "d"]], &w, &none);
        assert_eq!(order, ["c", "a", "b", "d"]);
        assert_eq!(
            fuse(&[vec!["a", "b"], vec![], vec!["b", "a"]], &w, &none),
            ["a", "b"]
        );
        // First in one list and second in the other: the closer in meaning wins.
        let near = HashMap::from([("a", 0.80), ("b", 0.88)]);
        assert_eq!(
            fuse(&[vec!["a", "b"], vec![], vec!["b", "a"]], &w, &near),
            ["b", "a"]
        );
    }

    fn hit(coverage: f32, similarity: Option<f32>) -> Hit {
        Hit {
            chunk_id: "c".into(),
            doc_id: 1,
            file_name: "f".into(),
            title: String::new(),
            section: String::new(),
            page: None,
            score: 1.0,
            snippet: String::new(),
            highlights: Vec::new(),
            coverage,
            similarity,
            also_in: Vec::new(),
        }
    }

    #[test]
    fn meaning_decides_for_passages_with_vectors_and_words_for_a_first_hit_without() {
        // A synonym shares no words but means the same: covered.
        assert!(covers(&[hit(0.1, Some(0.9))], 0.5, 0.86));
        // Shares the words, means something else: not covered.
        assert!(!covers(&[hit(0.9, Some(0.8))], 0.5, 0.86));
        // Any passage the model reads may be the one that answers.
        assert!(covers(
            &[hit(0.2, Some(0.8)), hit(0.1, Some(0.9))],
            0.5,
            0.86
        ));
        // The answering passage may not be embedded yet: its words still count.
        assert!(covers(&[hit(0.9, None), hit(0.1, Some(0.8))], 0.5, 0.86));
        // No vectors: the words decide.
        assert!(covers(&[hit(0.6, None)], 0.5, 0.86));
        assert!(!covers(&[hit(0.4, None)], 0.5, 0.86));
        assert!(!covers(&[], 0.5, 0.86));
    }

    #[test]
    fn a_chinese_question_meets_the_higher_threshold() {
        assert_eq!(
            min_similarity("What is the incubation period?"),
            MIN_SIMILARITY
        );
        assert_eq!(
            min_similarity("COVID-19 的潜伏期是多久？"),
            MIN_SIMILARITY_CJK
        );
        const { assert!(MIN_SIMILARITY_CJK > MIN_SIMILARITY) };
    }
}
