//! Building the command line of a confined child:
//! `[bwrap NAMESPACES --] codingit __sandbox-exec POLICY` with resource limits, a new
//! session and no-new-privileges set between fork and exec (see `sys`).

use super::confine::Policy;
use super::setup::TMP_LIMIT;
use super::state::State;
use super::sys::{self, RLimits};
use crate::sandbox::{SandboxError, SANDBOX_HOME};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The hidden first argument that turns codingit into the confinement helper.
pub const HELPER_ARG: &str = "__sandbox-exec";
/// The hidden first argument of the lifetime keeper.
pub const KEEPER_ARG: &str = "__sandbox-keeper";

/// System folders a sandbox may read and execute.
const SYSTEM_READ: &[&str] = &[
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/etc/alternatives",
    "/etc/ssl",
    "/etc/ca-certificates",
    "/etc/fonts",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/hosts",
    "/etc/host.conf",
    "/etc/resolv.conf",
    "/etc/mime.types",
    "/etc/os-release",
    // Read by pip (its platform tag in the User-Agent) on every install.
    "/etc/debian_version",
    "/etc/lsb-release",
    "/etc/matplotlibrc",
    "/etc/python3",
    "/etc/python3.11",
    "/dev",
    "/proc",
    "/sys/devices/system/cpu",
    "/sys/fs/cgroup",
];

/// How a child is started.
pub struct Launch {
    pub command: tokio::process::Command,
}

/// Where the home and tmp are as the sandboxed process sees them.
pub fn inside_paths(state: &State, home: &Path, tmp: &Path) -> (PathBuf, PathBuf) {
    if state.bwrap {
        (PathBuf::from(SANDBOX_HOME), PathBuf::from("/tmp"))
    } else {
        (home.to_path_buf(), tmp.to_path_buf())
    }
}

/// The environment every sandboxed process starts with.
pub fn base_env(state: &State, home_in: &Path, tmp_in: &Path) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    let bin = if state.template.package_manager == crate::catalog::PackageManager::Npm {
        home_in.join("node_modules/.bin")
    } else {
        state.env_dir.join("venv/bin")
    };
    env.insert(
        "PATH".into(),
        format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display()),
    );
    env.insert("HOME".into(), home_in.display().to_string());
    env.insert("TMPDIR".into(), tmp_in.display().to_string());
    env.insert("LANG".into(), "C.UTF-8".into());
    env.insert("PYTHONUNBUFFERED".into(), "1".into());
    env.insert("PYTHONDONTWRITEBYTECODE".into(), "1".into());
    env.insert(
        "PYTHONPATH".into(),
        home_in.join(".local/site-packages").display().to_string(),
    );
    env.insert("MPLBACKEND".into(), "Agg".into());
    env.insert(
        "MPLCONFIGDIR".into(),
        tmp_in.join("matplotlib").display().to_string(),
    );
    env.insert("NEXT_TELEMETRY_DISABLED".into(), "1".into());
    // Nuxt's server worker would listen on a UNIX socket, and no AF_UNIX socket can
    // be created in a sandbox: this makes it use a TCP port on loopback.
    env.insert("NITRO_NO_UNIX_SOCKET".into(), "1".into());
    env.insert("CODINGIT_SANDBOX".into(), "local".into());
    if let Ok(term) = std::env::var("TERM") {
        env.insert("TERM".into(), term);
    }
    if state.network {
        // Nothing of codingit's own environment passes by default: proxy URLs,
        // package-index URLs and registry tokens carry credentials. Only where the
        // CA bundle is (a file name, needed behind a TLS-intercepting proxy) and the
        // names the user allowed (`sandbox.env_allow`) are passed.
        for (key, value) in std::env::vars() {
            let ca = matches!(
                key.as_str(),
                "SSL_CERT_FILE" | "SSL_CERT_DIR" | "NODE_EXTRA_CA_CERTS" | "REQUESTS_CA_BUNDLE"
            );
            if ca || state.env_allow.contains(&key) {
                env.insert(key, value);
            }
        }
    }
    for (k, v) in &state.template.env {
        env.insert(k.clone(), v.clone());
    }
    for (k, v) in &state.env {
        env.insert(k.clone(), v.clone());
    }
    env
}

/// Limits of a child from the sandbox's settings.
pub fn rlimits(state: &State, cpu_seconds: u64) -> RLimits {
    let node = state.template.package_manager == crate::catalog::PackageManager::Npm;
    RLimits {
        cpu_seconds,
        // V8 reserves far more address space than it uses: bound Node by its data
        // segment only, Python by both.
        address_space: if node {
            0
        } else {
            state.memory_bytes.saturating_mul(4)
        },
        data: state.memory_bytes,
        processes: u64::from(state.pids),
        file_size: 1 << 30,
        open_files: 4096,
    }
}

