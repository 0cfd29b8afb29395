//! The Tantivy index of guideline passages.
//!
//! One Tantivy document per chunk. Title and section headings are separate fields with a boost,
//! because a question naming a condition should find the document about it first. The index
//! stores enough to show a hit (title, section, snippet); the full passage and document live in
//! the caller's database, from which the index can be rebuilt.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Mutex;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, OwnedValue, Schema, TextFieldIndexing, TextOptions, Value, FAST,
    INDEXED, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TokenStream;
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::chunk::Chunk;
use crate::tokenizer::{self, ANALYZER};
use crate::{LibraryError, Result};

/// Writer memory budget: small, so an import leaves room for the model and the UI.
const WRITER_HEAP_BYTES: usize = 64 * 1024 * 1024;
/// Longest snippet shown for a hit. Tantivy counts bytes here, not characters: 400 bytes are
/// about 400 English characters or 130 Chinese ones.
const SNIPPET_CHARS: usize = 400;
/// Most hits one search returns: Tantivy allocates room for the limit up front.
const MAX_LIMIT: usize = 1000;
/// Tantivy is asked for this many times the hits wanted; they are then ordered again by how
/// much of the question, beyond the document's subject, each passage holds.
const RERANK_POOL: usize = 3;
/// How much a passage that holds all of the question beyond its document's title gains over
/// one that holds none of it: its score is multiplied by up to `1 + FOCUS_WEIGHT`. Calibrated
/// on the dev questions: English passage hit@5 rises from 0.766 (none) to 0.853 at 0.2 to
/// 0.35 and falls again above (0.796 at 1.0), as whole-document relevance gets outweighed.
const FOCUS_WEIGHT: f32 = 0.25;

/// The fields of the schema.
#[derive(Clone, Copy)]
struct Fields {
    chunk_id: Field,
    doc_id: Field,
    file_name: Field,
    title: Field,
    section: Field,
    body: Field,
    page: Field,
}

/// A document's passages, ready to index.
pub struct IndexedChunk<'a> {
    /// The database id of the document the chunk belongs to.
    pub doc_id: u64,
    /// File name shown with hits.
    pub file_name: &'a str,
    /// Document title.
    pub title: &'a str,
    /// The passage.
    pub chunk: &'a Chunk,
}

/// A search hit.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    /// The stable chunk id; the caller's database resolves it to the full passage.
    pub chunk_id: String,
    /// The database id of the document.
    pub doc_id: u64,
    /// The document's file name.
    pub file_name: String,
    /// The document's title.
    pub title: String,
    /// The section heading path of the passage.
    pub section: String,
    /// Page number, when the format has pages.
    pub page: Option<u32>,
    /// BM25 score (with field boosts); higher is better.
    pub score: f32,
    /// A short excerpt around the matched words.
    pub snippet: String,
    /// Matched words in `snippet`, as `[start, end)` offsets in characters.
    pub highlights: Vec<[usize; 2]>,
    /// Share (0 to 1) of the query's informative weight that this passage, its section and its
    /// title contain, each word weighted by its rarity: a passage that holds only the common
    /// words of a question ("what", "dose") and not its rare one ("vorpal") covers little.
    pub coverage: f32,
    /// Cosine similarity of the passage's meaning to the question's (the embedding model), when
    /// the library has a vector for it: what decides whether the guidelines cover a question
    /// asked in other words.
    pub similarity: Option<f32>,
    /// Other documents holding the same passage word for word (the same guideline imported as
    /// PDF and as Word): one hit names them all instead of filling the list with copies.
    pub also_in: Vec<DuplicateOf>,
}

/// A document that holds a passage identical to a hit's.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DuplicateOf {
    /// That document's passage.
    pub chunk_id: String,
    /// The document.
    pub doc_id: u64,
    /// Its file name.
    pub file_name: String,
}

/// The on-disk index with a reader that sees the latest commit.
pub struct GuidelineIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Tantivy allows one writer per index; imports take it in turn.
    writer: Mutex<()>,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        chunk_id: b.add_text_field("chunk_id", STRING | STORED),
        doc_id: b.add_u64_field("doc_id", INDEXED | STORED | FAST),
        file_name: b.add_text_field("file_name", STORED),
        title: b.add_text_field("title", text.clone()),
        section: b.add_text_field("section", text.clone()),
        body: b.add_text_field("body", text),
        page: b.add_u64_field("page", STORED),
    };
    (b.build(), fields)
}

