//! Fused retrieval with the real embedding model over a small library written for these tests:
//! a question in other words finds its passage, a question that only shares words is declined,
//! the first k hits never depend on k, identical passages collapse, and the embedding job
//! resumes and survives an index rebuild.

mod common;

use std::path::Path;

use clinic::retrieval::{covers, min_similarity};
use clinic::{ask::MIN_COVERAGE, Actor, Clinic};

/// Short guidelines whose words a clinician's question does not use: the COVID-19 plan says
/// "novel coronavirus pneumonia", the hypertension guideline never says "high blood pressure".
const DOCS: &[(&str, &str)] = &[
    (
        "ncp_plan.md",
        "# Diagnosis and treatment plan for novel coronavirus pneumonia\n\n\
         ## Aetiology\n\nThe novel coronavirus belongs to the beta genus. It is sensitive to \
         ultraviolet light and heat; 56 °C for 30 minutes and lipid solvents inactivate it.\n\n\
         ## Epidemiology\n\nBased on the current epidemiological investigation, the incubation \
         period is one to 14 days, mostly three to seven days. Patients and asymptomatic carriers \
         are the main sources of infection.\n\n\
         ## Treatment\n\nPatients are treated in designated hospitals with isolation. Oxygen is \
         given through a nasal catheter or mask; antibiotics are avoided without evidence of a \
         bacterial infection.\n",
    ),
    (
        "hypertension.md",
        "# Hypertension in adults\n\n## Diagnosis\n\nHypertension is diagnosed when office \
         readings are 140/90 mmHg or more on at least two visits, confirmed by ambulatory or \
         home measurement.\n\n## Treatment\n\nLifestyle change comes first: less salt, weight \
         loss, regular exercise and limited alcohol. Thiazides, ACE inhibitors and calcium \
         channel blockers are first-line drugs.\n",
    ),
    (
        "incubators.md",
        "# Care of incubators in the neonatal unit\n\n## Cleaning\n\nIncubators are wiped with \
         detergent daily and disinfected between infants. The period between deep cleans is \
         seven days at most.\n",
    ),
    (
        "asthma_zh.md",
        "# 支气管哮喘防治指南\n\n## 长期治疗\n\n吸入性糖皮质激素是哮喘长期控制的首选药物，\
         症状控制不佳时加用长效β2受体激动剂。\n\n## 急性发作\n\n急性发作时首选短效β2受体激动剂\
         吸入，重度发作需全身使用糖皮质激素并吸氧。\n",
    ),
];

fn write_library(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, text) in DOCS {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn library() -> (tempfile::TempDir, Clinic, Actor) {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("guidelines");
    write_library(&files);
    let (clinic, admin) = common::open_semantic(&dir.path().join("data"));
    clinic
        .import(&admin, &[files], &|| false, &mut |_| {})
        .unwrap();
    (dir, clinic, admin)
}

/// The first hit's passage, whether the question counts as covered by the three passages `ask`
/// reads, and the best similarity among them.
fn first_text(clinic: &Clinic, actor: &Actor, q: &str) -> (String, bool, Option<f32>) {
    let hits = clinic.search(actor, q, 3).unwrap();
    let text = clinic.chunk(actor, &hits[0].chunk_id).unwrap().text;
    let covered = covers(&hits, MIN_COVERAGE, min_similarity(q));
    (text, covered, best_similarity(&hits))
}

fn best_similarity(hits: &[clinic::Hit]) -> Option<f32> {
    hits.iter().filter_map(|h| h.similarity).reduce(f32::max)
}

#[test]
fn a_question_in_other_words_finds_the_passage_that_answers_it_and_is_answered() {
    let (_dir, clinic, admin) = library();
    for (question, answer, answered) in [
        // No passage says "COVID-19" or "how long".
        (
            "What is the incubation period of COVID-19?",
            "incubation period is one to 14 days",
            true,
        ),
        // Found first, but its similarity sits just under the threshold (0.846 with
        // multilingual-e5-small): the calibration's trade, kept visible here.
        (
            "How long after catching covid do symptoms show?",
            "incubation period is one to 14 days",
            false,
        ),
        (
            "At what reading is blood pressure too high?",
            "140/90 mmHg",
            true,
        ),
        // Colloquial Chinese: 激素 for 糖皮质激素, 平时 for 长期.
        ("哮喘平时用什么激素控制？", "吸入性糖皮质激素", true),
    ] {
        let (text, covered, nearest) = first_text(&clinic, &admin, question);
        assert!(text.contains(answer), "{question}: first hit was {text}");
        if answered {
            assert!(covered, "{question} was declined (nearest {nearest:?})");
        }
    }
}

#[test]
fn a_question_that_only_shares_words_with_the_library_is_declined() {
    let (_dir, clinic, admin) = library();
    for question in [
        "What is the incubation period of a horse's pregnancy?",
        "How do I bleed the hydraulic brakes on a car?",
        "比特币的价格是多少？",
    ] {
        let hits = clinic.search(&admin, question, 3).unwrap();
        assert!(
            !covers(&hits, MIN_COVERAGE, min_similarity(question)),
            "{question} was answered from {:?} (best {:?})",
            hits.iter().map(|h| &h.title).collect::<Vec<_>>(),
            best_similarity(&hits)
        );
    }
}

#[test]
fn the_first_k_hits_are_the_first_k_of_k_plus_one() {
    let (_dir, clinic, admin) = library();
    for question in [
        "What is the incubation period of COVID-19?",
        "哮喘急性发作怎么办",
        "treatment",
    ] {
        let all = clinic.search(&admin, question, 8).unwrap();
        for k in 1..all.len() {
            let ids: Vec<_> = clinic
                .search(&admin, question, k)
                .unwrap()
                .into_iter()
                .map(|h| h.chunk_id)
                .collect();
            let prefix: Vec<_> = all[..k].iter().map(|h| h.chunk_id.clone()).collect();
            assert_eq!(ids, prefix, "{question} at k={k}");
        }
    }
}

#[test]
fn the_same_passage_in_two_documents_is_one_hit_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("guidelines");
    write_library(&files);
    // The same guideline again, as a hospital that imported it twice in two formats has it.
    std::fs::write(
        files.join("hypertension (copy).md"),
        format!("{}\n\n", DOCS[1].1),
    )
    .unwrap();
    let (clinic, admin) = common::open_semantic(&dir.path().join("data"));
    clinic
        .import(&admin, &[files], &|| false, &mut |_| {})
        .unwrap();
    let hits = clinic
        .search(&admin, "Hypertension diagnosis 140/90 mmHg", 5)
        .unwrap();
    let first = &hits[0];
    assert!(first.snippet.contains("140/90"), "{first:?}");
    assert_eq!(first.also_in.len(), 1, "{hits:?}");
    let names = [
        first.file_name.as_str(),
        first.also_in[0].file_name.as_str(),
    ];
    assert!(names.contains(&"hypertension.md") && names.contains(&"hypertension (copy).md"));
    let texts: Vec<String> = hits
        .iter()
        .map(|h| clinic.chunk(&admin, &h.chunk_id).unwrap().text)
        .collect();
    for (i, t) in texts.iter().enumerate() {
        assert!(!texts[..i].contains(t), "hit {i} repeats an earlier one");
    }
}

