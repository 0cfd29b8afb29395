//! The Models page in the real window: the admin sees the built-in engine loaded, imports a
//! second model by its path, gives the base model a chat template,
//! chooses it for the chat, and the next answer comes from it; removing the model the chat uses
//! is refused with a clear error; a remote server that is not there fails its connection test.

mod common;

use std::time::Duration;

use common::*;
use fantoccini::Locator;

const ADMIN_PW: &str = "e2e admin pw 1";

fn gemma() -> std::path::PathBuf {
    model().with_file_name("gemma-3-270m-q4_k_m.gguf")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_imports_a_model_and_the_chat_answers_with_it() {
    let samples = repo().join("assets/guidelines").display().to_string();
    let window = open_window_on(
        tempfile::tempdir().unwrap(),
        "app.log",
        &[("BEDSIDE_SAMPLE_GUIDELINES", samples)],
    )
    .await;
    let c = window.client.clone();
    let long = Duration::from_secs(240);
    first_run(&c, ADMIN_PW).await;

    // A script in the page gets only what the UI uses: a core plugin command (core:default
    // would allow it) is refused, and the object prototype was frozen before the page ran.
    assert_ne!(invoke_code(&c, "plugin:app|version").await, "ok");
    assert_ne!(invoke_code(&c, "plugin:window|title").await, "ok");
    let frozen = c
        .execute("return Object.isFrozen(Object.prototype)", vec![])
        .await
        .unwrap();
    assert_eq!(frozen, serde_json::json!(true));

    // The admin's login loaded the chat's model in the background; the page follows it.
    click(&c, "nav-models").await;
    eventually(long, "the model loaded after the admin's login", || async {
        let status = find(&c, "engine-status", long).await;
        (status.attr("data-state").await.ok()?.as_deref() == Some("loaded")).then_some(())
    })
    .await;
    let status = find(&c, "engine-status", long).await;
    assert_eq!(
        status.attr("data-kind").await.unwrap().as_deref(),
        Some("local")
    );

    // Import by path (the progress events are checked in the clinic and CLI tests: the copy
    // is over before a WebDriver poll could see the bar), then the row.
    type_into(&c, "model-import-path", &gemma().display().to_string()).await;
    click(&c, "model-import-start").await;
    let result = find(&c, "model-import-result", long).await;
    assert_eq!(
        result.attr("data-outcome").await.unwrap().as_deref(),
        Some("imported")
    );
    let id = result.attr("data-model-id").await.unwrap().unwrap();
    let row = format!("[data-testid=\"model-row\"][data-model-id=\"{id}\"]");
    let row = c
        .wait()
        .at_most(long)
        .for_element(Locator::Css(&row))
        .await
        .unwrap();
    assert!(row.text().await.unwrap().contains("gemma3"));

    // A base model: choose its template, then make it the chat's model.
    row.find(Locator::Css(&css("model-template")))
        .await
        .unwrap()
        .select_by_value("gemma")
        .await
        .unwrap();
    eventually(long, "the template to be saved", || async {
        let overview = c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.__TAURI_INTERNALS__.invoke('models_overview', {})
                   .then(o => done(o.models[0].template_fallback), e => done(String(e)));",
                vec![],
            )
            .await
            .ok()?;
        (overview.as_str() == Some("gemma")).then_some(())
    })
    .await;
    find(&c, "task-model-chat", long)
        .await
        .select_by_value(&id)
        .await
        .unwrap();
    find(&c, "task-model-chat-saved", long).await;

    // Removing the chat's model is refused, and says why.
    let row = format!("[data-testid=\"model-row\"][data-model-id=\"{id}\"]");
    c.find(Locator::Css(&row))
        .await
        .unwrap()
        .find(Locator::Css(&css("model-remove")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(&c, "model-remove-confirm").await;
    eventually(long, "the in_use refusal", || async {
        let error = all(&c, "models-error").await.pop()?;
        (error.attr("data-code").await.ok()?.as_deref() == Some("in_use")).then_some(())
    })
    .await;
    assert_eq!(all(&c, "model-row").await.len(), 1, "the model stays");

    // The next answer comes from the imported model.
    click(&c, "nav-chat").await;
    ask_and_wait(&c, "What are the symptoms of asthma?", long).await;
    let answered_by = last_text(&c, "stat-model").await;
    assert!(
        answered_by.to_lowercase().contains("gemma"),
        "answered by {answered_by}"
    );
    click(&c, "nav-models").await;
    eventually(
        long,
        "the engine status to name the imported model",
        || async {
            let name = last_text(&c, "engine-name").await;
            name.to_lowercase().contains("gemma").then_some(())
        },
    )
    .await;
    // Plain http to another computer: the form offers the admin's allowance, and without it
    // the test is refused before anything is dialled.
    type_into(&c, "remote-url", "http://10.1.2.3:8000/v1").await;
    type_into(&c, "remote-model", "qwen2.5-7b-instruct").await;
    find(&c, "remote-allow-http", long).await;
    click(&c, "remote-test").await;
    eventually(long, "the refusal of plain http", || async {
        let error = all(&c, "remote-error").await.pop()?;
        (error.attr("data-code").await.ok()?.as_deref() == Some("remote_insecure")).then_some(())
    })
    .await;
    // A remote server that is not there: the connection test says so, and nothing is saved.
    type_into(&c, "remote-url", "http://127.0.0.1:9/v1").await;
    assert!(all(&c, "remote-allow-http").await.is_empty());
    type_into(&c, "remote-model", "qwen2.5-7b-instruct").await;
    click(&c, "remote-test").await;
    eventually(long, "the connection test's refusal", || async {
        let error = all(&c, "remote-error").await.pop()?;
        (error.attr("data-code").await.ok()?.as_deref() == Some("remote_unreachable")).then_some(())
    })
    .await;
    let remote = find(&c, "remote-engine", long).await;
    assert_eq!(
        remote.attr("data-enabled").await.unwrap().as_deref(),
        Some("false")
    );
    save_screenshot(&c, "models-page").await;
    window.close().await;
}
