//! Template environments in the cache: a Python virtual environment with the
//! template's libraries, or a prepared `node_modules` for the Node templates.
//!
//! `<cache>/templates/<id>/<hash>/` where the hash covers everything the build
//! depends on; a finished environment holds `env.json`, written last, so a
//! half-built one (killed build) is never used and is rebuilt from scratch. Builds
//! happen in place because a virtual environment names its own folder inside, one at
//! a time per environment (a lock file beside its folder).

use crate::catalog::{PackageManager, TemplateDef};
use crate::sandbox::{BuildProgress, SandboxError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};

/// Bump when the layout of an environment changes.
const LAYOUT: &str = "1";

/// A finished environment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Env {
    pub dir: PathBuf,
    /// Folders outside the environment it reads (the base interpreter's prefix).
    pub read: Vec<PathBuf>,
    /// Prepended to PATH inside the sandbox.
    pub bin: PathBuf,
    /// For Node templates: the scaffold whose files and `node_modules` a sandbox uses.
    pub app: Option<PathBuf>,
}

pub fn env_dir(cache: &Path, template: &TemplateDef) -> PathBuf {
    let mut hash = Sha256::new();
    hash.update(LAYOUT);
    hash.update(template.id.as_bytes());
    hash.update(template.package_manager.as_str());
    for p in &template.preinstalled {
        hash.update([0]);
        hash.update(p.as_bytes());
    }
    // Every file of the scaffold: a changed config must not reuse an app made with the
    // old one.
    if let Some(scaffold) = scaffold(template) {
        hash.update(scaffold.package_json);
        for (name, text) in scaffold.files {
            hash.update([0]);
            hash.update(name.as_bytes());
            hash.update([0]);
            hash.update(text.as_bytes());
        }
    }
    let digest = hash.finalize();
    let short: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    cache.join("templates").join(&template.id).join(short)
}

/// The environment when it is built, else None.
pub fn find(cache: &Path, template: &TemplateDef) -> Option<Env> {
    let dir = env_dir(cache, template);
    let text = std::fs::read(dir.join("env.json")).ok()?;
    let env: Env = serde_json::from_slice(&text).ok()?;
    // A removed base interpreter makes the environment stale.
    env.read.iter().all(|p| p.exists()).then_some(env)
}

fn build_err(template: &TemplateDef, message: impl Into<String>) -> SandboxError {
    SandboxError::Build {
        template: template.id.clone(),
        message: message.into(),
    }
}

/// Builds the environment unless it is there.
pub async fn ensure(
    cache: &Path,
    template: &TemplateDef,
    progress: &(dyn Fn(BuildProgress) + Send + Sync),
) -> Result<Env, SandboxError> {
    if let Some(env) = find(cache, template) {
        return Ok(env);
    }
    let dir = env_dir(cache, template);
    // Two builds of one environment at once (two `run`s, two test binaries on a cold
    // cache) would create the same virtual environment in one folder and both fail;
    // the second waits for the first and then takes its result.
    let _lock = lock(&dir, template).await?;
    if let Some(env) = find(cache, template) {
        return Ok(env);
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .map_err(|e| build_err(template, format!("cannot clear {}: {e}", dir.display())))?;
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| build_err(template, format!("cannot create {}: {e}", dir.display())))?;
    let result = match template.package_manager {
        PackageManager::Pip => build_python(&dir, template, progress).await,
        PackageManager::Npm => build_node(&dir, template, progress).await,
    };
    let env = match result {
        Ok(env) => env,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(e);
        }
    };
    let text = serde_json::to_vec_pretty(&env).map_err(|e| build_err(template, e.to_string()))?;
    // Written whole or not at all: a build killed here leaves no half `env.json`.
    let partial = dir.join("env.json.partial");
    std::fs::write(&partial, text)
        .and_then(|()| std::fs::rename(&partial, dir.join("env.json")))
        .map_err(|e| build_err(template, e.to_string()))?;
    find(cache, template).ok_or_else(|| build_err(template, "the built environment is unusable"))
}