/// Builds the confined command for `argv` in the sandbox.
#[allow(clippy::too_many_arguments)]
pub fn command(
    state: &State,
    home: &Path,
    tmp: &Path,
    argv: &[String],
    extra_env: &BTreeMap<String, String>,
    cwd: Option<&str>,
    cpu_seconds: u64,
    die_with_parent: bool,
) -> Result<Launch, SandboxError> {
    if let Some(uid) = state.uid {
        super::setup::give_home(home, uid);
    }
    let (home_in, tmp_in) = inside_paths(state, home, tmp);
    let mut env = base_env(state, &home_in, &tmp_in);
    env.extend(extra_env.clone());
    let cwd_rel = match cwd {
        Some(c) => super::files::relative(c)?,
        None => PathBuf::new(),
    };
    let mut read: Vec<PathBuf> = SYSTEM_READ.iter().map(PathBuf::from).collect();
    read.push(state.env_dir.clone());
    read.extend(state.env_read.iter().cloned());
    let policy = Policy {
        read: read.clone(),
        write: vec![home_in.clone(), tmp_in.clone(), PathBuf::from("/dev/null")],
        network: state.network,
        port: state.template.port,
        unsafe_no_confinement: state.unsafe_no_confinement,
        own_network: state.own_network(),
        unshare_network: state.own_network() && !state.bwrap,
        drop_to: state.uid.map(|uid| (uid, super::privs::SANDBOX_GID)),
        hide_host: state.uid.is_some() && !state.bwrap,
        cwd: home_in.join(cwd_rel),
        env,
        argv: argv.to_vec(),
    };
    let policy_json = serde_json::to_string(&policy)
        .map_err(|e| SandboxError::Backend(format!("cannot encode the sandbox policy: {e}")))?;
    let helper = std::env::current_exe()
        .map_err(|e| SandboxError::Backend(format!("cannot find the codingit binary: {e}")))?;
    let mut command = if state.bwrap {
        bwrap_command(
            state,
            home,
            tmp,
            &read,
            &helper,
            &policy.cwd,
            die_with_parent,
        )
    } else {
        tokio::process::Command::new(&helper)
    };
    command.arg(HELPER_ARG).arg(policy_json);
    command.env_clear();
    if let Ok(path) = std::env::var("PATH") {
        command.env("PATH", path);
    }
    command.current_dir(home);
    // The pids cgroup (and the cpu one, unless it is the same folder under cgroup v2).
    let mut cgroup_procs = Vec::new();
    let cpu = state
        .cpu_cgroup
        .as_ref()
        .filter(|c| Some(*c) != state.cgroup.as_ref());
    let memory = state
        .memory_cgroup
        .as_ref()
        .filter(|c| Some(*c) != state.cgroup.as_ref());
    for dir in state.cgroup.iter().chain(cpu).chain(memory) {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(dir.join("cgroup.procs"))
            .map_err(|e| {
                SandboxError::Backend(format!(
                    "cannot join the sandbox's cgroup {}: {e}",
                    dir.display()
                ))
            })?;
        cgroup_procs.push(file.into());
    }
    sys::confine_child(
        &mut command,
        rlimits(state, cpu_seconds),
        cgroup_procs,
        die_with_parent,
    );
    Ok(Launch { command })
}

/// `bwrap NAMESPACES -- HELPER`: new pid, ipc, uts, cgroup and network namespaces
/// (the host network only with `--network`), an empty root in which only what the
/// sandbox may read is bound back read-only, the sandbox home at `/home/user` and its
/// tmp at `/tmp`.
fn bwrap_command(
    state: &State,
    home: &Path,
    tmp: &Path,
    read: &[PathBuf],
    helper: &Path,
    cwd: &Path,
    die_with_parent: bool,
) -> tokio::process::Command {
    let mut c = tokio::process::Command::new("bwrap");
    // Not `--ro-bind / /`: that hands the sandbox the host's whole tree (the homes,
    // /tmp, /run with its sockets) to hide again piece by piece, and bubblewrap makes
    // each mount under `/` read-only one at a time from a reading of the mount table,
    // failing the start when a mount comes or goes meanwhile (another sandbox created
    // or removed, a container started). The folders bound here hold no such mounts.
    c.args(["--dev", "/dev", "--proc", "/proc"]);
    let mut made: Vec<PathBuf> = Vec::new();
    make_parents(&mut c, &mut made, Path::new(SANDBOX_HOME));
    c.arg("--bind").arg(home).arg(SANDBOX_HOME);
    if state.mounts.iter().any(|m| m == tmp) {
        // As root: the sandbox's own size-limited tmpfs, shared by its commands.
        c.arg("--bind").arg(tmp).arg("/tmp");
    } else {
        // A size-limited tmpfs of this command's own.
        c.arg("--size").arg(TMP_LIMIT.to_string());
        c.args(["--perms", "0700", "--tmpfs", "/tmp"]);
    }
    made.push(PathBuf::from("/tmp"));
    let mut bound: Vec<&Path> = Vec::new();
    // After /tmp: the codingit binary may live under it.
    for path in read.iter().map(PathBuf::as_path).chain([helper]) {
        let fresh = path == Path::new("/dev") || path == Path::new("/proc");
        if fresh || bound.iter().any(|b| path.starts_with(b)) || !path.exists() {
            continue;
        }
        // bubblewrap would make the folders on the way 0700 (root's): the sandbox
        // uid must be able to pass through them.
        make_parents(&mut c, &mut made, path);
        c.arg("--ro-bind").arg(path).arg(path);
        bound.push(path);
    }
    c.args([
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--hostname",
        "sandbox",
    ]);
    // As root the helper leaves root for a real host uid after the mounts; a user
    // namespace would leave that uid unmapped. Otherwise bubblewrap needs one.
    if state.uid.is_none() {
        c.arg("--unshare-user-try");
    }
    // Web apps too: the preview reaches them through a relay (see `relay`).
    if !state.network {
        c.arg("--unshare-net");
    }
    if die_with_parent {
        c.arg("--die-with-parent");
    }
    c.arg("--chdir").arg(cwd);
    c.arg("--").arg(helper);
    c
}

/// `--dir` for each folder above `path` not made yet, searchable by everyone.
fn make_parents(c: &mut tokio::process::Command, made: &mut Vec<PathBuf>, path: &Path) {
    let mut ancestors: Vec<&Path> = path
        .ancestors()
        .skip(1)
        .filter(|a| a.parent().is_some())
        .collect();
    ancestors.reverse();
    for dir in ancestors {
        if !made.iter().any(|m| m == dir) {
            c.args(["--perms", "0755", "--dir"]).arg(dir);
            made.push(dir.to_path_buf());
        }
    }
}
