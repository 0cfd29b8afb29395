//! Passage vectors in memory, searched exactly.
//!
//! Brute force is the right index at a hospital library's size: 50,000 passages of 384
//! dimensions are 19 million multiply-adds a question, a few milliseconds on one core, with
//! no approximation to explain when a passage is missed (docs/benchmarks.md).

use std::collections::HashMap;

/// A passage the vector search found.
#[derive(Debug, Clone, PartialEq)]
pub struct VectorHit {
    /// The passage's id.
    pub chunk_id: String,
    /// Its document.
    pub doc_id: u64,
    /// Cosine similarity to the question (vectors are normalised).
    pub similarity: f32,
}

/// The passages nearest a question, in each language: a multilingual embedding model finds
/// passages in the question's own language more similar than equally relevant ones in the
/// other, so the other language's best would rarely make one list of both.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NearestByLanguage {
    /// English passages (every passage not Chinese), best first.
    pub english: Vec<VectorHit>,
    /// Chinese passages, best first.
    pub chinese: Vec<VectorHit>,
}

impl NearestByLanguage {
    /// Both lists as one, best first, cut to `k`; ties keep the English first.
    pub fn merged(&self, k: usize) -> Vec<VectorHit> {
        let mut all: Vec<VectorHit> = self.english.iter().chain(&self.chinese).cloned().collect();
        all.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
        all.truncate(k);
        all
    }

    /// The list in one language.
    pub fn of(&self, chinese: bool) -> &[VectorHit] {
        if chinese {
            &self.chinese
        } else {
            &self.english
        }
    }
}

/// A row of the index with its similarity to the question.
type Scored = (usize, f32);

/// Row-major vectors of one dimension with their passage ids.
#[derive(Debug, Default)]
pub struct VectorIndex {
    dim: usize,
    ids: Vec<String>,
    docs: Vec<u64>,
    chinese: Vec<bool>,
    data: Vec<f32>,
    rows: HashMap<String, usize>,
}

impl VectorIndex {
    /// An empty index of `dim`-long vectors.
    pub fn new(dim: usize) -> VectorIndex {
        VectorIndex {
            dim,
            ..Default::default()
        }
    }

    /// Number of passages held.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether no passage is held.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The vector length.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Adds a passage's vector, replacing an earlier one of the same passage. A vector of
    /// another length is refused (it would come from another model).
    pub fn insert(&mut self, chunk_id: &str, doc_id: u64, chinese: bool, vector: &[f32]) -> bool {
        if vector.len() != self.dim {
            return false;
        }
        if let Some(&row) = self.rows.get(chunk_id) {
            self.data[row * self.dim..(row + 1) * self.dim].copy_from_slice(vector);
            self.docs[row] = doc_id;
            self.chinese[row] = chinese;
            return true;
        }
        self.rows.insert(chunk_id.to_string(), self.ids.len());
        self.ids.push(chunk_id.to_string());
        self.docs.push(doc_id);
        self.chinese.push(chinese);
        self.data.extend_from_slice(vector);
        true
    }

    /// The similarity of one passage to `query`, when the index holds it.
    pub fn similarity(&self, chunk_id: &str, query: &[f32]) -> Option<f32> {
        let row = *self.rows.get(chunk_id)?;
        let v = &self.data[row * self.dim..(row + 1) * self.dim];
        (query.len() == self.dim).then(|| dot(v, query))
    }

    /// The `k` passages most similar to `query` in each language, best first; ties keep
    /// insertion order. One pass over the vectors.
    pub fn search(&self, query: &[f32], k: usize) -> NearestByLanguage {
        if query.len() != self.dim || k == 0 || self.is_empty() {
            return NearestByLanguage::default();
        }
        let (mut english, mut chinese): (Vec<Scored>, Vec<Scored>) = self
            .data
            .chunks_exact(self.dim)
            .map(|row| dot(row, query))
            .enumerate()
            .partition(|(row, _)| !self.chinese[*row]);
        NearestByLanguage {
            english: self.best(&mut english, k),
            chinese: self.best(&mut chinese, k),
        }
    }

