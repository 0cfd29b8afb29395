//! The model the window answers with: one engine in memory at a time, loaded for the task at
//! hand from the plan the admin set (remote server, chosen model, built-in default).
//!
//! One at a time on purpose: two 7B models would not fit a workstation, and a reload costs
//! seconds, not minutes. A plan that has not changed reuses the loaded engine; a new plan frees
//! the old model before loading the next, so memory never holds both (a generation still
//! running keeps its engine alive until it ends).

use std::sync::{Arc, Mutex};

use clinic::models::{load_engine, EnginePlan, EngineSource, LoadedEngine, Task};
use clinic::{Clinic, ClinicError, ErrorPayload};

#[derive(Default)]
struct Slot {
    current: Option<(EnginePlan, LoadedEngine)>,
    /// Why the last load failed, shown instead of a silent "no model".
    error: Option<ErrorPayload>,
}

/// The loaded engine, shared by the commands.
#[derive(Default)]
pub struct Engines {
    slot: Mutex<Slot>,
}

/// What the status line and the Models page show.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EngineStatus {
    /// The loaded engine, if any.
    pub engine: Option<EngineSource>,
    /// Why none is loaded.
    pub error: Option<ErrorPayload>,
}

impl Engines {
    fn slot(&self) -> std::sync::MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The engine for `plan`, loading it if another (or none) is loaded. Blocks for the load.
    pub fn get(&self, plan: EnginePlan) -> Result<Arc<dyn llm::Engine>, ClinicError> {
        let mut slot = self.slot();
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

    /// Frees the model's memory; the next question loads it again.
    pub fn unload(&self) {
        let mut slot = self.slot();
        slot.current = None;
        slot.error = None;
    }

    /// What is loaded, or why nothing is.
    pub fn status(&self) -> EngineStatus {
        let slot = self.slot();
        EngineStatus {
            engine: slot.current.as_ref().map(|(_, l)| l.source.clone()),
            error: slot.error.clone(),
        }
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
