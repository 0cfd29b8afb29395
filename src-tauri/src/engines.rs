//! The model the window answers with: one engine in memory at a time, loaded for the task at
//! hand from the plan the admin set (remote server, chosen model, built-in default).
//!
//! One at a time on purpose: two 7B models would not fit a workstation, and a reload costs
//! seconds, not minutes. A plan that has not changed reuses the loaded engine; a new plan frees
//! the old model before loading the next, so memory never holds both (a generation still
//! running keeps its engine alive until it ends).
//!
//! Loaded when someone needs it, not at start: at the login screen the window's process held
//! 915 MiB with the built-in model and 384 MiB without (docs/benchmarks.md), on a triage desk
//! that may never ask a question. A clinician's or an admin's login loads it in the background
//! ([`Engines::preload`]); anyone else's first question or model-assisted grading loads it then;
//! and a model unused for the admin's setting ([`Engines::release_idle`]) is freed again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, TryLockError};
use std::time::{Duration, Instant};

use clinic::models::{load_engine, EnginePlan, EngineSource, LoadedEngine, Task};
use clinic::{Clinic, ClinicError, ErrorPayload};

#[derive(Default)]
struct Slot {
    current: Option<(EnginePlan, LoadedEngine)>,
    /// Why the last load failed, shown instead of a silent "no model".
    error: Option<ErrorPayload>,
    /// When the engine was last handed out.
    used: Option<Instant>,
}

/// The loaded engine, shared by the commands.
#[derive(Default)]
pub struct Engines {
    slot: Mutex<Slot>,
    /// True while a load runs, read without waiting for the slot (which the load holds).
    loading: AtomicBool,
    /// Unused this long, the model is freed; `None` keeps it until it is unloaded.
    keep_for: Mutex<Option<Duration>>,
}

/// What the status line and the Models page show.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EngineStatus {
    /// The loaded engine, if any.
    pub engine: Option<EngineSource>,
    /// Why none is loaded.
    pub error: Option<ErrorPayload>,
    /// A model is being loaded now.
    pub loading: bool,
}

impl Engines {
    fn slot(&self) -> std::sync::MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The engine for `plan`, loading it if another (or none) is loaded. Blocks for the load.
    pub fn get(&self, plan: EnginePlan) -> Result<Arc<dyn llm::Engine>, ClinicError> {
        let mut slot = self.slot();
        // Raised while this call holds the slot (a preload raised it before its thread ran),
        // lowered however the call ends, a panic included.
        let _loading = Loading::raise(&self.loading);
        slot.used = Some(Instant::now());
        if let Some((loaded_plan, loaded)) = &slot.current {
            if *loaded_plan == plan {
                return Ok(loaded.engine.clone());
            }
        }
        // Free the old model before the new one takes memory.
        slot.current = None;
        match load_engine(&plan) {
            Ok(loaded) => {
                let engine = loaded.engine.clone();
                slot.current = Some((plan, loaded));
                slot.error = None;
                Ok(engine)
            }
            Err(e) => {
                slot.error = Some(e.payload());
                Err(e)
            }
        }
    }

    /// Loads `plan` in the background, unless it is loaded or a load is running; a failure is
    /// kept for the status line, and the next question tries again.
    pub fn preload(self: &Arc<Self>, plan: EnginePlan) {
        if let Ok(slot) = self.slot.try_lock() {
            if slot.current.as_ref().is_some_and(|(p, _)| *p == plan) {
                return;
            }
        }
        // Loading from now, not from when the thread runs: a status read in between must not
        // say "none" (the window would stop following the load).
        if self.loading.swap(true, Ordering::SeqCst) {
            return;
        }
        let engines = self.clone();
        std::thread::spawn(move || {
            if let Err(e) = engines.get(plan) {
                tracing::warn!(code = e.code(), "the model did not load after login");
            }
        });
    }

    /// Sets how long an unused model stays in memory; `None` keeps it.
    pub fn keep_for(&self, keep: Option<Duration>) {
        *self.keep_for.lock().unwrap_or_else(|e| e.into_inner()) = keep;
    }

    /// Frees the model when it has not been handed out for the time set by
    /// [`Engines::keep_for`] and no generation holds it. Returns whether it was freed.
    pub fn release_idle(&self) -> bool {
        let Some(keep) = *self.keep_for.lock().unwrap_or_else(|e| e.into_inner()) else {
            return false;
        };
        // A load in progress holds the slot: nothing to release meanwhile.
        let mut slot = match self.slot.try_lock() {
            Ok(slot) => slot,
            Err(TryLockError::Poisoned(e)) => e.into_inner(),
            Err(TryLockError::WouldBlock) => return false,
        };
        let in_use = slot
            .current
            .as_ref()
            .is_some_and(|(_, loaded)| Arc::strong_count(&loaded.engine) > 1);
        if in_use {
            // The unused time counts from the end of the answer, not its start.
            slot.used = Some(Instant::now());
            return false;
        }
        let idle = slot.used.is_none_or(|used| used.elapsed() >= keep);
        if slot.current.is_none() || !idle {
            return false;
        }
        slot.current = None;
        tracing::info!(
            minutes = keep.as_secs() / 60,
            "the model was released after being unused"
        );
        true
    }

    /// Frees the model's memory; the next question loads it again.
    pub fn unload(&self) {
        let mut slot = self.slot();
        slot.current = None;
        slot.error = None;
    }

    /// What is loaded, or why nothing is.
    /// Never waits for a load: the window's polled commands call it on its main thread.
    pub fn status(&self) -> EngineStatus {
        let loading = EngineStatus {
            engine: None,
            error: None,
            loading: true,
        };
        if self.loading.load(Ordering::SeqCst) {
            return loading;
        }
        let slot = match self.slot.try_lock() {
            Ok(slot) => slot,
            Err(TryLockError::Poisoned(e)) => e.into_inner(),
            // Held by a load, or for the moment a question takes the engine.
            Err(TryLockError::WouldBlock) => return loading,
        };
        EngineStatus {
            engine: slot.current.as_ref().map(|(_, l)| l.source.clone()),
            error: slot.error.clone(),
            loading: self.loading.load(Ordering::SeqCst),
        }
    }
}

/// Raises the loading flag for as long as it lives.
struct Loading<'a>(&'a AtomicBool);

impl<'a> Loading<'a> {
    fn raise(flag: &'a AtomicBool) -> Loading<'a> {
        flag.store(true, Ordering::SeqCst);
        Loading(flag)
    }
}

impl Drop for Loading<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// The plan for `task`: the admin's choice when the database is open, else the built-in
/// default. `$BEDSIDE_THREADS` overrides the thread count (tests and benchmarks).
pub fn plan_for(clinic: Option<&Clinic>, task: Task) -> Result<EnginePlan, ClinicError> {
    let plan = match clinic {
        Some(c) => c.engine_plan(task)?,
        None => EnginePlan::builtin(),
    };
    let threads = std::env::var("BEDSIDE_THREADS")
        .ok()
        .and_then(|t| t.parse().ok());
    Ok(plan.with_threads(threads))
}