    fn best(&self, scored: &mut Vec<Scored>, k: usize) -> Vec<VectorHit> {
        let order = |a: &Scored, b: &Scored| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if scored.len() > k {
            scored.select_nth_unstable_by(k - 1, order);
            scored.truncate(k);
        }
        scored.sort_by(order);
        scored
            .iter()
            .map(|&(row, similarity)| VectorHit {
                chunk_id: self.ids[row].clone(),
                doc_id: self.docs[row],
                similarity,
            })
            .collect()
    }
}

/// The dot product in eight independent sums, which the compiler turns into vector
/// instructions (one running sum must add in order, and cannot be): twice as fast as
/// `iter().sum()` over 50,000 passages. Beyond that the search is bound by memory, not
/// arithmetic: 77 MiB of vectors are read per question (AVX2 gained nothing measurable;
/// docs/benchmarks.md).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    const LANES: usize = 8;
    let mut sums = [0.0f32; LANES];
    let (a_body, a_tail) = a.split_at(a.len() - a.len() % LANES);
    let (b_body, b_tail) = b.split_at(a_body.len().min(b.len()));
    for (x, y) in a_body.chunks_exact(LANES).zip(b_body.chunks_exact(LANES)) {
        for i in 0..LANES {
            sums[i] += x[i] * y[i];
        }
    }
    let tail: f32 = a_tail.iter().zip(b_tail).map(|(x, y)| x * y).sum();
    sums.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_passages_come_first_and_k_is_a_prefix() {
        let mut index = VectorIndex::new(2);
        assert!(index.insert("a", 1, false, &[1.0, 0.0]));
        assert!(index.insert("b", 1, false, &[0.0, 1.0]));
        assert!(index.insert("c", 2, false, &[0.6, 0.8]));
        assert!(
            !index.insert("d", 2, false, &[1.0]),
            "another length is refused"
        );
        let q = [0.8, 0.6];
        let ids = |k| -> Vec<String> {
            index
                .search(&q, k)
                .merged(k)
                .into_iter()
                .map(|h| h.chunk_id)
                .collect()
        };
        let three = ids(3);
        assert_eq!(three, ["c", "a", "b"]);
        assert_eq!(ids(2), three[..2]);
        assert!(
            index.insert("c", 2, false, &[0.0, -1.0]),
            "a passage's vector is replaced"
        );
        assert_eq!(index.len(), 3);
        assert_eq!(index.search(&q, 1).merged(1)[0].chunk_id, "a");
    }

    #[test]
    fn the_dot_product_is_exact_for_every_length() {
        for len in [0, 1, 7, 8, 9, 384, 385] {
            let a: Vec<f32> = (0..len).map(|i| (i % 5) as f32 - 2.0).collect();
            let b: Vec<f32> = (0..len).map(|i| (i % 3) as f32 * 0.5).collect();
            let want: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((dot(&a, &b) - want).abs() < 1e-4, "length {len}");
        }
    }

    #[test]
    fn each_language_has_its_own_nearest_list() {
        let mut index = VectorIndex::new(2);
        index.insert("english", 1, false, &[0.6, 0.8]);
        index.insert("chinese", 2, true, &[0.8, 0.6]);
        index.insert("chinese 2", 2, true, &[1.0, 0.0]);
        let q = [1.0, 0.0];
        let nearest = index.search(&q, 1);
        assert_eq!(nearest.of(true)[0].chunk_id, "chinese 2");
        // Far behind both Chinese passages, yet first among the English ones.
        assert_eq!(nearest.of(false)[0].chunk_id, "english");
        assert!((nearest.english[0].similarity - 0.6).abs() < 1e-6);
        let both: Vec<_> = index
            .search(&q, 3)
            .merged(3)
            .into_iter()
            .map(|h| h.chunk_id)
            .collect();
        assert_eq!(both, ["chinese 2", "chinese", "english"]);
    }
}
