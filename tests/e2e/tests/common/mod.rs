//! What the end-to-end tests share: finding elements by `data-testid`, waiting, typing,
//! screenshots, and starting the window on a fresh data directory.

#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};

pub fn repo() -> PathBuf {
    manifest_dir().join("../..")
}

/// `shared/evaldata`, beside the repository, or `$BEDSIDE_EVALDATA`.
pub fn evaldata() -> PathBuf {
    std::env::var_os("BEDSIDE_EVALDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/evaldata"))
}

pub fn model() -> PathBuf {
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

pub fn css(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

pub async fn find(c: &Client, id: &str, within: Duration) -> Element {
    c.wait()
        .at_most(within)
        .for_element(Locator::Css(&css(id)))
        .await
        .unwrap_or_else(|e| panic!("no [{id}] within {within:?}: {e}"))
}

/// Every element with the test id. WebKitWebDriver sometimes fails to serialise an element
/// that React replaced mid-query ("Could not parse element info") while an answer streams;
/// the query is then simply asked again.
pub async fn all(c: &Client, id: &str) -> Vec<Element> {
    let mut last_error = None;
    for _ in 0..5 {
        match c.find_all(Locator::Css(&css(id))).await {
            Ok(found) => return found,
            Err(e) => {
                last_error = Some(e);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    panic!("cannot query [{id}]: {last_error:?}")
}

/// Polls until `f` gives `Some`, or fails after `within`.
pub async fn eventually<T, F, Fut>(within: Duration, what: &str, mut f: F) -> T
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

pub async fn last_text(c: &Client, id: &str) -> String {
    match all(c, id).await.pop() {
        Some(e) => e.text().await.unwrap_or_default(),
        None => String::new(),
    }
}

/// Keeps a picture of the window for people reviewing a run (target dir, `e2e-*.png`).
pub async fn save_screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    let dir = e2e::app_binary().parent().unwrap().to_path_buf();
    let path = dir.join(format!("e2e-{name}.png"));
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());
}

pub async fn type_into(c: &Client, id: &str, text: &str) {
    let e = find(c, id, Duration::from_secs(60)).await;
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

pub async fn click(c: &Client, id: &str) {
    find(c, id, Duration::from_secs(120))
        .await
        .click()
        .await
        .unwrap();
}

/// Calls a backend command straight through the window's IPC, as a script in the page could,
/// and returns the error code it was refused with (or "ok").
pub async fn invoke_code(c: &Client, command: &str) -> String {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke('{command}', {{}})
           .then(() => done('ok'), e => done((e && e.code) || String(e)));"
    );
    c.execute_async(&script, vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Asks a question and waits for the whole answer; returns its text.
pub async fn ask_and_wait(c: &Client, question: &str, within: Duration) -> String {
    type_into(c, "chat-input", question).await;
    let before = all(c, "answer").await.len();
    click(c, "ask-button").await;
    eventually(within, "the answer to finish", || async {
        if all(c, "answer").await.len() <= before || !all(c, "generating").await.is_empty() {
            return None;
        }
        Some(last_text(c, "answer").await)
    })
    .await
}

/// A window on a fresh data directory, with the app's logs going to `app.log` in it.
pub struct Window {
    pub client: Client,
    pub data: tempfile::TempDir,
    pub log: PathBuf,
    _driver: e2e::Guard,
    _xvfb: Option<e2e::Guard>,
}

impl Window {
    /// Stops the app (and with it the log writer).
    pub async fn close(self) -> (tempfile::TempDir, PathBuf) {
        self.client.close().await.unwrap();
        drop(self._driver);
        (self.data, self.log)
    }
}

/// Starts the app on a fresh data directory with the test model, logging at debug level.
pub async fn open_window() -> Window {
    open_window_on(tempfile::tempdir().unwrap(), "app.log", &[]).await
}

/// Starts the app again on `data` (as after a crash or a restart), logging to `log_name`, with
/// `extra` added to its environment.
pub async fn open_window_on(
    data: tempfile::TempDir,
    log_name: &str,
    extra: &[(&str, String)],
) -> Window {
    let (display, xvfb) = e2e::display();
    let log = data.path().join(log_name);
    let mut env = vec![
        ("BEDSIDE_DATA_DIR", data.path().display().to_string()),
        ("BEDSIDE_MODEL", model().display().to_string()),
        ("BEDSIDE_THREADS", "2".to_string()),
        ("BEDSIDE_LOG", "debug".to_string()),
        // Embedding the sample library would take a core for a minute beside the chat model
        // these tests time out on; search by meaning has its own tests (clinic, CLI).
        ("BEDSIDE_EMBED_MODEL", "off".to_string()),
    ];
    env.extend(extra.iter().cloned());
    let caps = serde_json::json!({
        "tauri:options": { "application": e2e::app_binary().display().to_string() }
    });
    // Starting the driver chain (tauri-driver, WebKitWebDriver, the app) now and then fails
    // before the app is up ("IncompleteMessage" when the native driver's port was taken in
    // the meantime). That is the test harness, not Bedside: start it afresh, at most twice
    // more, and say so. Anything after the session exists is never retried.
    let mut attempt = 1;
    let (client, driver) = loop {
        let (url, driver) = e2e::tauri_driver(&display, &env, &log);
        match ClientBuilder::native()
            .capabilities(caps.as_object().unwrap().clone())
            .connect(&url)
            .await
        {
            Ok(client) => break (client, driver),
            Err(e) if attempt < 3 => {
                eprintln!("WebDriver session, attempt {attempt}: {e}; starting the driver again");
                drop(driver);
                attempt += 1;
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            Err(e) => panic!("WebDriver session with the Bedside window: {e}"),
        }
    };
    Window {
        client,
        data,
        log,
        _driver: driver,
        _xvfb: xvfb,
    }
}

/// The first-run wizard: a passphrase and the first admin.
pub async fn first_run(c: &Client, admin_password: &str) {
    let long = Duration::from_secs(240);
    find(c, "setup-form", long).await;
    type_into(c, "setup-passphrase", "ward seven passphrase").await;
    type_into(c, "setup-passphrase-confirm", "ward seven passphrase").await;
    type_into(c, "setup-username", "admin").await;
    type_into(c, "setup-display-name", "IT Admin").await;
    type_into(c, "setup-password", admin_password).await;
    type_into(c, "setup-password-confirm", admin_password).await;
    click(c, "setup-submit").await;
    find(c, "current-user", long).await;
}

/// The password the admin gives a new account in these tests. Its owner must replace it at
/// the first login ([`first_login`]) with their own, `password`.
pub fn initial_password(password: &str) -> String {
    format!("{password} from the admin")
}

/// As the admin: adds a user on the Admin page, with [`initial_password`]`(password)`.
pub async fn add_user(c: &Client, username: &str, display: &str, role: &str, password: &str) {
    let long = Duration::from_secs(120);
    click(c, "nav-admin").await;
    type_into(c, "user-add-username", username).await;
    type_into(c, "user-add-display-name", display).await;
    find(c, "user-add-role", long)
        .await
        .select_by_value(role)
        .await
        .unwrap();
    type_into(c, "user-add-password", &initial_password(password)).await;
    click(c, "user-add-submit").await;
    c.wait()
        .at_most(long)
        .for_element(Locator::Css(&format!(
            "[data-testid=\"user-row\"][data-username=\"{username}\"]"
        )))
        .await
        .expect("the new user is listed");
}

/// Logs out and logs a new account in for the first time: the window asks for the owner's
/// own password before anything else, and is given `password`.
pub async fn first_login(c: &Client, username: &str, password: &str) {
    let long = Duration::from_secs(120);
    let initial = initial_password(password);
    click(c, "logout-button").await;
    find(c, "login-form", long).await;
    type_into(c, "login-username", username).await;
    type_into(c, "login-password", &initial).await;
    click(c, "login-submit").await;
    change_required_password(c, &initial, password).await;
}

/// On the form a new account lands on: replaces `initial` with `password`.
pub async fn change_required_password(c: &Client, initial: &str, password: &str) {
    let long = Duration::from_secs(120);
    find(c, "password-change-required", long).await;
    assert_eq!(
        invoke_code(c, "triage_board").await,
        "password_change_required"
    );
    type_into(c, "password-current", initial).await;
    type_into(c, "password-new", password).await;
    type_into(c, "password-new-confirm", password).await;
    click(c, "password-change-submit").await;
    find(c, "current-user", long).await;
}

/// The package's folder, read when the test runs. Cargo and nextest set `CARGO_MANIFEST_DIR`
/// for the test process; the compile-time value goes stale when a reused target directory
/// holds a test binary built in another checkout, whose files may differ or be gone.
pub fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
