//! Set-up, unlocking, login, the session, and the admin's accounts, audit and settings
//! commands.

use std::time::{Duration, Instant};

use clinic::access::password;
use clinic::{AccessError, Actor, Clinic, ClinicError, NewAccount};
use serde::{Deserialize, Serialize};
use store::{AuditFilter, AuditRecord, Key, UserRecord};
use tauri::State;

use crate::commands::blocking;
use crate::{Admitted, AppState, CmdResult};

/// Which screen the window should show.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// First run: choose how the database is encrypted and create the first admin.
    NeedsSetup,
    /// The database exists; someone must type its passphrase.
    NeedsPassphrase,
    /// The database could not be opened (altered, damaged, unreadable key file).
    DbError,
    /// Nobody is logged in.
    NeedsLogin,
    /// The user's session is locked; their password unlocks it.
    Locked,
    /// An admin set the user's password: they must choose their own before anything else.
    ChangePassword,
    /// Working.
    Active,
}

/// The session as the window sees it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    stage: Stage,
    user: Option<Actor>,
    idle_lock_minutes: u32,
    /// During set-up: whether a key for the database still has to be chosen.
    needs_key: bool,
    error: Option<clinic::ErrorPayload>,
    /// For an admin: what the audit check at start found, when it failed.
    audit_alarm: Option<clinic::AuditCheck>,
    /// For an admin: the alarms no admin has acknowledged yet, newest first.
    pending_audit_alarms: Vec<AuditRecord>,
}

fn view(state: &AppState) -> SessionView {
    let clinic = state
        .clinic
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let mut session = state.session();
    let error = state
        .db_error
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let (stage, needs_key) = match &clinic {
        None if clinic::keys::is_first_run(&state.data_dir) => (Stage::NeedsSetup, true),
        None if error.is_some() => (Stage::DbError, false),
        None => (Stage::NeedsPassphrase, false),
        Some(c) if c.needs_first_admin().unwrap_or(false) => (Stage::NeedsSetup, false),
        Some(_) if session.actor().is_none() => (Stage::NeedsLogin, false),
        Some(_) if session.lock_if_idle(Instant::now()) => {
            state.stop_generation();
            (Stage::Locked, false)
        }
        Some(_) if session.actor().is_some_and(Actor::must_change_password) => {
            (Stage::ChangePassword, false)
        }
        Some(_) => (Stage::Active, false),
    };
    let admin = session
        .actor()
        .filter(|a| a.role() == clinic::Role::Admin && stage == Stage::Active);
    let (audit_alarm, pending_audit_alarms) = match (admin, clinic.as_ref()) {
        (Some(admin), Some(clinic)) => (
            state
                .audit_alarm
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
            clinic.pending_audit_alarms(admin).unwrap_or_default(),
        ),
        _ => (None, Vec::new()),
    };
    SessionView {
        stage,
        audit_alarm,
        pending_audit_alarms,
        user: session.actor().cloned(),
        idle_lock_minutes: clinic
            .and_then(|c| c.idle_lock_minutes().ok())
            .unwrap_or(clinic::admin::DEFAULT_IDLE_LOCK_MINUTES),
        needs_key,
        error,
    }
}

fn set_clinic(state: &AppState, clinic: Clinic) {
    let idle = crate::idle_of(Some(&clinic));
    *state.audit_alarm.lock().unwrap_or_else(|e| e.into_inner()) = crate::check_at_start(&clinic);
    clinic.embed_in_background();
    *state.clinic.write().unwrap_or_else(|e| e.into_inner()) = Some(clinic);
    *state.db_error.lock().unwrap_or_else(|e| e.into_inner()) = None;
    state.session().set_idle_lock(idle);
    let keep = crate::keep_minutes_of(
        state
            .clinic
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref(),
    );
    state.engines.keep_for(crate::keep_of(keep));
}

#[tauri::command]
pub fn session_state(state: State<'_, AppState>) -> SessionView {
    view(&state)
}

/// The wizard's answers. No `Debug`: it holds the passphrase and a password.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupArgs {
    /// The database passphrase, unless a key file is chosen.
    #[serde(default)]
    passphrase: Option<String>,
    /// Encrypt with a random key in `bedside.key` instead of a passphrase.
    #[serde(default)]
    use_key_file: bool,
    username: String,
    #[serde(default)]
    display_name: String,
    password: String,
}

