//! The remote engine: an OpenAI-compatible `/v1/chat/completions` server (vLLM, llama.cpp's
//! server, Ollama) reached over HTTP, for a hospital that has outgrown one workstation.
//!
//! Off unless an admin configures it; when it is off nothing in Bedside opens a network socket.
//! The answer streams as server-sent events. Every way the server can fail (refused connection,
//! silence, a bad key, rate limits, server errors, a garbled stream) is a typed
//! [`RemoteFailure`], and an error after text was already shown says the answer is partial.
//!
//! The engine is blocking like the local one: each generation runs on a small single-thread
//! runtime of its own, so callers need no async context and a dropped engine never drops a
//! runtime inside someone else's.

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::{StatusCode, Url};
use serde_json::{json, Value};

use crate::{CancelToken, Engine, Finish, GenerateRequest, GenerationStats, LlmError, Result};

/// How often a wait on the server checks Stop. Stop therefore takes at most this long.
const POLL: Duration = Duration::from_millis(50);
/// A line of the event stream longer than this is not an OpenAI-compatible server talking.
const MAX_LINE: usize = 1 << 20;
/// Characters of a server's own error message passed on to the admin.
const MAX_DETAIL: usize = 200;

/// Where the remote engine is and how to reach it: an admin setting, stored in the encrypted
/// database.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RemoteConfig {
    /// The server's base URL, with or without the trailing `/v1`: `http://10.0.0.5:8000/v1`.
    pub base_url: String,
    /// The model name the server knows the model by.
    pub model: String,
    /// Sent as a bearer token when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// Seconds to wait for the connection, and for each piece of the answer.
    pub timeout_s: u32,
    /// The admin allowed plain `http://` to this base URL's host although it is another
    /// machine. Without it only `https://`, or `http://` to this machine (loopback), is used:
    /// what goes out is patient text and the key. Meaningless, and stored as `false`, for a
    /// URL that does not need it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_http: bool,
}

impl fmt::Debug for RemoteConfig {
    // The API key is a secret: it never reaches a log line through `{:?}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteConfig")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .field("timeout_s", &self.timeout_s)
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

/// Timeouts an admin may set, in seconds.
pub const TIMEOUT_RANGE_S: std::ops::RangeInclusive<u32> = 1..=600;

impl RemoteConfig {
    /// The chat-completions endpoint, or why the settings are unusable.
    pub fn endpoint(&self) -> Result<Url> {
        self.api_url("chat/completions")
    }

    /// The base URL once its shape is checked: http or https, a host, and no user name or
    /// password. The transport rule ([`RemoteConfig::needs_http_allowance`]) is not applied
    /// here: a disabled setting may name any such URL, since it sends nothing.
    pub fn url(&self) -> Result<Url> {
        let bad = |reason: &str| LlmError::RemoteConfig(reason.to_string());
        let base = self.base_url.trim().trim_end_matches('/');
        // The parser's message never repeats the input, so a password cannot leak through it.
        let url = Url::parse(base).map_err(|e| bad(&format!("the base URL is not a URL: {e}")))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(LlmError::RemoteUrlCredentials);
        }
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
            return Err(bad(
                "the base URL must start with http:// or https:// and name a host",
            ));
        }
        Ok(url)
    }

    /// Whether the base URL is plain `http://` to another machine, which needs the admin's
    /// [`RemoteConfig::allow_http`]. False for a URL that is not usable at all.
    pub fn needs_http_allowance(&self) -> bool {
        self.url()
            .is_ok_and(|u| u.scheme() == "http" && !is_loopback(&u))
    }

    /// Whether `base_url` names the same server as this config: scheme, host and port (the
    /// default port written or not). The stored API key goes only to the server it was saved
    /// for; a path is not a different server.
    pub fn same_server(&self, base_url: &str) -> bool {
        same_server(&self.base_url, base_url)
    }

    /// `path` under the API's `/v1`, once the settings are checked.
    fn api_url(&self, path: &str) -> Result<Url> {
        let bad = |reason: &str| LlmError::RemoteConfig(reason.to_string());
        let url = self.url()?;
        if self.needs_http_allowance() && !self.allow_http {
            return Err(LlmError::RemoteInsecure {
                host: url.host_str().unwrap_or_default().to_string(),
            });
        }
        if self.model.trim().is_empty() {
            return Err(bad("the model name is empty"));
        }
        if !TIMEOUT_RANGE_S.contains(&self.timeout_s) {
            return Err(bad("the timeout must be 1 to 600 seconds"));
        }
        let base = self.base_url.trim().trim_end_matches('/');
        let v1 = if base.ends_with("/v1") { "" } else { "/v1" };
        Url::parse(&format!("{base}{v1}/{path}")).map_err(|e| bad(&e.to_string()))
    }
}

