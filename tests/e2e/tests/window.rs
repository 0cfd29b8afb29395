//! The real Bedside window under Xvfb, driven through WebDriver as a clinician would use it:
//! import a folder, search in Chinese, ask, see the answer stream with citations, open one,
//! press Stop.

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn model() -> PathBuf {
    let cache = std::env::var_os("BEDSIDE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/bedside"));
    let path = cache.join("models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf");
    assert!(
        path.exists(),
        "{} is missing: run scripts/fetch-models.sh",
        path.display()
    );
    path
}

fn css(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

async fn find(c: &Client, id: &str, within: Duration) -> Element {
    c.wait()
        .at_most(within)
        .for_element(Locator::Css(&css(id)))
        .await
        .unwrap_or_else(|e| panic!("no [{id}] within {within:?}: {e}"))
}

async fn all(c: &Client, id: &str) -> Vec<Element> {
    c.find_all(Locator::Css(&css(id))).await.unwrap()
}

/// Polls until `f` gives `Some`, or fails after `within`.
async fn eventually<T, F, Fut>(within: Duration, what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn last_text(c: &Client, id: &str) -> String {
    match all(c, id).await.pop() {
        Some(e) => e.text().await.unwrap_or_default(),
        None => String::new(),
    }
}

/// Keeps a picture of the window for people reviewing a run (target dir, `e2e-*.png`).
async fn save_screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    let dir = e2e::app_binary().parent().unwrap().to_path_buf();
    let path = dir.join(format!("e2e-{name}.png"));
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clinician_imports_searches_asks_and_stops() {
    let data = tempfile::tempdir().unwrap();
    let (display, _xvfb) = e2e::display();
    let (url, _driver) = e2e::tauri_driver(
        &display,
        &[
            ("BEDSIDE_DATA_DIR", data.path().display().to_string()),
            ("BEDSIDE_MODEL", model().display().to_string()),
            ("BEDSIDE_THREADS", "2".to_string()),
        ],
    );
    let caps = serde_json::json!({
        "tauri:options": { "application": e2e::app_binary().display().to_string() }
    });
    let c = ClientBuilder::native()
        .capabilities(caps.as_object().unwrap().clone())
        .connect(&url)
        .await
        .expect("WebDriver session with the Bedside window");
    let long = Duration::from_secs(240);

    // Library: import the sample guidelines folder by typing its path.
    find(&c, "nav-library", long).await.click().await.unwrap();
    let samples = repo().join("assets/guidelines").canonicalize().unwrap();
    find(&c, "import-path", long)
        .await
        .send_keys(&samples.display().to_string())
        .await
        .unwrap();
    find(&c, "import-button", long).await.click().await.unwrap();
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

    // Search in Chinese: hits with the matched words highlighted.
    find(&c, "search-input", long)
        .await
        .send_keys("高血压 诊断")
        .await
        .unwrap();
    find(&c, "search-button", long).await.click().await.unwrap();
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

    // Chat: the answer streams, then citations appear and open their passage.
    find(&c, "nav-chat", long).await.click().await.unwrap();
    find(&c, "chat-input", long)
        .await
        .send_keys("What are the signs and symptoms of asthma?")
        .await
        .unwrap();
    find(&c, "ask-button", long).await.click().await.unwrap();
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
    find(&c, "passage-close", long).await.click().await.unwrap();

    // Stop: a second question is stopped as soon as it starts streaming.
    let input = find(&c, "chat-input", long).await;
    input.clear().await.unwrap();
    input
        .send_keys("How is high blood pressure treated?")
        .await
        .unwrap();
    let answers_before = all(&c, "answer").await.len();
    find(&c, "ask-button", long).await.click().await.unwrap();
    eventually(long, "the second answer to start streaming", || async {
        let answers = all(&c, "answer").await;
        if answers.len() <= answers_before || all(&c, "generating").await.is_empty() {
            return None;
        }
        let text = answers.last()?.text().await.ok()?;
        (!text.trim().is_empty()).then_some(())
    })
    .await;
    find(&c, "stop-button", long).await.click().await.unwrap();
    find(&c, "answer-stopped", Duration::from_secs(30)).await;
    assert!(
        all(&c, "generating").await.is_empty(),
        "still generating after Stop"
    );

    c.close().await.unwrap();
}
