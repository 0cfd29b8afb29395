//! Every command the window registers is declared for permission generation and granted to the
//! window, and nothing else is: a command added to one list and not the others fails here, not
//! in front of a nurse as "command not allowed".

use std::collections::BTreeSet;
use std::path::Path;

fn read(rel: &str) -> String {
    // Read at run time: a reused target directory may hold this binary from another checkout.
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo and nextest");
    std::fs::read_to_string(Path::new(&dir).join(rel)).unwrap()
}

/// The `…commands::NAME` entries of `generate_handler![…]` in lib.rs.
fn registered() -> BTreeSet<String> {
    let main = read("src/lib.rs");
    let start = main
        .find("generate_handler![")
        .expect("lib.rs registers commands");
    let block = &main[start..start + main[start..].find(']').unwrap()];
    block
        .split("commands::")
        .skip(1)
        .map(|s| {
            s.split(|c: char| !c.is_alphanumeric() && c != '_')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// The names in build.rs's `COMMANDS`.
fn declared() -> BTreeSet<String> {
    let build = read("build.rs");
    let start = build.find("const COMMANDS").unwrap();
    let block = &build[start..start + build[start..].find("];").unwrap()];
    block
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The app permissions (`allow-…`, not a plugin's `x:…`) the default capability grants, as
/// command names.
fn granted() -> BTreeSet<String> {
    let cap: serde_json::Value = serde_json::from_str(&read("capabilities/default.json")).unwrap();
    cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter(|p| !p.contains(':'))
        .map(|p| {
            p.strip_prefix("allow-")
                .expect("only allow- permissions")
                .replace('-', "_")
        })
        .collect()
}

#[test]
fn every_registered_command_is_declared_and_granted_and_nothing_else() {
    let registered = registered();
    assert!(registered.len() >= 6, "{registered:?}");
    assert_eq!(
        declared(),
        registered,
        "build.rs COMMANDS differs from generate_handler!"
    );
    assert_eq!(
        granted(),
        registered,
        "capabilities/default.json differs from generate_handler!"
    );
    let with_policy: BTreeSet<String> = bedside_app::gate::POLICY
        .iter()
        .map(|(c, _, _)| c.to_string())
        .collect();
    assert_eq!(
        with_policy, registered,
        "gate::POLICY differs from generate_handler!: every command declares who may call it"
    );
}

/// The window loads nothing from anywhere but its own bundle and talks only to the IPC
/// channel; inline or evaluated script never runs, so text that looks like HTML stays text.
#[test]
fn content_security_policy_is_strict() {
    let conf: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    let csp = conf["app"]["security"]["csp"]
        .as_str()
        .expect("a CSP is set");
    let directive = |name: &str| -> Vec<String> {
        csp.split(';')
            .map(str::trim)
            .find(|d| d.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no {name} in {csp}"))
            .split_whitespace()
            .skip(1)
            .map(str::to_string)
            .collect()
    };
    assert_eq!(directive("default-src"), ["'self'"]);
    assert_eq!(directive("script-src"), ["'self'"]);
    assert_eq!(directive("object-src"), ["'none'"]);
    assert_eq!(directive("connect-src"), ["ipc:", "http://ipc.localhost"]);
    assert!(!csp.contains("unsafe-eval") && !csp.contains("https:") && !csp.contains('*'));
}

/// The window is granted its own commands and the one plugin command it calls (the open-file
/// dialog), nothing broader: `core:default` would let any script in the page read images from
/// paths, build trays and menus, hide or reparent webviews and listen to every app event, none of
/// which the UI uses (ui/src imports only `invoke` and `Channel` from `@tauri-apps/api/core`,
/// and `open` from the dialog plugin; a channel's data needs no permission).
#[test]
fn the_window_gets_no_plugin_permission_it_does_not_use() {
    let cap: serde_json::Value = serde_json::from_str(&read("capabilities/default.json")).unwrap();
    let plugin: Vec<&str> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            // A permission given with a scope is an object naming it.
            p.as_str()
                .or_else(|| p["identifier"].as_str())
                .expect("a permission is a name or an object with an identifier")
        })
        .filter(|p| p.contains(':'))
        .collect();
    assert_eq!(
        plugin,
        ["dialog:allow-open"],
        "capabilities/default.json grants plugin permissions beyond the open-file dialog"
    );
    assert!(
        cap.get("remote").is_none(),
        "no remote origin may reach the app's commands"
    );
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
}

/// `Object.prototype` is frozen before any script of the page runs, so a polluted prototype
/// cannot turn a later `{}` into something the IPC layer or React trusts.
#[test]
fn the_object_prototype_is_frozen() {
    let conf: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    assert_eq!(conf["app"]["security"]["freezePrototype"], true);
}