/// Whether two base URLs name the same server: scheme, host and port (the default port
/// written or not). False when either is not a URL.
pub fn same_server(a: &str, b: &str) -> bool {
    let origin = |s: &str| Url::parse(s.trim()).ok().map(|u| u.origin());
    match (origin(a), origin(b)) {
        (Some(a), Some(b)) => a.is_tuple() && a == b,
        _ => false,
    }
}

/// Whether the URL's host is this machine: `localhost`, 127.0.0.0/8 or ::1 (an IPv4-mapped
/// loopback included). Plain http there never crosses a network.
fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    if host.eq_ignore_ascii_case("localhost") || host.eq_ignore_ascii_case("localhost.") {
        return true;
    }
    let ip = host.trim_start_matches('[').trim_end_matches(']');
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => v4.is_loopback(),
        Ok(std::net::IpAddr::V6(v6)) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// How a remote generation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RemoteFailure {
    /// Nothing answers at that address (refused, unknown host, TLS failure).
    Unreachable,
    /// The server stayed silent longer than the timeout.
    Timeout,
    /// HTTP 401 or 403: the API key is missing or wrong.
    Unauthorized,
    /// HTTP 429: the server asks us to slow down.
    RateLimited,
    /// HTTP 503: the server is up but not ready (loading its model).
    Unavailable,
    /// Another HTTP 5xx: the server failed.
    ServerError,
    /// Another HTTP status: the server refused the request.
    Refused,
    /// The reply is not an OpenAI-compatible event stream.
    BadStream,
}

impl RemoteFailure {
    /// The stable error code.
    pub fn code(self) -> &'static str {
        match self {
            RemoteFailure::Unreachable => "remote_unreachable",
            RemoteFailure::Timeout => "remote_timeout",
            RemoteFailure::Unauthorized => "remote_unauthorized",
            RemoteFailure::RateLimited => "remote_rate_limited",
            RemoteFailure::Unavailable => "remote_unavailable",
            RemoteFailure::ServerError => "remote_server_error",
            RemoteFailure::Refused => "remote_refused",
            RemoteFailure::BadStream => "remote_bad_stream",
        }
    }

    fn of_status(status: StatusCode) -> RemoteFailure {
        match status.as_u16() {
            401 | 403 => RemoteFailure::Unauthorized,
            429 => RemoteFailure::RateLimited,
            503 => RemoteFailure::Unavailable,
            500..=599 => RemoteFailure::ServerError,
            _ => RemoteFailure::Refused,
        }
    }
}

impl fmt::Display for RemoteFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RemoteFailure::Unreachable => "the inference server cannot be reached",
            RemoteFailure::Timeout => "the inference server did not answer in time",
            RemoteFailure::Unauthorized => "the inference server refused the API key",
            RemoteFailure::RateLimited => "the inference server is busy (too many requests)",
            RemoteFailure::Unavailable => "the inference server is not ready yet",
            RemoteFailure::ServerError => "the inference server failed",
            RemoteFailure::Refused => "the inference server refused the request",
            RemoteFailure::BadStream => "the inference server sent a malformed answer",
        })
    }
}

/// What a connection test found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RemoteProbe {
    /// The models the server lists (`data[].id`).
    pub models: Vec<String>,
    /// Round trip of the request, ms.
    pub latency_ms: u64,
}

/// A model served by an OpenAI-compatible server.
pub struct RemoteEngine {
    config: RemoteConfig,
    endpoint: Url,
    name: String,
}

impl RemoteEngine {
    /// Checks the settings; connects only when asked to generate.
    pub fn new(config: RemoteConfig) -> Result<RemoteEngine> {
        let endpoint = config.endpoint()?;
        let host = match (endpoint.host_str(), endpoint.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => String::new(),
        };
        let name = format!("{} @ {host}", config.model.trim());
        Ok(RemoteEngine {
            config,
            endpoint,
            name,
        })
    }

