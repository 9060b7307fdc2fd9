//! Package installs and a Node sandbox's first files.

use super::env;
use super::spawn;
use super::state::{State, Store};
use crate::catalog::{PackageManager, TemplateDef};
use crate::sandbox::SandboxError;
use std::path::Path;

/// Marks a sandbox's `node_modules` that is still links to the shared packages.
const SHARED_MARKER: &str = ".codingit-shared";

/// The command that installs validated package names into the sandbox.
pub fn argv(
    store: &Store,
    state: &State,
    manager: PackageManager,
    packages: &[String],
) -> Result<Vec<String>, SandboxError> {
    let packages = crate::sandbox::package_args(manager, packages)?;
    let home = store.home(&state.id);
    let (home_in, _) = spawn::inside_paths(state, &home, &store.tmp(&state.id));
    Ok(match manager {
        PackageManager::Pip => {
            let mut argv: Vec<String> = [
                "python3",
                "-m",
                "pip",
                "install",
                "--no-input",
                "--disable-pip-version-check",
                "--progress-bar",
                "off",
                "--target",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            argv.push(home_in.join(".local/site-packages").display().to_string());
            argv.extend(packages.iter().cloned());
            argv
        }
        PackageManager::Npm => {
            // The shared node_modules is read-only: give this sandbox its own copy.
            let modules = home.join("node_modules");
            // The marker only says the folder is still the links; what to copy comes
            // from the state, never from the sandbox's own files.
            if modules.join(SHARED_MARKER).symlink_metadata().is_ok() {
                let target = state.env_dir.join("app/node_modules");
                std::fs::remove_dir_all(&modules).map_err(|e| SandboxError::Io(e.to_string()))?;
                let status = std::process::Command::new("cp")
                    .arg("-a")
                    .arg(&target)
                    .arg(&modules)
                    .status()
                    .map_err(|e| SandboxError::Io(format!("cannot copy node_modules: {e}")))?;
                if !status.success() {
                    return Err(SandboxError::Io("cannot copy node_modules".into()));
                }
            }
            let mut argv: Vec<String> = ["npm", "install", "--no-audit", "--no-fund"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            argv.extend(packages.iter().cloned());
            argv
        }
    })
}

/// A Node sandbox starts with the scaffold's files and the shared `node_modules`.
pub fn seed_node_home(home: &Path, app: &Path, template: &TemplateDef) -> Result<(), SandboxError> {
    let io = |e: std::io::Error| SandboxError::Io(format!("cannot prepare the sandbox home: {e}"));
    // A folder of links to the shared packages rather than one link to the shared
    // folder: tools write caches into `node_modules/.cache` (Vite under Nuxt), which
    // must be the sandbox's own; the shared packages stay read-only.
    let shared = app.join("node_modules");
    let modules = home.join("node_modules");
    std::fs::create_dir(&modules).map_err(io)?;
    for entry in std::fs::read_dir(&shared).map_err(io)? {
        let entry = entry.map_err(io)?;
        if entry.file_name() == ".cache" {
            continue;
        }
        std::os::unix::fs::symlink(entry.path(), modules.join(entry.file_name())).map_err(io)?;
    }
    std::fs::write(modules.join(SHARED_MARKER), b"").map_err(io)?;
    let mut names = vec!["package.json".to_string()];
    if let Some(scaffold) = env::scaffold(template) {
        names.extend(scaffold.files.iter().map(|(n, _)| n.to_string()));
    }
    for name in names {
        let from = app.join(&name);
        let to = home.join(&name);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::copy(&from, &to).map_err(io)?;
    }
    Ok(())
}