impl GuidelineIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if needed.
    pub fn open_or_create(dir: &Path) -> Result<GuidelineIndex> {
        std::fs::create_dir_all(dir).map_err(|e| LibraryError::IndexDir {
            path: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        let (schema, fields) = schema();
        let directory =
            tantivy::directory::MmapDirectory::open(dir).map_err(|e| LibraryError::IndexDir {
                path: dir.to_path_buf(),
                message: e.to_string(),
            })?;
        let index = Index::open_or_create(directory, schema)?;
        index.tokenizers().register(ANALYZER, tokenizer::analyzer());
        let reader = index
            .reader_builder()
            // Also picks up commits made by another process (the CLI importing while the window
            // is open); our own commits reload at once.
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(GuidelineIndex {
            index,
            reader,
            fields,
            writer: Mutex::new(()),
        })
    }

    /// Opens a writer for one batch of changes; nothing is visible until [`IndexBatch::commit`].
    pub fn batch(&self) -> Result<IndexBatch<'_>> {
        let guard = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let writer = self.index.writer_with_num_threads(1, WRITER_HEAP_BYTES)?;
        Ok(IndexBatch {
            index: self,
            writer,
            _guard: guard,
        })
    }

    /// Number of passages searchable now.
    pub fn num_chunks(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Searches titles, headings and passages; returns the best `limit` hits. Query syntax
    /// errors are forgiven (a nurse types words, not Lucene syntax).
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        let query = query.trim();
        let limit = limit.min(MAX_LIMIT);
        if query.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let (parsed, words) = self.build_query(&searcher, query)?;
        let total_weight: f32 = words.values().map(|w| w.sqrt()).sum();
        // A few more candidates than asked for, so that the passage a question is about can
        // climb past passages of the same document that merely name its subject.
        let pool = limit.saturating_mul(RERANK_POOL).clamp(limit, MAX_LIMIT);
        let top = searcher.search(&parsed, &TopDocs::with_limit(pool).order_by_score())?;
        let mut docs = Vec::with_capacity(top.len());
        for (score, address) in top {
            docs.push((score, searcher.doc(address)?));
        }
        Ok(self.hits(&words, total_weight, docs, limit))
    }

    /// The passages with these ids, as hits for `query` (coverage, snippet, highlights), in
    /// the order given; an id the index does not hold is left out. Their score is zero: they
    /// were found by another route (the vector search), not by these words.
    pub fn hits_for(&self, query: &str, chunk_ids: &[&str]) -> Result<Vec<Hit>> {
        let searcher = self.reader.searcher();
        let (_, words) = self.build_query(&searcher, query.trim())?;
        let total_weight: f32 = words.values().map(|w| w.sqrt()).sum();
        let mut docs = Vec::with_capacity(chunk_ids.len());
        for id in chunk_ids {
            let term = Term::from_field_text(self.fields.chunk_id, id);
            let q = TermQuery::new(term, IndexRecordOption::Basic);
            if let Some((_, address)) = searcher
                .search(&q, &TopDocs::with_limit(1).order_by_score())?
                .first()
            {
                docs.push((0.0, searcher.doc(*address)?));
            }
        }
        let mut hits = self.hits(&words, total_weight, docs, usize::MAX);
        // `hits` orders by score; these keep the caller's order.
        hits.sort_by_key(|h| chunk_ids.iter().position(|id| *id == h.chunk_id));
        Ok(hits)
    }

    /// The best `limit` hits from stored documents with their Tantivy scores, ordered by score
    /// after the focus rerank. Snippets are cut for those only: cutting one for every candidate
    /// of the rerank's pool cost more than the search (docs/benchmarks.md).
    fn hits(
        &self,
        words: &BTreeMap<String, f32>,
        total_weight: f32,
        docs: Vec<(f32, TantivyDocument)>,
        limit: usize,
    ) -> Vec<Hit> {
        let f = self.fields;
        let mut analyzer = tokenizer::query_analyzer();
        let mut candidates = Vec::with_capacity(docs.len());
        for (score, doc) in docs {
            let title = text_of(&doc, f.title);
            let section = text_of(&doc, f.section);
            let body = text_of(&doc, f.body);
            let found = found_words(&mut analyzer, words, &title, [&section, &body]);
            candidates.push(Candidate {
                score: score * (1.0 + FOCUS_WEIGHT * found.focus(words)),
                coverage: found.coverage(words, total_weight),
                doc,
                title,
                section,
                body,
            });
        }
        // Stable: equal scores keep Tantivy's order.
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
        candidates.truncate(limit);
        let mut hits = Vec::with_capacity(candidates.len());
        for c in candidates {
            let snippet = snippet_for(&mut analyzer, words, f.body, &c.title, &c.body);
            let (snippet, highlights) = if snippet.is_empty() {
                let head: String = c.body.chars().take(SNIPPET_CHARS).collect();
                (head, Vec::new())
            } else {
                let fragment = snippet.fragment();
                let ranges = snippet
                    .highlighted()
                    .iter()
                    .map(|r| {
                        let start = fragment[..r.start].chars().count();
                        [start, start + fragment[r.start..r.end].chars().count()]
                    })
                    .collect();
                (fragment.to_string(), ranges)
            };
            hits.push(Hit {
                chunk_id: text_of(&c.doc, f.chunk_id),
                doc_id: u64_of(&c.doc, f.doc_id).unwrap_or_default(),
                file_name: text_of(&c.doc, f.file_name),
                title: c.title,
                section: c.section,
                page: u64_of(&c.doc, f.page).and_then(|p| u32::try_from(p).ok()),
                score: c.score,
                snippet,
                highlights,
                coverage: c.coverage,
                similarity: None,
                also_in: Vec::new(),
            });
        }
        hits
    }
}

