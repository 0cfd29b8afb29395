//! The real Bedside window under Xvfb, driven through WebDriver as its users would use it: the
//! first-run wizard encrypts the database and creates the admin, who imports guidelines, searches
//! in Chinese and adds a clinician; the clinician logs in, is refused admin commands by the
//! backend, asks, sees the answer stream with citations, opens one, sees model output that
//! contains markup shown as text, locks the screen and finds the half-typed question still there
//! after unlocking, and presses Stop.

mod common;

use std::time::Duration;

use common::*;
use fantoccini::Locator;

const ADMIN_PW: &str = "e2e admin pw 1";
const DOCTOR_PW: &str = "e2e doctor pw 1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setup_admin_and_clinician_work_through_the_window() {
    let window = open_window().await;
    let c = window.client.clone();
    let data = window.data.path().to_path_buf();
    let long = Duration::from_secs(240);

    // First run: the wizard chooses a passphrase and creates the admin.
    find(&c, "setup-form", long).await;
    assert_eq!(invoke_code(&c, "library_search").await, "not_authenticated");
    type_into(&c, "setup-passphrase", "ward seven passphrase").await;
    type_into(&c, "setup-passphrase-confirm", "ward seven passphrase").await;
    type_into(&c, "setup-username", "admin").await;
    type_into(&c, "setup-display-name", "IT Admin").await;
    type_into(&c, "setup-password", ADMIN_PW).await;
    type_into(&c, "setup-password-confirm", ADMIN_PW).await;
    save_screenshot(&c, "setup").await;
    click(&c, "setup-submit").await;
    let who = find(&c, "current-user", long).await.text().await.unwrap();
    assert!(who.contains("IT Admin"), "{who}");
    let db = std::fs::read(data.join("bedside.db")).unwrap();
    assert!(
        !db.starts_with(b"SQLite format 3"),
        "the database is encrypted"
    );

    // Library: import the sample guidelines folder by typing its path.
    click(&c, "nav-library").await;
    let samples = repo().join("assets/guidelines").canonicalize().unwrap();
    type_into(&c, "import-path", &samples.display().to_string()).await;
    click(&c, "import-button").await;
    let summary = find(&c, "import-summary", long).await;
    let imported = find(&c, "import-imported-count", long)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        imported.trim().parse::<u32>().unwrap_or(0) >= 10,
        "summary: {}",
        summary.text().await.unwrap()
    );
    // A guideline whose text carries markup and script.
    let markup = repo()
        .join("tests/e2e/fixtures/markup")
        .canonicalize()
        .unwrap();
    type_into(&c, "import-path", &markup.display().to_string()).await;
    click(&c, "import-button").await;
    eventually(long, "the second import", || async {
        let n = last_text(&c, "import-imported-count").await;
        (n.trim() == "1").then_some(())
    })
    .await;

    // The documents list shows what was imported, each a current first version.
    let rows = eventually(long, "the documents list", || async {
        let rows = all(&c, "library-document-row").await;
        (rows.len() >= 11).then_some(rows)
    })
    .await;
    assert_eq!(
        rows[0].attr("data-current").await.unwrap().as_deref(),
        Some("true")
    );
    assert!(
        !all(&c, "library-document-delete").await.is_empty(),
        "admins may delete"
    );

    // A Chinese PDF whose font is not embedded: imported as a job, with its pages.
    let pdf = evaldata()
        .join("guidelines/converted/chinaxiv_201903.00179.pdf")
        .canonicalize()
        .unwrap();
    type_into(&c, "import-path", &pdf.display().to_string()).await;
    click(&c, "import-button").await;
    eventually(long, "the PDF import", || async {
        let n = last_text(&c, "import-imported-count").await;
        (n.trim() == "1").then_some(())
    })
    .await;
    let jobs = eventually(long, "three finished import jobs", || async {
        let rows = all(&c, "import-job-row").await;
        let mut done = 0;
        for row in &rows {
            done +=
                usize::from(row.attr("data-state").await.ok().flatten().as_deref() == Some("done"));
        }
        (done >= 3).then_some(rows)
    })
    .await;
    let pages = jobs[0]
        .find(Locator::Css(&css("import-job-pages")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(pages.trim(), "4", "the newest job imported the 4-page PDF");

    // Its passages open in the document viewer at their page, among the whole text.
    type_into(&c, "search-input", "以社区为基础的高血压预防与诊疗模式").await;
    click(&c, "search-button").await;
    let pdf_hit = eventually(long, "a hit in the PDF", || async {
        for hit in all(&c, "search-hit").await {
            let file = hit.find(Locator::Css(&css("hit-file"))).await.ok()?;
            if file.text().await.ok()?.ends_with(".pdf") {
                return Some(hit);
            }
        }
        None
    })
    .await;
    pdf_hit
        .find(Locator::Css(&css("hit-open")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let highlight = find(&c, "passage-highlight", long).await;
    assert!(highlight.text().await.unwrap().contains("高血压"));
    let page = find(&c, "passage-page", long).await.text().await.unwrap();
    assert!(
        (1..=4).contains(&page.trim().parse::<u32>().unwrap_or(0)),
        "page {page:?}"
    );
    assert!(all(&c, "page-marker").await.len() >= 3, "page markers");
    // Its sections read as headings, without the Markdown marks the text keeps them with.
    let headings = all(&c, "doc-heading").await;
    assert!(!headings.is_empty(), "no heading shown in the document");
    for heading in &headings {
        let text = heading.text().await.unwrap();
        assert!(
            !text.trim().is_empty() && !text.starts_with('#'),
            "heading shown as {text:?}"
        );
    }
    save_screenshot(&c, "document-viewer").await;
    click(&c, "passage-close").await;

    // Search in Chinese: hits with the matched words highlighted.
    type_into(&c, "search-input", "高血压 诊断").await;
    click(&c, "search-button").await;
    find(&c, "search-hit", long).await;
    save_screenshot(&c, "search").await;
    let marks = c
        .find_all(Locator::Css(&format!("{} mark", css("search-hit"))))
        .await
        .unwrap();
    assert!(!marks.is_empty(), "no highlighted words in the hits");
    // Adjacent matched words are marked as one run ("高血压" + "诊断" → "高血压诊断"), so a
    // mark must consist of the query's words and nothing else.
    for mark in &marks {
        let text = mark.text().await.unwrap();
        let rest = ["高血压", "诊断", "血压", "高血"]
            .iter()
            .fold(text.clone(), |t, w| t.replace(w, ""));
        assert!(
            !text.is_empty() && rest.trim().is_empty(),
            "{text:?} is not made of query words"
        );
    }

    // Admin page: add a clinician, and the audit chain verifies.
    add_user(&c, "dr.li", "李医生", "clinician", DOCTOR_PW).await;
    click(&c, "audit-refresh").await;
    find(&c, "audit-row", long).await;
    click(&c, "audit-verify").await;
    let verified = find(&c, "audit-verify-result", long).await;
    assert_eq!(
        verified.attr("data-intact").await.unwrap().as_deref(),
        Some("true"),
        "{}",
        verified.text().await.unwrap()
    );
    save_screenshot(&c, "admin").await;

    // Switch user: the clinician has no admin page and the backend refuses admin commands.
    click(&c, "logout-button").await;
    find(&c, "login-form", long).await;
    type_into(&c, "login-username", "dr.li").await;
    type_into(&c, "login-password", "not the password").await;
    click(&c, "login-submit").await;
    find(&c, "login-error", long).await;
    type_into(&c, "login-password", &initial_password(DOCTOR_PW)).await;
    click(&c, "login-submit").await;
    // The admin chose this password: the clinician replaces it before anything else.
    change_required_password(&c, &initial_password(DOCTOR_PW), DOCTOR_PW).await;
    let who = find(&c, "current-user", long).await.text().await.unwrap();
    assert!(who.contains("李医生"), "{who}");
    assert!(
        all(&c, "nav-admin").await.is_empty(),
        "no admin page for a clinician"
    );
    assert_eq!(invoke_code(&c, "user_list").await, "forbidden");
    assert_eq!(invoke_code(&c, "audit_verify").await, "forbidden");
    click(&c, "nav-library").await;
    find(&c, "search-input", long).await;
    assert!(
        all(&c, "import-button").await.is_empty(),
        "no import for a clinician"
    );
    find(&c, "library-document-row", long).await;
    assert!(
        all(&c, "library-document-delete").await.is_empty(),
        "no delete for a clinician"
    );
    assert_eq!(invoke_code(&c, "library_delete").await, "forbidden");

    // Chat: the answer streams, then citations appear and open their passage.
    click(&c, "nav-chat").await;
    type_into(
        &c,
        "chat-input",
        "What are the signs and symptoms of asthma?",
    )
    .await;
    click(&c, "ask-button").await;
    find(&c, "generating", long).await;
    // Streaming: text grows while the generating marker is still present.
    let partial = eventually(long, "the first streamed words", || async {
        let t = last_text(&c, "answer").await;
        let generating = !all(&c, "generating").await.is_empty();
        (generating && t.trim().len() > 3).then_some(t)
    })
    .await;
    let full = eventually(long, "the answer to finish", || async {
        all(&c, "generating").await.is_empty().then_some(())?;
        Some(last_text(&c, "answer").await)
    })
    .await;
    assert!(
        full.len() > partial.len(),
        "the answer did not grow: {partial:?} → {full:?}"
    );
    let citations = all(&c, "citation").await;
    assert!(!citations.is_empty(), "no citation shown for: {full}");
    save_screenshot(&c, "answer").await;
    citations[0].click().await.unwrap();
    let viewer = find(&c, "passage-viewer", long).await;
    let passage = find(&c, "passage-text", long).await.text().await.unwrap();
    assert!(passage.len() > 40, "the cited passage is empty");
    assert!(viewer
        .text()
        .await
        .unwrap()
        .to_lowercase()
        .contains("asthma"));
    click(&c, "passage-close").await;

    // Model output with markup: the model quotes the passage's tags, and they stay text.
    let echoed = ask_and_wait(
        &c,
        "What is the ward alert code for the potassium infusion pump? Quote it exactly.",
        long,
    )
    .await;
    assert!(
        echoed.contains("<script>") || echoed.contains("<img"),
        "the model was expected to quote the markup as text: {echoed}"
    );
    let injected = c
        .find_all(Locator::Css(
            "[data-testid=\"answer\"] img, [data-testid=\"answer\"] script, [data-testid=\"answer\"] b",
        ))
        .await
        .unwrap();
    assert!(injected.is_empty(), "model output became live HTML");
    let pwned = c
        .execute("return window.__pwned === undefined;", vec![])
        .await
        .unwrap();
    assert_eq!(
        pwned,
        serde_json::json!(true),
        "a script from model output ran"
    );
    save_screenshot(&c, "markup-as-text").await;

    // Lock: a half-typed question survives locking and unlocking.
    let draft = "Dosing of salbutamol for a child 草稿";
    type_into(&c, "chat-input", draft).await;
    click(&c, "lock-button").await;
    find(&c, "lock-screen", long).await;
    assert_eq!(invoke_code(&c, "library_search").await, "session_locked");
    type_into(&c, "unlock-password", "wrong password").await;
    click(&c, "unlock-submit").await;
    find(&c, "unlock-error", long).await;
    type_into(&c, "unlock-password", DOCTOR_PW).await;
    click(&c, "unlock-submit").await;
    eventually(long, "the lock screen to go", || async {
        all(&c, "lock-screen").await.is_empty().then_some(())
    })
    .await;
    let kept = find(&c, "chat-input", long)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(kept, draft, "the draft was lost behind the lock");

    // Stop: a second question is stopped as soon as it starts streaming.
    type_into(&c, "chat-input", "How is high blood pressure treated?").await;
    let answers_before = all(&c, "answer").await.len();
    click(&c, "ask-button").await;
    eventually(long, "the second answer to start streaming", || async {
        let answers = all(&c, "answer").await;
        if answers.len() <= answers_before || all(&c, "generating").await.is_empty() {
            return None;
        }
        let text = answers.last()?.text().await.ok()?;
        (!text.trim().is_empty()).then_some(())
    })
    .await;
    click(&c, "stop-button").await;
    find(&c, "answer-stopped", Duration::from_secs(30)).await;
    assert!(
        all(&c, "generating").await.is_empty(),
        "still generating after Stop"
    );

    // The questions so far are one conversation: it is listed under its first question, "New
    // conversation" clears the page, and reopening it shows every turn again.
    let turns = all(&c, "answer").await.len();
    eventually(long, "the conversation in the list", || async {
        (all(&c, "conversation-item").await.len() == 1).then_some(())
    })
    .await;
    let title = last_text(&c, "conversation-title").await;
    assert!(title.contains("asthma"), "conversation title: {title}");
    click(&c, "conversation-new").await;
    eventually(long, "an empty page", || async {
        all(&c, "answer").await.is_empty().then_some(())
    })
    .await;
    click(&c, "conversation-item").await;
    eventually(long, "the conversation's turns again", || async {
        (all(&c, "answer").await.len() == turns).then_some(())
    })
    .await;

    let (_data, log) = window.close().await;

    // The app's logs, at debug level, after the whole flow: no secrets, no clinical text.
    let logs = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        logs.contains("answer recorded"),
        "the app logged at debug level: {logs}"
    );
    for secret in [
        ADMIN_PW,
        DOCTOR_PW,
        "ward seven passphrase",
        "salbutamol",
        "signs and symptoms of asthma",
        "ward alert code",
    ] {
        assert!(!logs.contains(secret), "{secret:?} is in the app's logs");
    }
}
