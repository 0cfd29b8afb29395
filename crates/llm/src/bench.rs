//! Engine benchmark: prompt and decode speed, time to first token cold and from the prefix
//! cache, peak memory. The figures are compared with llama.cpp's own `llama-bench` on the same
//! file and threads by the caller, in the same run.

use std::time::Instant;

use crate::local::LocalEngine;
use crate::{
    CancelToken, ChatMessage, Engine, GenerateRequest, GenerationStats, Result, Role, Sampling,
};

/// What was measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EngineBench {
    /// Threads used.
    pub threads: u32,
    /// Prompt tokens in the prompt-speed run.
    pub prompt_tokens: u32,
    /// Prompt evaluation, tokens per second (median of the runs): llama.cpp's decode calls
    /// only, the figure llama-bench's pp512 measures.
    pub prompt_tok_per_s: f64,
    /// The whole request to the first token, prompt tokens per second (median): template,
    /// tokenizer, context set-up and the first sample included.
    pub request_tok_per_s: f64,
    /// Tokens generated in the decode run.
    pub decode_tokens: u32,
    /// Decode, tokens per second (median of the runs).
    pub decode_tok_per_s: f64,
    /// Context before the follow-up question, in tokens.
    pub context_tokens: u32,
    /// Time to first token of the follow-up, evaluated cold (median, ms).
    pub ttft_cold_ms: u64,
    /// Time to first token of the follow-up with the prefix cache (median, ms).
    pub ttft_cached_ms: u64,
    /// Cold over cached.
    pub prefix_speedup: f64,
    /// Wall time from Stop to the generation's return, pressed in the middle of a long
    /// prompt's evaluation (median, ms): llama.cpp's abort callback at work.
    pub stop_in_prompt_ms: f64,
    /// Peak resident memory of the process, MiB.
    pub peak_rss_mib: f64,
}

fn greedy(messages: Vec<ChatMessage>, max_tokens: u32) -> GenerateRequest {
    GenerateRequest {
        messages,
        sampling: Sampling {
            temperature: 0.0,
            max_tokens,
            repeat_penalty: 1.0,
            ..Sampling::default()
        },
        grammar: None,
    }
}

fn run(engine: &LocalEngine, req: &GenerateRequest) -> Result<GenerationStats> {
    engine.generate(req, &CancelToken::new(), &mut |_| {})
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Runs every measurement `runs` times (at least 1) and reports medians.
pub fn engine(engine: &LocalEngine, runs: usize) -> Result<EngineBench> {
    let runs = runs.max(1);
    // About 512 prompt tokens of plain clinical English.
    let filler = "The patient reports shortness of breath on exertion and a dry cough. ".repeat(36);
    let prompt = greedy(vec![ChatMessage::user(filler.clone())], 1);
    let mut pp = Vec::new();
    let mut whole = Vec::new();
    let mut prompt_tokens = 0;
    for _ in 0..runs {
        engine.clear_cache();
        let started = Instant::now();
        let stats = run(engine, &prompt)?;
        prompt_tokens = stats.prompt_tokens;
        whole.push(f64::from(stats.prompt_tokens) / started.elapsed().as_secs_f64());
        pp.push(f64::from(stats.prompt_tokens) * 1000.0 / stats.prompt_eval_ms.max(0.001));
    }

    let count = greedy(
        vec![ChatMessage::user(
            "Write the numbers from 1 to 400 in digits, separated by commas.",
        )],
        128,
    );
    let mut tg = Vec::new();
    let mut decode_tokens = 0;
    for _ in 0..runs {
        engine.clear_cache();
        let stats = run(engine, &count)?;
        decode_tokens = stats.generated_tokens;
        tg.push(stats.tok_per_s);
    }

    // A follow-up after a ~500-token conversation: cold, then from the cache.
    let first = vec![
        ChatMessage::system(format!("You are a clinical assistant. Notes: {filler}")),
        ChatMessage::user("Summarise the notes in one sentence."),
    ];
    let mut cold = Vec::new();
    let mut cached = Vec::new();
    let mut context_tokens = 0;
    for _ in 0..runs {
        engine.clear_cache();
        let mut answer = String::new();
        let s = engine.generate(&greedy(first.clone(), 32), &CancelToken::new(), &mut |p| {
            answer.push_str(p)
        })?;
        context_tokens = s.prompt_tokens + s.generated_tokens;
        let mut follow = first.clone();
        follow.push(ChatMessage {
            role: Role::Assistant,
            content: answer,
        });
        follow.push(ChatMessage::user("What should be checked first?"));
        let follow = greedy(follow, 1);
        cached.push(run(engine, &follow)?.ttft_ms as f64);
        engine.clear_cache();
        cold.push(run(engine, &follow)?.ttft_ms as f64);
    }
    let (ttft_cold, ttft_cached) = (median(cold), median(cached));

    // Stop pressed 300 ms into a ~2,500-token prompt.
    let long = greedy(vec![ChatMessage::user(filler.repeat(5))], 1);
    let mut stops = Vec::new();
    for _ in 0..runs {
        engine.clear_cache();
        let cancel = CancelToken::new();
        let returned = std::thread::scope(|s| {
            let worker = s.spawn(|| {
                let stats = engine.generate(&long, &cancel, &mut |_| {});
                (stats, Instant::now())
            });
            std::thread::sleep(std::time::Duration::from_millis(300));
            let pressed = Instant::now();
            cancel.cancel();
            let (stats, at) = worker.join().expect("the generation thread");
            stats.map(|_| at.saturating_duration_since(pressed))
        });
        stops.push(returned?.as_secs_f64() * 1000.0);
    }
    Ok(EngineBench {
        threads: engine.n_threads(),
        prompt_tokens,
        prompt_tok_per_s: median(pp),
        request_tok_per_s: median(whole),
        decode_tokens,
        decode_tok_per_s: median(tg),
        context_tokens,
        ttft_cold_ms: ttft_cold as u64,
        ttft_cached_ms: ttft_cached as u64,
        prefix_speedup: ttft_cold / ttft_cached.max(1.0),
        stop_in_prompt_ms: median(stops),
        peak_rss_mib: peak_rss_mib(),
    })
}

/// Peak resident set size of this process (Linux `VmHWM`), MiB; 0 where unknown.
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