/// The first-run wizard: encrypts the new database and creates the first admin, who is then
/// logged in. The admin's name and password are checked before any file is created.
#[tauri::command]
pub async fn setup_first_run(
    state: State<'_, AppState>,
    setup: SetupArgs,
) -> CmdResult<SessionView> {
    let data_dir = state.data_dir.clone();
    let existing = state
        .clinic
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let (clinic, actor) = blocking(move || {
        let username = setup.username.trim().to_string();
        password::check_username(&username)?;
        password::check_new(&setup.password, &username)?;
        let clinic = match existing {
            Some(c) => c,
            None => {
                if !clinic::keys::is_first_run(&data_dir) {
                    return Err(ClinicError::InvalidInput(
                        "Bedside is already set up".into(),
                    ));
                }
                let key = if setup.use_key_file {
                    let path = clinic::keys::key_file(&data_dir)
                        .unwrap_or_else(|| data_dir.join(clinic::keys::KEY_FILE));
                    Key::create_file(&path)?
                } else {
                    Key::new_passphrase(setup.passphrase.as_deref().unwrap_or_default())?
                };
                Clinic::open(&data_dir, &key)?
            }
        };
        let actor = clinic.create_first_admin(&username, &setup.display_name, &setup.password)?;
        import_samples(&clinic, &actor)?;
        Ok((clinic, actor))
    })
    .await?;
    set_clinic(&state, clinic);
    state.after_login(&actor);
    state.session().begin(actor, Instant::now());
    Ok(view(&state))
}

/// `scripts/run.sh` points `BEDSIDE_SAMPLE_GUIDELINES` at the bundled samples so that a first
/// run opens onto a library with something in it; the new admin imports them (audited).
fn import_samples(clinic: &Clinic, admin: &Actor) -> clinic::Result<()> {
    let Some(dir) = std::env::var_os("BEDSIDE_SAMPLE_GUIDELINES") else {
        return Ok(());
    };
    if clinic.store().document_count()? == 0 {
        clinic.import(admin, &[dir.into()], &|| false, &mut |_| {})?;
    }
    Ok(())
}

/// Opens the database with the passphrase typed at the start of the day.
#[tauri::command]
pub async fn unlock_database(
    state: State<'_, AppState>,
    passphrase: String,
) -> CmdResult<SessionView> {
    let data_dir = state.data_dir.clone();
    if clinic::keys::is_first_run(&data_dir) {
        // A first run chooses its passphrase in the wizard, with its rules, not here.
        return Err(
            ClinicError::InvalidInput("there is no database to unlock yet".into()).payload(),
        );
    }
    let clinic = blocking(move || Clinic::open(&data_dir, &Key::Passphrase(passphrase))).await?;
    set_clinic(&state, clinic);
    Ok(view(&state))
}

/// Logs a user in. The new credentials are checked first: a wrong password leaves the
/// session that was there (locked or not) exactly as it was. When someone else is already
/// logged in (switching user from the lock screen), their session ends but their unsaved
/// intake stays for their next login. The locked user's own name is an unlock, with its
/// throttle, not a login.
#[tauri::command]
pub async fn login(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> CmdResult<SessionView> {
    let owner_of_lock = {
        let session = state.session();
        session.is_locked()
            && session
                .actor()
                .is_some_and(|a| a.username().eq_ignore_ascii_case(username.trim()))
    };
    if owner_of_lock {
        return unlock_with(&state, password).await;
    }
    let clinic = state.clinic()?;
    let checker = clinic.clone();
    let actor = blocking(move || checker.login(&username, &password)).await?;
    let previous = {
        let mut session = state.session();
        let previous = session.end();
        session.begin(actor.clone(), Instant::now());
        previous
    };
    state.after_login(&actor);
    if let Some(previous) = previous.filter(|p| p.username() != actor.username()) {
        state.stop_generation();
        blocking(move || clinic.switched_from(&previous)).await?;
    }
    Ok(view(&state))
}

#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> CmdResult<SessionView> {
    state.stop_generation();
    let ended = state.session().end();
    if let Some(actor) = ended {
        let clinic = state.clinic()?;
        blocking(move || clinic.logout(&actor)).await?;
    }
    Ok(view(&state))
}

/// Locks the screen now (the user steps away); their unsaved work stays in the window.
#[tauri::command]
pub fn lock_session(state: State<'_, AppState>) -> SessionView {
    state.stop_generation();
    state.session().lock();
    view(&state)
}

/// Unlocks a locked session with the same user's password. Wrong passwords here never lock
/// the account (anyone can type at a locked screen); this workstation makes each further try
/// wait longer instead.
#[tauri::command]
pub async fn unlock_session(
    state: State<'_, AppState>,
    password: String,
) -> CmdResult<SessionView> {
    unlock_with(&state, password).await
}