/// A passage Tantivy found, before the final order is set.
struct Candidate {
    score: f32,
    coverage: f32,
    doc: TantivyDocument,
    title: String,
    section: String,
    body: String,
}

/// Which of the query's words a passage holds: in its document's title, and in its heading
/// or text.
struct FoundWords {
    in_title: HashSet<String>,
    in_passage: HashSet<String>,
}

fn found_words(
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    words: &BTreeMap<String, f32>,
    title: &str,
    passage: [&str; 2],
) -> FoundWords {
    let mut collect = |text: &str, into: &mut HashSet<String>| {
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let word = &stream.token().text;
            if words.contains_key(word) {
                into.insert(word.clone());
            }
        }
    };
    let mut found = FoundWords {
        in_title: HashSet::new(),
        in_passage: HashSet::new(),
    };
    collect(title, &mut found.in_title);
    for text in passage {
        collect(text, &mut found.in_passage);
    }
    found
}

impl FoundWords {
    /// The share of the query words' rarity (square root of their weight) found anywhere in
    /// the passage, its heading or its document's title.
    fn coverage(&self, words: &BTreeMap<String, f32>, total_weight: f32) -> f32 {
        if total_weight <= 0.0 {
            return 0.0;
        }
        let found: f32 = self
            .in_title
            .union(&self.in_passage)
            .map(|w| words[w].sqrt())
            .sum();
        (found / total_weight).clamp(0.0, 1.0)
    }

    /// The share of the rarity of the query words outside the document's title that the
    /// passage holds. Every passage of the asthma guideline is about asthma; for "how is
    /// asthma diagnosed" the one that says "diagnose" is the answer. Zero when every query
    /// word is in the title: then nothing tells the passages apart.
    fn focus(&self, words: &BTreeMap<String, f32>) -> f32 {
        let mut asked = 0.0;
        let mut held = 0.0;
        for (word, weight) in words {
            if self.in_title.contains(word) {
                continue;
            }
            asked += weight.sqrt();
            if self.in_passage.contains(word) {
                held += weight.sqrt();
            }
        }
        if asked > 0.0 {
            held / asked
        } else {
            0.0
        }
    }
}

/// The part of `body` where the query's informative words are. Words of the document's title
/// say little inside that document (every passage of the asthma guideline is about asthma), so
/// they count for a tenth: for "how is asthma treated" the snippet shows where "treat" is.
fn snippet_for(
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    words: &BTreeMap<String, f32>,
    body_field: Field,
    title: &str,
    body: &str,
) -> tantivy::snippet::Snippet {
    let mut in_title = std::collections::HashSet::new();
    {
        let mut stream = analyzer.token_stream(title);
        while stream.advance() {
            in_title.insert(stream.token().text.clone());
        }
    }
    let weighted = words
        .iter()
        .map(|(w, s)| (w.clone(), if in_title.contains(w) { s * 0.1 } else { *s }))
        .collect();
    SnippetGenerator::new(weighted, analyzer.clone(), body_field, SNIPPET_CHARS).snippet(body)
}

impl Fields {
    /// The searched fields with their boosts: a match in the title says more than one in a
    /// heading, which says more than one in the body.
    fn boosted(&self) -> [(Field, f32); 3] {
        [(self.title, 2.0), (self.section, 1.5), (self.body, 1.0)]
    }
}