    /// The settings in use.
    pub fn config(&self) -> &RemoteConfig {
        &self.config
    }

    fn timeout(&self) -> Duration {
        Duration::from_secs(u64::from(self.config.timeout_s))
    }

    fn client(&self) -> Result<reqwest::Client> {
        reqwest::Client::builder()
            .connect_timeout(self.timeout())
            // Patient text goes to the server the admin named and nowhere else: a proxy from
            // the environment would be a second party.
            .no_proxy()
            // Nor may the server send the request on: a 307 would repeat the body (patient
            // text) to any address, plain http included. A 3xx is reported as refused.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| remote(RemoteFailure::Unreachable, e.to_string(), false))
    }

    /// The request with the API key as a bearer token, when one is set.
    fn authorised(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.config.api_key.as_deref().filter(|k| !k.is_empty()) {
            Some(key) => request.bearer_auth(key),
            None => request,
        }
    }

    fn body(&self, request: &GenerateRequest) -> Value {
        let s = &request.sampling;
        // The server's vocabulary is unknown here: the common templates' markers are defused.
        let specials = crate::specials::Specials::common();
        let messages: Vec<Value> = request
            .messages
            .iter()
            .map(|m| json!({"role": m.role.as_str(), "content": specials.defuse(&m.content)}))
            .collect();
        let mut body = json!({
            "model": self.config.model.trim(),
            "messages": messages,
            "stream": true,
            "stream_options": {"include_usage": true},
            "temperature": s.temperature.max(0.0),
            "top_p": s.top_p,
            "seed": s.seed,
            "max_tokens": s.max_tokens.max(1),
            "repeat_penalty": s.repeat_penalty,
        });
        if let Some(grammar) = &request.grammar {
            // llama.cpp's server and llama-cpp-python take GBNF as `grammar`.
            body["grammar"] = Value::String(grammar.as_gbnf().to_string());
        }
        body
    }

    async fn stream(
        &self,
        request: &GenerateRequest,
        cancel: &CancelToken,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<GenerationStats> {
        let started = Instant::now();
        let mut stats = GenerationStats::default();
        let cancelled = |stats: GenerationStats| Ok(stats.cancelled());
        let post = self.authorised(
            self.client()?
                .post(self.endpoint.clone())
                .header(CONTENT_TYPE, "application/json")
                .header(ACCEPT, "text/event-stream")
                .body(self.body(request).to_string()),
        );
        let mut response = match wait(post.send(), cancel, self.timeout()).await {
            Waited::Cancelled => return cancelled(stats),
            Waited::TimedOut => return Err(self.timed_out(false)),
            Waited::Done(Err(e)) => return Err(transport(e, false)),
            Waited::Done(Ok(r)) => r,
        };
        let status = response.status();
        if !status.is_success() {
            let detail = match wait(response.text(), cancel, self.timeout()).await {
                Waited::Done(Ok(body)) => server_message(&body),
                _ => String::new(),
            };
            let detail = format!("HTTP {}{detail}", status.as_u16());
            return Err(remote(RemoteFailure::of_status(status), detail, false));
        }

        let mut events = EventStream::default();
        let mut first_at: Option<Instant> = None;
        let mut pieces = 0u32;
        let mut usage: Option<(u32, u32)> = None;
        let mut finish: Option<Finish> = None;
        'read: loop {
            let partial = pieces > 0;
            let chunk = match wait(response.chunk(), cancel, self.timeout()).await {
                Waited::Cancelled => return cancelled(stats),
                Waited::TimedOut => return Err(self.timed_out(partial)),
                Waited::Done(Err(e)) => return Err(transport(e, partial)),
                Waited::Done(Ok(None)) => break,
                Waited::Done(Ok(Some(bytes))) => bytes,
            };
            events.push(&chunk).map_err(|e| bad_stream(e, partial))?;
            while let Some(data) = events.next_data().map_err(|e| bad_stream(e, partial))? {
                if data == "[DONE]" {
                    finish.get_or_insert(Finish::End);
                    break 'read;
                }
                let event = parse_event(&data).map_err(|(kind, e)| remote(kind, e, partial))?;
                if let Some(text) = event.text.filter(|t| !t.is_empty()) {
                    if first_at.is_none() {
                        first_at = Some(Instant::now());
                        stats.ttft_ms = started.elapsed().as_millis() as u64;
                    }
                    pieces += 1;
                    on_text(&text);
                }
                if event.finish.is_some() {
                    finish = event.finish;
                }
                usage = event.usage.or(usage);
            }
        }
        let Some(finish) = finish else {
            return Err(bad_stream(
                "the stream ended before the answer did".into(),
                pieces > 0,
            ));
        };
        stats.finish = finish;
        let (prompt, generated) = usage.unwrap_or((0, pieces));
        stats.prompt_tokens = prompt;
        stats.generated_tokens = generated;
        stats.set_decode_rate(first_at);
        Ok(stats)
    }

