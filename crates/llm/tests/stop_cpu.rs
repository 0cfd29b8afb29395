//! Stop frees the CPU: measured as CPU time consumed by this process, not wall time, so a
//! slow or busy machine cannot make the test pass or fail by accident.

mod common;

use std::sync::mpsc;
use std::time::Duration;

use llm::{CancelToken, ChatMessage, Engine, GenerateRequest, Sampling};

/// User + system CPU time of this process, in milliseconds (Linux `/proc/self/stat`).
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // Fields after the command name (which may contain spaces) start at ") ".
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    let hz = 100.0; // USER_HZ on Linux
    ticks * 1000.0 / hz
}

#[test]
fn after_stop_during_decoding_the_process_goes_idle() {
    let engine = common::qwen_engine(2048);
    let request = GenerateRequest {
        messages: vec![ChatMessage::user(
            "Write a long story about a hospital night shift.",
        )],
        sampling: Sampling {
            temperature: 0.0,
            max_tokens: 1000,
            ..Sampling::default()
        },
        grammar: None,
    };
    let cancel = CancelToken::new();
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|s| {
        let worker = s.spawn(|| {
            let mut n = 0;
            engine
                .generate(&request, &cancel, &mut |_| {
                    n += 1;
                    if n == 5 {
                        let _ = tx.send(());
                    }
                })
                .unwrap()
        });
        rx.recv_timeout(Duration::from_secs(120))
            .expect("generation started");
        let at_stop = cpu_ms();
        cancel.cancel();
        let stats = worker.join().unwrap();
        let to_return = cpu_ms() - at_stop;
        assert!(stats.cancelled);
        // Two threads finishing the token in flight: well under 250 ms of wall time each.
        assert!(
            to_return < 500.0,
            "{to_return} ms of CPU between Stop and return"
        );
    });
    // Nothing keeps spinning afterwards (llama.cpp's worker threads included).
    std::thread::sleep(Duration::from_millis(200));
    let before = cpu_ms();
    std::thread::sleep(Duration::from_millis(500));
    let idle = cpu_ms() - before;
    assert!(idle < 50.0, "{idle} ms of CPU used in 500 ms after Stop");
}

#[test]
fn stop_during_a_long_prompt_frees_the_cpu_within_a_quarter_second() {
    let engine = common::qwen_engine(4096);
    let request = GenerateRequest {
        messages: vec![ChatMessage::user(
            "Summarise these notes. ".to_string()
                + &"The patient reports shortness of breath on exertion and a dry cough. "
                    .repeat(200),
        )],
        sampling: Sampling {
            temperature: 0.0,
            max_tokens: 16,
            ..Sampling::default()
        },
        grammar: None,
    };
    let cancel = CancelToken::new();
    std::thread::scope(|s| {
        let worker = s.spawn(|| engine.generate(&request, &cancel, &mut |_| {}).unwrap());
        // Let the prompt evaluation get going, then stop it.
        std::thread::sleep(Duration::from_millis(500));
        let at_stop = cpu_ms();
        cancel.cancel();
        let stats = worker.join().unwrap();
        let to_return = cpu_ms() - at_stop;
        assert!(stats.cancelled && stats.generated_tokens == 0, "{stats:?}");
        assert!(
            stats.prompt_tokens > 2500,
            "the prompt must be long: {stats:?}"
        );
        // The whole prompt would take over 30 s of CPU, one 128-token chunk about 1.6 s on two
        // threads; llama.cpp's abort callback stops inside the chunk: at most 250 ms on each
        // of the two threads.
        assert!(
            to_return < 500.0,
            "{to_return} ms of CPU between Stop and return"
        );
    });
}