impl GuidelineIndex {
    /// Words outside quotes become a disjunction of term queries over title, headings and body;
    /// `"quoted text"` becomes a phrase query. Tantivy's query parser would turn a Chinese
    /// sentence (no spaces, many jieba tokens) into one phrase query that rarely matches, so
    /// free text is tokenised here with the query analyser instead. Returns the query and the
    /// words to highlight with their weights (the snippet shows where the rare words are).
    ///
    /// Each word is boosted by its rarity in passage bodies (its BM25 idf), so that a word's
    /// weight grows with idf squared, as in Lucene's classic similarity. Plain BM25 let a
    /// passage that repeats the disease name ("新型冠状病毒" four times) beat the one passage
    /// that holds the question's distinguishing word ("潜伏期").
    fn build_query(
        &self,
        searcher: &tantivy::Searcher,
        query: &str,
    ) -> Result<(Box<dyn Query>, BTreeMap<String, f32>)> {
        let n = searcher.num_docs() as f32;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut analyzer = tokenizer::query_analyzer();
        let mut seen: BTreeMap<String, f32> = BTreeMap::new();
        for (i, segment) in query.split('"').enumerate() {
            let segment = segment.trim();
            if segment.is_empty() {
                continue;
            }
            let quoted = i % 2 == 1 && query.matches('"').count() > i;
            let mut stream = analyzer.token_stream(segment);
            let mut words = Vec::new();
            while stream.advance() {
                words.push(stream.token().text.clone());
            }
            if quoted {
                seen.extend(words.into_iter().map(|w| (w, 1.0)));
                let boosted = self.fields.boosted();
                let mut parser =
                    QueryParser::for_index(&self.index, boosted.iter().map(|(f, _)| *f).collect());
                for (field, boost) in boosted {
                    parser.set_field_boost(field, boost);
                }
                let (phrase, _) = parser.parse_query_lenient(&format!("\"{segment}\""));
                clauses.push((Occur::Should, phrase));
                continue;
            }
            for word in words {
                if seen.contains_key(&word) {
                    continue;
                }
                let df = searcher.doc_freq(&Term::from_field_text(self.fields.body, &word))? as f32;
                let rarity = (1.0 + (n - df + 0.5) / (df + 0.5)).ln().max(0.1);
                // The snippet weighs words as the query does: by idf squared.
                seen.insert(word.clone(), rarity * rarity);
                for (field, boost) in self.fields.boosted() {
                    let boost = boost * rarity;
                    let term = Term::from_field_text(field, &word);
                    let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
                    clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
                }
            }
        }
        Ok((Box::new(BooleanQuery::new(clauses)), seen))
    }
}

fn text_of(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

fn u64_of(doc: &TantivyDocument, field: Field) -> Option<u64> {
    match doc.get_first(field).map(OwnedValue::from) {
        Some(OwnedValue::U64(n)) => Some(n),
        _ => None,
    }
}

/// An open writer. Dropping it without `commit` discards its changes, so a failed import leaves
/// the previous commit searchable.
pub struct IndexBatch<'a> {
    index: &'a GuidelineIndex,
    writer: IndexWriter,
    _guard: std::sync::MutexGuard<'a, ()>,
}

impl IndexBatch<'_> {
    /// Adds one passage.
    pub fn add(&mut self, item: &IndexedChunk<'_>) -> Result<()> {
        let f = self.index.fields;
        let mut document = doc!(
            f.chunk_id => item.chunk.id.as_str(),
            f.doc_id => item.doc_id,
            f.file_name => item.file_name,
            f.title => item.title,
            f.section => item.chunk.section.as_str(),
            f.body => item.chunk.text.as_str(),
        );
        if let Some(page) = item.chunk.page {
            document.add_u64(f.page, u64::from(page));
        }
        self.writer.add_document(document)?;
        Ok(())
    }

    /// Removes every passage of a document.
    pub fn delete_document(&mut self, doc_id: u64) {
        self.writer
            .delete_term(Term::from_field_u64(self.index.fields.doc_id, doc_id));
    }

    /// Removes every passage.
    pub fn delete_all(&mut self) -> Result<()> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Makes the batch durable and visible to searches. Once the commit succeeds the batch is
    /// in the index; a failure to refresh this process's reader afterwards is not an error,
    /// because the reader also reloads on its own when it sees the commit.
    pub fn commit(mut self) -> Result<()> {
        self.writer.commit()?;
        let _ = self.index.reader.reload();
        Ok(())
    }
}