#[test]
fn the_import_embeds_every_passage_and_a_stopped_embedding_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("guidelines");
    write_library(&files);
    let data = dir.path().join("data");
    let (clinic, admin) = common::open_semantic(&data);
    let mut last = None;
    clinic
        .import(&admin, &[files], &|| false, &mut |e| {
            if let clinic::import::ImportEvent::Embedding { embedded, total } = e {
                last = Some((*embedded, *total));
            }
        })
        .unwrap();
    let passages = clinic.store().chunk_count().unwrap();
    assert!(passages > 4);
    assert_eq!(
        last,
        Some((passages, passages)),
        "the job ends with every passage embedded"
    );

    // The vectors outlive an index rebuild: nothing is embedded again.
    clinic.rebuild(&admin).unwrap();
    assert_eq!(clinic.embed_library(&|| false, &mut |_| {}).unwrap(), 0);
    let (text, _, _) = first_text(
        &clinic,
        &admin,
        "How long after catching covid do symptoms show?",
    );
    assert!(text.contains("incubation period"), "{text}");

    // A document imported without embedding (a lexical-only handle, or a job that stopped
    // before its last step): a later run embeds only what is missing.
    std::fs::write(
        dir.path().join("stroke.md"),
        "# Stroke\n\n## Signs\n\nSudden weakness of one side of the face or body, trouble \
         speaking and loss of vision are warning signs.\n\n## First aid\n\nCall an ambulance at \
         once and note the time the signs started.\n",
    )
    .unwrap();
    drop(clinic);
    let (clinic, admin) = common::open(&data); // lexical: imports without embedding
    clinic
        .import(
            &admin,
            &[dir.path().join("stroke.md")],
            &|| false,
            &mut |_| {},
        )
        .unwrap();
    drop(clinic);
    let (clinic, _) = common::open_semantic(&data);
    let before = clinic.embedding_progress().unwrap().unwrap();
    assert!(before.embedded < before.total, "{before:?}");
    // Stopped before it starts (the window closing), it embeds nothing and loses nothing.
    assert_eq!(clinic.embed_library(&|| true, &mut |_| {}).unwrap(), 0);
    assert_eq!(clinic.embedding_progress().unwrap().unwrap(), before);
    let rest = clinic.embed_library(&|| false, &mut |_| {}).unwrap();
    assert_eq!(rest as i64, before.total - before.embedded);
    let after = clinic.embedding_progress().unwrap().unwrap();
    assert_eq!(after.embedded, after.total);
    assert_eq!(clinic.embed_library(&|| false, &mut |_| {}).unwrap(), 0);
}