/// An exclusive lock on `<dir>.lock`, held until the returned file is dropped; waits
/// (off the async workers) while another process or task builds the environment.
async fn lock(dir: &Path, template: &TemplateDef) -> Result<std::fs::File, SandboxError> {
    let path = dir.with_extension("lock");
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| build_err(template, format!("cannot create {}: {e}", parent.display())))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| build_err(template, format!("cannot open {}: {e}", path.display())))?;
    tokio::task::spawn_blocking(move || {
        rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive).map(|()| file)
    })
    .await
    .map_err(|e| build_err(template, format!("waiting for the build lock: {e}")))?
    .map_err(|e| build_err(template, format!("cannot lock {}: {e}", path.display())))
}

/// The real path of an interpreter on PATH (pyenv and asdf shims resolve to their target).
async fn resolve_python(template: &TemplateDef) -> Result<(PathBuf, PathBuf), SandboxError> {
    let script = "import os, sys; print(os.path.realpath(sys.executable)); print(sys.base_prefix)";
    let output = tokio::process::Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::null())
        .output()
        .await
        .map_err(|e| {
            build_err(
                template,
                format!("cannot run python3 ({e})\n  how to fix: install Python 3 (with venv) and put python3 on PATH"),
            )
        })?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = text.lines();
    match (lines.next(), lines.next()) {
        (Some(exe), Some(prefix)) if output.status.success() => {
            Ok((PathBuf::from(exe), PathBuf::from(prefix)))
        }
        _ => Err(build_err(
            template,
            format!(
                "python3 did not report its location: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        )),
    }
}

async fn run_logged(
    template: &TemplateDef,
    mut command: tokio::process::Command,
    what: &str,
    progress: &(dyn Fn(BuildProgress) + Send + Sync),
) -> Result<(), SandboxError> {
    progress(BuildProgress::Step(what.to_string()));
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| build_err(template, format!("{what}: cannot start: {e}")))?;
    let mut tail: Vec<String> = Vec::new();
    let (Some(out), Some(err)) = (child.stdout.take(), child.stderr.take()) else {
        return Err(build_err(template, format!("{what}: no output pipes")));
    };
    let mut out = BufReader::new(out).lines();
    let mut err = BufReader::new(err).lines();
    let (mut out_done, mut err_done) = (false, false);
    while !(out_done && err_done) {
        let line = tokio::select! {
            l = out.next_line(), if !out_done => l,
            l = err.next_line(), if !err_done => { match l { Ok(None) | Err(_) => { err_done = true; continue } l => l } },
        };
        match line {
            Ok(Some(line)) => {
                progress(BuildProgress::Log(line.clone()));
                tail.push(line);
                if tail.len() > 30 {
                    tail.remove(0);
                }
            }
            _ => out_done = true,
        }
    }
    let status = child
        .wait()
        .await
        .map_err(|e| build_err(template, format!("{what}: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(build_err(
            template,
            format!(
                "{what} failed ({status}):\n{}\n  how to fix: check the network (or a proxy's CA \
                 certificate: set PIP_CERT / NODE_EXTRA_CA_CERTS), then run \
                 `codingit templates build {} --backend local` again",
                tail.join("\n"),
                template.id
            ),
        ))
    }
}

async fn build_python(
    dir: &Path,
    template: &TemplateDef,
    progress: &(dyn Fn(BuildProgress) + Send + Sync),
) -> Result<Env, SandboxError> {
    let (python, prefix) = resolve_python(template).await?;
    let venv = dir.join("venv");
    let mut command = tokio::process::Command::new(&python);
    command.arg("-m").arg("venv").arg(&venv);
    run_logged(
        template,
        command,
        "creating the virtual environment",
        progress,
    )
    .await?;
    if !template.preinstalled.is_empty() {
        let mut command = tokio::process::Command::new(venv.join("bin/python"));
        command
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
                "--progress-bar",
                "off",
            ])
            .args(&template.preinstalled);
        let what = format!("installing {}", template.preinstalled.join(", "));
        run_logged(template, command, &what, progress).await?;
    }
    Ok(Env {
        dir: dir.to_path_buf(),
        read: vec![prefix],
        bin: dir.join("venv/bin"),
        app: None,
    })
}

