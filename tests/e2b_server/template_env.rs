//! What a sandbox's processes see of this machine. An E2B sandbox is a microVM of its
//! own: it sees none of the host's files, and its template has the template's
//! libraries installed. Here the host's system folders stand in for the base image
//! (read-only), the homes, /tmp and /run are hidden, and a template of ours gets the
//! environment the local backend prepared for it (`templates build T --backend local`:
//! a virtual environment, or a Node app's `node_modules`), bound back read-only with
//! the interpreter it was made from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Host folders a sandbox must not see (they hold users' files, sockets, secrets).
const HIDDEN: &[&str] = &["/home", "/root", "/tmp", "/run"];

/// The prepared environment of one template, as the local backend recorded it.
#[derive(Clone, Debug)]
pub struct TemplateEnv {
    /// Prepended to PATH.
    pub bin: PathBuf,
    /// `venv` of a Python template (`VIRTUAL_ENV`), the app of a Node one (`NODE_PATH`).
    pub venv: Option<PathBuf>,
    pub node_modules: Option<PathBuf>,
    /// Folders bound back read-only: the environment and what it reads (the base
    /// interpreter's prefix, Node's).
    pub read: Vec<PathBuf>,
}

/// The environment of our template `template` in the local backend's `cache`, when
/// it is one of ours and is built.
pub fn find(cache: &Path, template: &str) -> Option<TemplateEnv> {
    let catalog = codingit::catalog::TemplateCatalog::builtin().ok()?;
    let def = catalog.get(template).ok()?;
    let dir = codingit::sandbox::local::env_dir(cache, def);
    let text = std::fs::read(dir.join("env.json")).ok()?;
    let recorded: serde_json::Value = serde_json::from_slice(&text).ok()?;
    let path = |key: &str| recorded[key].as_str().map(PathBuf::from);
    let mut read = vec![path("dir")?];
    read.extend(
        recorded["read"]
            .as_array()?
            .iter()
            .filter_map(|p| p.as_str().map(PathBuf::from)),
    );
    let app = path("app");
    Some(TemplateEnv {
        bin: path("bin")?,
        venv: app.is_none().then(|| dir.join("venv")),
        node_modules: app.map(|a| a.join("node_modules")),
        read,
    })
}

/// The host's own python3 (its real prefix: pyenv's shims live in a hidden home),
/// which stands in for the base image's interpreter.
fn host_python_prefix() -> Option<PathBuf> {
    static PREFIX: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    PREFIX
        .get_or_init(|| {
            let out = std::process::Command::new("python3")
                .args(["-c", "import sys; print(sys.base_prefix)"])
                .output()
                .ok()?;
            let prefix = String::from_utf8_lossy(&out.stdout).trim().to_string();
            (out.status.success() && !prefix.is_empty()).then(|| PathBuf::from(prefix))
        })
        .clone()
}

/// The bubblewrap mounts (after `--ro-bind / /`) and the base variables of a process
/// of a sandbox whose template environment is `env`.
pub fn mounts_and_env(env: Option<&TemplateEnv>) -> (Vec<String>, BTreeMap<String, String>) {
    let mut args: Vec<String> = Vec::new();
    for root in HIDDEN {
        // `/run` and the like may be links on some hosts: only real folders are hidden.
        if std::fs::symlink_metadata(root).is_ok_and(|m| m.is_dir()) {
            args.extend(["--tmpfs".into(), root.to_string()]);
        }
    }
    let python = host_python_prefix();
    let mut read: Vec<PathBuf> = env.map(|e| e.read.clone()).unwrap_or_default();
    read.extend(python.clone());
    for path in read.iter().filter(|p| p.exists()) {
        if HIDDEN.iter().any(|root| path.starts_with(root)) {
            let path = path.display().to_string();
            args.extend(["--ro-bind".into(), path.clone(), path]);
        }
    }
    let mut path: Vec<String> = Vec::new();
    path.extend(env.map(|e| e.bin.display().to_string()));
    path.extend(python.map(|p| p.join("bin").display().to_string()));
    path.extend(["/usr/local/bin", "/usr/bin", "/bin"].map(String::from));
    let mut vars = BTreeMap::new();
    vars.insert("PATH".to_string(), path.join(":"));
    if let Some(venv) = env.and_then(|e| e.venv.as_ref()) {
        vars.insert("VIRTUAL_ENV".into(), venv.display().to_string());
    }
    if let Some(modules) = env.and_then(|e| e.node_modules.as_ref()) {
        vars.insert("NODE_PATH".into(), modules.display().to_string());
    }
    (args, vars)
}

/// A Node template's sandbox starts in its app, as on E2B where the template's image
/// holds it at /home/user: the app's files copied, and a `node_modules` of links to
/// the prepared packages (its own folder, so tools can write their caches there).
pub fn seed_home(env: &TemplateEnv, home: &Path) {
    let Some(app) = env.node_modules.as_ref().and_then(|m| m.parent()) else {
        return;
    };
    copy_app(app, home);
    let modules = home.join("node_modules");
    std::fs::create_dir_all(&modules).unwrap();
    for entry in std::fs::read_dir(app.join("node_modules"))
        .unwrap()
        .flatten()
    {
        if entry.file_name() != ".cache" {
            std::os::unix::fs::symlink(entry.path(), modules.join(entry.file_name())).unwrap();
        }
    }
}

/// The app's files and folders but its packages.
fn copy_app(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().unwrap();
        if entry.file_name() == "node_modules" || kind.is_symlink() {
            continue;
        }
        if kind.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_app(&source, &target);
        } else {
            std::fs::copy(&source, &target).unwrap();
        }
    }
}