    /// Asks the server which models it serves (`GET /v1/models`): what the admin's "Test
    /// connection" runs, without generating anything.
    pub fn probe(&self) -> Result<RemoteProbe> {
        block_on(self.list_models())
    }

    async fn list_models(&self) -> Result<RemoteProbe> {
        let started = Instant::now();
        let url = self.config.api_url("models")?;
        let get = self.authorised(self.client()?.get(url));
        let never = CancelToken::new();
        let response = match wait(get.send(), &never, self.timeout()).await {
            Waited::Done(Ok(r)) => r,
            Waited::Done(Err(e)) => return Err(transport(e, false)),
            _ => return Err(self.timed_out(false)),
        };
        let status = response.status();
        let body = match wait(response.text(), &never, self.timeout()).await {
            Waited::Done(Ok(body)) => body,
            Waited::Done(Err(e)) => return Err(transport(e, false)),
            _ => return Err(self.timed_out(false)),
        };
        if !status.is_success() {
            let detail = format!("HTTP {}{}", status.as_u16(), server_message(&body));
            return Err(remote(RemoteFailure::of_status(status), detail, false));
        }
        let value: Value = serde_json::from_str(&body)
            .map_err(|e| bad_stream(format!("the model list is not JSON: {e}"), false))?;
        let models = value
            .get("data")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|m| m.get("id").and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        Ok(RemoteProbe {
            models,
            latency_ms: started.elapsed().as_millis() as u64,
        })
    }

    fn timed_out(&self, partial: bool) -> LlmError {
        remote(
            RemoteFailure::Timeout,
            format!("nothing for {} s", self.config.timeout_s),
            partial,
        )
    }
}

impl Engine for RemoteEngine {
    fn model_name(&self) -> &str {
        &self.name
    }

    fn generate(
        &self,
        request: &GenerateRequest,
        cancel: &CancelToken,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<GenerationStats> {
        block_on(self.stream(request, cancel, on_text))
    }
}

/// Runs `work` on a single-thread runtime of its own: callers stay blocking, and no runtime is
/// ever dropped inside another.
fn block_on<T>(work: impl Future<Output = Result<T>>) -> Result<T> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(work)
}

fn remote(kind: RemoteFailure, detail: String, partial: bool) -> LlmError {
    LlmError::Remote {
        kind,
        detail,
        partial,
    }
}

fn bad_stream(detail: String, partial: bool) -> LlmError {
    remote(RemoteFailure::BadStream, detail, partial)
}

fn transport(e: reqwest::Error, partial: bool) -> LlmError {
    let kind = if e.is_timeout() {
        RemoteFailure::Timeout
    } else if e.is_connect() || e.is_request() {
        RemoteFailure::Unreachable
    } else {
        // The connection broke while the body was being read.
        RemoteFailure::BadStream
    };
    // reqwest's message names the URL and the cause, never the request body.
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    remote(kind, detail, partial)
}