async fn unlock_with(state: &AppState, password: String) -> CmdResult<SessionView> {
    let clinic = state.clinic()?;
    let actor = {
        let mut session = state.session();
        let actor = match session.actor() {
            Some(a) if session.is_locked() => a.clone(),
            Some(_) => return Ok(view(state)),
            None => return Err(ClinicError::Access(AccessError::NotAuthenticated).payload()),
        };
        // The try counts as failed until it succeeds, in the same step as the check: tries
        // sent at once cannot all pass the wait.
        let now = Instant::now();
        session
            .unlock_allowed(now)
            .map_err(|e| ClinicError::Access(e).payload())?;
        session.unlock_failed(now);
        actor
    };
    let result = blocking(move || clinic.unlock(&actor, &password)).await;
    {
        let mut session = state.session();
        match &result {
            // Unlocking also forgets the tries counted against this workstation.
            Ok(()) => session.unlock(Instant::now()),
            // A disabled account or a changed password: this session is over. Any other
            // failure (the database busy, say) leaves it locked, with its unsaved work.
            Err(e)
                if e.code == AccessError::AccountDisabled.code()
                    || e.code == AccessError::PasswordChanged.code() =>
            {
                session.end();
            }
            Err(_) => {}
        }
    }
    result?;
    Ok(view(state))
}

/// The logged-in user replaces their own password (required first when an admin set it).
#[tauri::command]
pub async fn password_change(
    state: State<'_, AppState>,
    admitted: Admitted,
    current: String,
    new_password: String,
) -> CmdResult<SessionView> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    let session = state.session.clone();
    blocking(move || {
        // The session stays held from the change to the renewal: a board refresh admitted in
        // between would find the new password under the old session's credential and end
        // the session the user has just secured.
        let mut session = session.lock().unwrap_or_else(|e| e.into_inner());
        let renewed = clinic.change_password(&actor, &current, &new_password)?;
        session.renew(renewed);
        Ok(())
    })
    .await?;
    Ok(view(&state))
}

/// The user is at the keyboard: the gate has already counted this call as activity.
#[tauri::command]
pub fn session_touch() {}

#[tauri::command]
pub async fn user_list(
    state: State<'_, AppState>,
    admitted: Admitted,
) -> CmdResult<Vec<UserRecord>> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.users(&actor)).await
}

#[tauri::command]
pub async fn user_add(
    state: State<'_, AppState>,
    admitted: Admitted,
    account: NewAccount,
) -> CmdResult<UserRecord> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.add_user(&actor, &account)).await
}

#[tauri::command]
pub async fn user_set_disabled(
    state: State<'_, AppState>,
    admitted: Admitted,
    username: String,
    disabled: bool,
) -> CmdResult<()> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.set_user_disabled(&actor, &username, disabled)).await
}

#[tauri::command]
pub async fn user_reset_password(
    state: State<'_, AppState>,
    admitted: Admitted,
    username: String,
    password: String,
) -> CmdResult<()> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.reset_password(&actor, &username, &password)).await
}

/// The filters the Admin page offers.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditQuery {
    username: Option<String>,
    action: Option<String>,
    outcome: Option<String>,
    since: Option<String>,
    until: Option<String>,
    before_id: Option<i64>,
    limit: Option<u32>,
}

#[tauri::command]
pub async fn audit_list(
    state: State<'_, AppState>,
    admitted: Admitted,
    query: Option<AuditQuery>,
) -> CmdResult<Vec<AuditRecord>> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    let q = query.unwrap_or_default();
    let blank = |s: Option<String>| s.filter(|v| !v.trim().is_empty());
    let filter = AuditFilter {
        username: blank(q.username),
        action: blank(q.action),
        outcome: blank(q.outcome),
        since: blank(q.since),
        until: blank(q.until),
        before_id: q.before_id,
        limit: Some(q.limit.unwrap_or(100).min(1000)),
    };
    blocking(move || clinic.audit_list(&actor, &filter)).await
}

/// An admin takes on the audit alarms up to row `up_to`: the banner goes, for every admin, and
/// the acknowledgement is recorded.
#[tauri::command]
pub async fn audit_alarm_ack(
    state: State<'_, AppState>,
    admitted: Admitted,
    up_to: i64,
) -> CmdResult<SessionView> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.acknowledge_audit_alarms(&actor, up_to)).await?;
    *state.audit_alarm.lock().unwrap_or_else(|e| e.into_inner()) = None;
    Ok(view(&state))
}

#[tauri::command]
pub async fn audit_verify(
    state: State<'_, AppState>,
    admitted: Admitted,
) -> CmdResult<clinic::AuditCheck> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.audit_verify(&actor)).await
}

#[tauri::command]
pub async fn settings_set_idle_lock(
    state: State<'_, AppState>,
    admitted: Admitted,
    minutes: u32,
) -> CmdResult<SessionView> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.set_idle_lock_minutes(&actor, minutes)).await?;
    state
        .session()
        .set_idle_lock(Duration::from_secs(u64::from(minutes) * 60));
    Ok(view(&state))
}
