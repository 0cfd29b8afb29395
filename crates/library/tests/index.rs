//! The guideline index on real documents from the evaluation corpus, on disk.

mod common;

use common::evaldata;

use std::path::Path;

use library::chunk::{self, ChunkOptions};
use library::extract;
use library::index::{GuidelineIndex, IndexedChunk};

const DOCS: &[&str] = &[
    "en/nhlbi_0000010_asthma.md",
    "en/nhlbi_0000071_high_blood_pressure.md",
    "en/nhlbi_0000105_pneumonia.md",
    "en/nhlbi_0000124_stroke.md",
    "en/nhlbi_0000136_vasculitis.md",
    "en/who_phc_pocketbook_ch01.html",
    "zh/chinaxiv_201902.00029.md",
    "zh/nhc_covid19_plan_v7_zh.md",
    "zh/covid19_self_protection_zh.md",
];

fn build(dir: &Path) -> GuidelineIndex {
    let index = GuidelineIndex::open_or_create(dir).unwrap();
    let mut batch = index.batch().unwrap();
    for (i, rel) in DOCS.iter().enumerate() {
        let path = evaldata().join("guidelines").join(rel);
        let doc = extract::extract_file(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let mut chunks = chunk::chunk_document(&doc, &ChunkOptions::default());
        chunk::assign_ids(rel, &mut chunks);
        let file_name = extract::file_name(&path);
        for c in &chunks {
            batch
                .add(&IndexedChunk {
                    doc_id: i as u64 + 1,
                    file_name: &file_name,
                    title: &doc.title,
                    chunk: c,
                })
                .unwrap();
        }
    }
    batch.commit().unwrap();
    index
}

#[test]
fn chinese_questions_find_the_chinese_guideline() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let hits = index.search("新型冠状病毒肺炎的潜伏期", 5).unwrap();
    assert!(!hits.is_empty(), "no hits for a Chinese query");
    assert_eq!(hits[0].file_name, "nhc_covid19_plan_v7_zh.md", "{hits:#?}");
    assert!(hits[0].snippet.contains("潜伏期"), "{hits:#?}");
}

#[test]
fn highlights_mark_the_matched_words_in_the_snippet() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let hit = &index.search("高血压诊断标准", 3).unwrap()[0];
    assert!(!hit.highlights.is_empty());
    let chars: Vec<char> = hit.snippet.chars().collect();
    for [s, e] in &hit.highlights {
        let word: String = chars[*s..*e].iter().collect();
        assert!(
            ["高血压", "诊断", "标准", "高血", "血压", "诊断标准"].contains(&word.as_str()),
            "highlight {word:?} is not a query word"
        );
    }
}

#[test]
fn english_words_match_their_other_forms() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    // "treated" must find passages that say "treatment"/"treat" (stemming).
    let hits = index.search("how is asthma treated", 5).unwrap();
    assert!(hits[0].file_name.contains("asthma"), "{hits:#?}");
    assert!(hits
        .iter()
        .any(|h| h.snippet.to_lowercase().contains("treat")));
}

#[test]
fn the_passage_that_answers_ranks_above_those_that_only_name_the_subject() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    // Every passage of the vasculitis guideline names vasculitis, many of them often; the one
    // to read is the one that says how it is diagnosed.
    let hits = index.search("How to diagnose Vasculitis ?", 5).unwrap();
    assert!(
        hits[0]
            .snippet
            .contains("Your doctor will diagnose vasculitis based on"),
        "{hits:#?}"
    );
    assert!(hits.iter().all(|h| h.title == "Vasculitis"), "{hits:#?}");
}

#[test]
fn a_title_match_ranks_the_document_about_it_first() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let hits = index.search("pneumonia", 3).unwrap();
    assert!(
        hits[0].title.to_lowercase().contains("pneumonia"),
        "{hits:#?}"
    );
}

#[test]
fn phrase_queries_and_stray_syntax_both_work() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    assert!(!index.search("\"blood pressure\"", 3).unwrap().is_empty());
    // Unbalanced quotes and operators are forgiven, not an error.
    assert!(index.search("blood AND (pressure \"", 3).is_ok());
    assert!(index.search("   ", 3).unwrap().is_empty());
}

#[test]
fn the_index_persists_on_disk_and_deletes_by_document() {
    let dir = tempfile::tempdir().unwrap();
    let n = build(dir.path()).num_chunks();
    assert!(n > 50);
    let reopened = GuidelineIndex::open_or_create(dir.path()).unwrap();
    assert_eq!(reopened.num_chunks(), n);
    let mut batch = reopened.batch().unwrap();
    batch.delete_document(1);
    batch.commit().unwrap();
    assert!(reopened.num_chunks() < n);
    assert!(reopened
        .search("asthma", 10)
        .unwrap()
        .iter()
        .all(|h| !h.file_name.contains("asthma")));
}