/// The server's own explanation from an error body, shortened: `: Loading model`.
fn server_message(body: &str) -> String {
    let message = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| {
            v.pointer("/error/message")
                .or_else(|| v.get("error"))
                .or_else(|| v.get("detail"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_default();
    if message.is_empty() {
        String::new()
    } else {
        format!(": {}", message.chars().take(MAX_DETAIL).collect::<String>())
    }
}

enum Waited<T> {
    Done(T),
    Cancelled,
    TimedOut,
}

/// Waits for `fut`, checking Stop every [`POLL`]; gives up after `limit`.
async fn wait<F: Future>(fut: F, cancel: &CancelToken, limit: Duration) -> Waited<F::Output> {
    let mut fut = std::pin::pin!(fut);
    let mut waited = Duration::ZERO;
    loop {
        if cancel.is_cancelled() {
            return Waited::Cancelled;
        }
        match tokio::time::timeout(POLL, &mut fut).await {
            Ok(out) => return Waited::Done(out),
            Err(_) => {
                waited += POLL;
                if waited >= limit {
                    return Waited::TimedOut;
                }
            }
        }
    }
}

/// Bytes of a server-sent event stream, split into `data:` payloads.
#[derive(Default)]
struct EventStream {
    buf: Vec<u8>,
}

impl EventStream {
    fn push(&mut self, bytes: &[u8]) -> std::result::Result<(), String> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() > MAX_LINE && !self.buf.contains(&b'\n') {
            return Err(format!("a line longer than {MAX_LINE} bytes"));
        }
        Ok(())
    }

    /// The next complete `data:` payload; comments, other fields and blank lines are skipped.
    fn next_data(&mut self) -> std::result::Result<Option<String>, String> {
        while let Some(end) = self.buf.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.buf.drain(..=end).collect();
            let line = std::str::from_utf8(&line)
                .map_err(|_| "a line that is not UTF-8".to_string())?
                .trim_end_matches(['\n', '\r']);
            if let Some(data) = line.strip_prefix("data:") {
                return Ok(Some(data.trim_start().to_string()));
            }
        }
        Ok(None)
    }
}

/// What one `chat.completion.chunk` carries.
#[derive(Debug, Default, PartialEq)]
struct Event {
    text: Option<String>,
    finish: Option<Finish>,
    /// Prompt and completion tokens, sent by most servers in the last chunk.
    usage: Option<(u32, u32)>,
}

fn parse_event(data: &str) -> std::result::Result<Event, (RemoteFailure, String)> {
    let value: Value = serde_json::from_str(data).map_err(|e| {
        (
            RemoteFailure::BadStream,
            format!("an event is not JSON: {e}"),
        )
    })?;
    if let Some(error) = value.get("error") {
        let message = error
            .get("message")
            .and_then(Value::as_str)
            .or_else(|| error.as_str())
            .unwrap_or("no message");
        return Err((
            RemoteFailure::ServerError,
            message.chars().take(MAX_DETAIL).collect(),
        ));
    }
    let choices = value.get("choices").and_then(Value::as_array).ok_or((
        RemoteFailure::BadStream,
        "an event has no choices".to_string(),
    ))?;
    let mut event = Event::default();
    if let Some(choice) = choices.first() {
        event.text = choice
            .pointer("/delta/content")
            .and_then(Value::as_str)
            .map(str::to_string);
        event.finish = match choice.get("finish_reason").and_then(Value::as_str) {
            None => None,
            Some("length") => Some(Finish::Length),
            Some(_) => Some(Finish::End),
        };
    }
    if let Some(usage) = value.get("usage").filter(|u| u.is_object()) {
        let count = |k: &str| usage.get(k).and_then(Value::as_u64).unwrap_or(0) as u32;
        event.usage = Some((count("prompt_tokens"), count("completion_tokens")));
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base_url: &str) -> RemoteConfig {
        RemoteConfig {
            base_url: base_url.into(),
            model: "qwen".into(),
            api_key: Some("sk-secret".into()),
            timeout_s: 30,
            allow_http: false,
        }
    }

    #[test]
    fn the_endpoint_is_found_with_or_without_v1() {
        for base in [
            "https://10.0.0.5:8000",
            "https://10.0.0.5:8000/",
            "https://10.0.0.5:8000/v1",
        ] {
            assert_eq!(
                config(base).endpoint().unwrap().as_str(),
                "https://10.0.0.5:8000/v1/chat/completions"
            );
        }
    }

    #[test]
    fn unusable_settings_are_refused_with_the_reason() {
        for base in ["", "10.0.0.5:8000", "ftp://host/", "http://"] {
            let err = config(base).endpoint().unwrap_err();
            assert_eq!(err.code(), "remote_config", "{base}: {err}");
        }
        let mut c = config("https://host");
        c.timeout_s = 0;
        assert!(c.endpoint().unwrap_err().to_string().contains("timeout"));
    }

    #[test]
    fn plain_http_needs_this_machine_or_the_admins_allowance() {
        for base in [
            "http://10.0.0.5:8000/v1",
            "http://llm.ward.local",
            "HTTP://8.8.8.8",
            // Names that only look local.
            "http://localhost.evil.example",
            "http://127.0.0.1.nip.io",
            "http://[::2]:8000",
        ] {
            let c = config(base);
            assert!(c.needs_http_allowance(), "{base}");
            let err = c.endpoint().unwrap_err();
            assert_eq!(err.code(), "remote_insecure", "{base}: {err}");
            assert!(RemoteEngine::new(c.clone()).is_err());
            let allowed = RemoteConfig {
                allow_http: true,
                ..c
            };
            assert!(allowed.endpoint().is_ok(), "{base}");
        }
        for base in [
            "https://10.0.0.5:8000/v1",
            "http://127.0.0.1:8000",
            "http://127.200.1.1",
            "http://127.1:8080",
            "http://localhost:11434/v1",
            "http://LOCALHOST",
            "http://[::1]:8000/v1",
            "http://[::ffff:127.0.0.1]:8000",
        ] {
            let c = config(base);
            assert!(!c.needs_http_allowance(), "{base}");
            c.endpoint().unwrap_or_else(|e| panic!("{base}: {e}"));
        }
    }

    #[test]
    fn a_user_or_password_in_the_url_is_refused_without_being_repeated() {
        for base in [
            "https://admin:hunter2@llm.ward.local/v1",
            "http://hunter2@127.0.0.1:8000",
            "http://:hunter2@localhost",
        ] {
            let c = RemoteConfig {
                allow_http: true,
                ..config(base)
            };
            for err in [c.url().unwrap_err(), c.endpoint().unwrap_err()] {
                assert_eq!(err.code(), "remote_url_credentials", "{base}");
                assert!(!err.to_string().contains("hunter2"), "{err}");
            }
            assert!(!c.needs_http_allowance());
        }
    }

    #[test]
    fn the_same_server_is_the_same_scheme_host_and_port() {
        let c = config("https://llm.ward.local/v1");
        assert!(c.same_server("https://llm.ward.local"));
        assert!(c.same_server("https://LLM.ward.local:443/other/v1/"));
        assert!(!c.same_server("http://llm.ward.local/v1"));
        assert!(!c.same_server("https://llm.ward.local:8443/v1"));
        assert!(!c.same_server("https://llm.ward.local.evil.example/v1"));
        assert!(!c.same_server("not a url"));
        assert!(!config("not a url").same_server("not a url"));
    }

    #[test]
    fn the_api_key_never_shows_in_debug_output() {
        let shown = format!("{:?}", config("http://host"));
        assert!(!shown.contains("sk-secret"), "{shown}");
        assert!(shown.contains("<set>"));
    }

    #[test]
    fn events_split_across_reads_are_joined() {
        let mut s = EventStream::default();
        s.push(b": comment\n\ndata: {\"a\"").unwrap();
        assert_eq!(s.next_data().unwrap(), None);
        s.push(b":1}\r\n\ndata: [DONE]\n").unwrap();
        assert_eq!(s.next_data().unwrap().as_deref(), Some("{\"a\":1}"));
        assert_eq!(s.next_data().unwrap().as_deref(), Some("[DONE]"));
    }

    #[test]
    fn chunks_give_text_finish_and_usage() {
        let e = parse_event(r#"{"choices":[{"delta":{"content":"Hi"},"finish_reason":null}]}"#)
            .unwrap();
        assert_eq!(e.text.as_deref(), Some("Hi"));
        let e = parse_event(r#"{"choices":[{"delta":{},"finish_reason":"length"}]}"#).unwrap();
        assert_eq!(e.finish, Some(Finish::Length));
        let e = parse_event(r#"{"choices":[],"usage":{"prompt_tokens":31,"completion_tokens":5}}"#)
            .unwrap();
        assert_eq!(e.usage, Some((31, 5)));
        let (kind, _) = parse_event(r#"{"error":{"message":"out of memory"}}"#).unwrap_err();
        assert_eq!(kind, RemoteFailure::ServerError);
        let (kind, _) = parse_event("not json").unwrap_err();
        assert_eq!(kind, RemoteFailure::BadStream);
    }
}
