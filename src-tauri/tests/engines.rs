//! The window's engine slot on the real built-in model: loaded in the background when asked,
//! freed when unused for the admin's time but never while an answer holds it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bedside_app::engines::{plan_for, Engines};
use clinic::models::Task;

fn builtin() -> clinic::models::EnginePlan {
    plan_for(None, Task::Chat).unwrap().with_threads(Some(1))
}

#[test]
fn a_model_unused_longer_than_the_setting_is_freed_but_not_while_it_answers() {
    let engines = Engines::default();
    assert!(
        !engines.release_idle(),
        "nothing loaded, nothing to release"
    );
    let engine = engines.get(builtin()).unwrap();
    engines.keep_for(Some(Duration::ZERO));
    // An answer still holds the engine: it stays.
    assert!(!engines.release_idle());
    assert!(engines.status().engine.is_some());
    drop(engine);
    // 0 minutes in the setting means "keep it": nothing is ever released.
    engines.keep_for(None);
    assert!(!engines.release_idle());
    assert!(engines.status().engine.is_some());
    // Unused for longer than the setting: freed, and the status says so.
    engines.keep_for(Some(Duration::ZERO));
    assert!(engines.release_idle());
    let status = engines.status();
    assert!(status.engine.is_none() && status.error.is_none() && !status.loading);
    // The next question loads it again.
    engines.get(builtin()).unwrap();
    assert!(engines.status().engine.is_some());
}

#[test]
fn a_preload_loads_in_the_background_and_a_recent_use_is_kept() {
    let engines = Arc::new(Engines::default());
    engines.keep_for(Some(Duration::from_secs(3600)));
    engines.preload(builtin());
    // Loading from the call on, and the status says so without waiting for the load.
    assert!(engines.status().loading);
    let start = Instant::now();
    while engines.status().engine.is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the preload never finished: {:?}",
            engines.status().error
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!engines.status().loading);
    // Used moments ago, kept for an hour: not released.
    assert!(!engines.release_idle());
    // A second preload of the same plan loads nothing new.
    engines.preload(builtin());
    assert!(engines.status().engine.is_some() && !engines.status().loading);
}
