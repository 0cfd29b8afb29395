//! The triage desk: grade an intake (with the model's help when one is loaded), save the
//! nurse's decision, the waiting board, one encounter, and the form's draft.

use clinic::encounters::{BoardRow, Decision, EncounterView, SavedTriage};
use clinic::models::Task;
use clinic::triage::{Assessment, Intake};
use clinic::ClinicError;
use llm::CancelToken;
use serde_json::Value;
use tauri::State;

use crate::commands::blocking;
use crate::{Admitted, AppState, CmdResult};

/// Reads the form as an intake; a shape error names no values (they may be patient data).
fn parse_intake(intake: Value) -> CmdResult<Intake> {
    serde_json::from_value(intake)
        .map_err(|e| ClinicError::from(clinic::triage::malformed(&e)).payload())
}

/// Grades the intake; with `use_model` and a model loaded, adds the model's suggestion
/// (which Stop ends like an answer).
#[tauri::command]
pub async fn triage_assess(
    state: State<'_, AppState>,
    admitted: Admitted,
    intake: Value,
    use_model: Option<bool>,
) -> CmdResult<Assessment> {
    let intake = parse_intake(intake)?;
    let (clinic, actor) = (state.clinic()?, admitted.0);
    let use_model = use_model.unwrap_or(false);
    let load = state.engine_loader(Task::TriageSummary);
    let cancel = CancelToken::new();
    if use_model {
        let mut current = state.generation.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(previous) = current.replace(cancel.clone()) {
            previous.cancel();
        }
    }
    blocking(move || {
        // No model at all grades without a suggestion, as the rules alone do.
        let engine = match use_model.then(load).transpose() {
            Err(ClinicError::NoModel) => None,
            other => other?,
        };
        let sampling = clinic.task_sampling(Task::TriageSummary)?;
        clinic.triage_assess(
            &actor,
            &intake,
            engine.as_deref().map(|e| e as &dyn llm::Engine),
            &sampling,
            &cancel,
        )
    })
    .await
}

/// Saves the nurse's decision on the assessment `triage_assess` returned: the window names
/// it by id (required: a save without one would drop the model's raise) and never sends the
/// model's suggestion back, so it cannot alter one.
#[tauri::command]
pub async fn triage_save(
    state: State<'_, AppState>,
    admitted: Admitted,
    intake: Value,
    assessment: i64,
    decision: Option<Decision>,
) -> CmdResult<SavedTriage> {
    let intake = parse_intake(intake)?;
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || {
        clinic.triage_save(
            &actor,
            &intake,
            Some(assessment),
            &decision.unwrap_or_default(),
        )
    })
    .await
}

#[tauri::command]
pub async fn triage_board(
    state: State<'_, AppState>,
    admitted: Admitted,
) -> CmdResult<Vec<BoardRow>> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.triage_board(&actor)).await
}

#[tauri::command]
pub async fn encounter_get(
    state: State<'_, AppState>,
    admitted: Admitted,
    id: i64,
) -> CmdResult<EncounterView> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.encounter(&actor, id)).await
}

#[tauri::command]
pub async fn encounter_call_in(
    state: State<'_, AppState>,
    admitted: Admitted,
    id: i64,
) -> CmdResult<()> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.call_in(&actor, id)).await
}

#[tauri::command]
pub async fn triage_draft_save(
    state: State<'_, AppState>,
    admitted: Admitted,
    draft: Value,
) -> CmdResult<()> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.save_triage_draft(&actor, &draft)).await
}

#[tauri::command]
pub async fn triage_draft_load(
    state: State<'_, AppState>,
    admitted: Admitted,
) -> CmdResult<Option<clinic::encounters::Draft>> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.triage_draft(&actor)).await
}

#[tauri::command]
pub async fn triage_draft_discard(state: State<'_, AppState>, admitted: Admitted) -> CmdResult<()> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.discard_triage_draft(&actor)).await
}

/// The rule rows not yet verified against their primary documents (shown on the Admin page
/// and beside the grades).
#[tauri::command]
pub fn triage_rules(_admitted: Admitted) -> Vec<clinic::triage::UnverifiedRow> {
    clinic::triage::unverified_rules()
}