/// The files of a Node template's scaffold.
pub struct Scaffold {
    pub package_json: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

pub fn scaffold(template: &TemplateDef) -> Option<Scaffold> {
    if template.package_manager != PackageManager::Npm {
        return None;
    }
    let nuxt = template.preinstalled.iter().any(|p| p == "nuxt");
    Some(if nuxt {
        Scaffold {
            package_json: include_str!("scaffold/nuxt/package.json"),
            files: &[(
                "nuxt.config.ts",
                include_str!("scaffold/nuxt/nuxt.config.ts"),
            )],
        }
    } else {
        Scaffold {
            package_json: include_str!("scaffold/next/package.json"),
            files: &[
                (
                    "next.config.js",
                    include_str!("scaffold/next/next.config.js"),
                ),
                (
                    "tailwind.config.js",
                    include_str!("scaffold/next/tailwind.config.js"),
                ),
                (
                    "postcss.config.js",
                    include_str!("scaffold/next/postcss.config.js"),
                ),
                ("tsconfig.json", include_str!("scaffold/next/tsconfig.json")),
                (
                    "styles/globals.css",
                    include_str!("scaffold/next/globals.css"),
                ),
                ("pages/_app.tsx", include_str!("scaffold/next/_app.tsx")),
            ],
        }
    })
}

async fn build_node(
    dir: &Path,
    template: &TemplateDef,
    progress: &(dyn Fn(BuildProgress) + Send + Sync),
) -> Result<Env, SandboxError> {
    let Some(scaffold) = scaffold(template) else {
        return Err(build_err(template, "no scaffold for this template"));
    };
    let app = dir.join("app");
    std::fs::create_dir_all(&app).map_err(|e| build_err(template, e.to_string()))?;
    std::fs::write(app.join("package.json"), scaffold.package_json)
        .map_err(|e| build_err(template, e.to_string()))?;
    for (name, text) in scaffold.files {
        let path = app.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| build_err(template, e.to_string()))?;
        }
        std::fs::write(path, text).map_err(|e| build_err(template, e.to_string()))?;
    }
    let mut command = tokio::process::Command::new("npm");
    command
        .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&app);
    run_logged(
        template,
        command,
        "installing node_modules (npm install)",
        progress,
    )
    .await?;
    let node = which("node").ok_or_else(|| {
        build_err(
            template,
            "node is not on PATH\n  how to fix: install Node.js 18 or newer",
        )
    })?;
    let prefix = node
        .canonicalize()
        .ok()
        .and_then(|p| p.parent().and_then(Path::parent).map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("/usr"));
    Ok(Env {
        dir: dir.to_path_buf(),
        read: vec![prefix],
        bin: dir.join("app/node_modules/.bin"),
        app: Some(dir.join("app")),
    })
}

/// The first `name` on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::TemplateCatalog;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Builds of one environment at once on a cold cache: the others wait for the first
    /// and take its result (they used to create one virtual environment together, and
    /// on a slow machine fail).
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_builds_of_one_environment_all_succeed() {
        let tmp = tempfile::tempdir().unwrap();
        let catalog = TemplateCatalog::builtin().unwrap();
        let mut template = catalog.get("code-interpreter-v1").unwrap().clone();
        // No packages: the venv alone is what two builds fought over, and needs no network.
        template.preinstalled.clear();
        template.id = "concurrent-build-test".into();
        let cache = std::sync::Arc::new(tmp.path().to_path_buf());
        let template = std::sync::Arc::new(template);
        let steps = std::sync::Arc::new(AtomicUsize::new(0));
        let builds: Vec<_> = (0..4)
            .map(|_| {
                let (cache, template) = (cache.clone(), template.clone());
                let steps = steps.clone();
                tokio::spawn(async move {
                    let count = move |p: BuildProgress| {
                        if let BuildProgress::Step(_) = p {
                            steps.fetch_add(1, Ordering::SeqCst);
                        }
                    };
                    ensure(&cache, &template, &count).await
                })
            })
            .collect();
        let mut dirs = Vec::new();
        for build in builds {
            dirs.push(build.await.unwrap().unwrap());
        }
        let a = &dirs[0];
        assert!(dirs.iter().all(|d| d.dir == a.dir));
        // One build ran (its one step); the others waited and took its result.
        assert_eq!(
            steps.load(Ordering::SeqCst),
            1,
            "the environment was built more than once"
        );
        assert!(
            a.bin.join("python").exists(),
            "no interpreter in {:?}",
            a.bin
        );
    }
}
