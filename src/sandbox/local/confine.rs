//! What a confined child may do, and applying it from inside the child.
//!
//! The policy travels as JSON to `codingit __sandbox-exec`, a fresh single-threaded
//! process (inside bubblewrap when present) that restricts itself with Landlock and
//! seccomp and then executes the real command. Doing this in a fresh process rather
//! than between fork and exec avoids allocating in a forked copy of a threaded
//! parent, and lets bubblewrap set up its namespaces first: a Landlock-restricted
//! process may no longer mount anything.

use landlock::{
    Access, AccessFs, AccessNet, CompatLevel, Compatible, NetPort, PathBeneath, PathFd, Ruleset,
    RulesetAttr, RulesetCreatedAttr, RulesetStatus, Scope, ABI,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The Landlock ABI whose rules we require: filesystem, TCP ports, signal and
/// abstract-socket scoping (ABI 6, Linux 6.12).
pub const LANDLOCK_ABI: ABI = ABI::V6;

/// Everything the helper needs to confine itself and start the command.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Policy {
    /// Folders readable and executable (system folders, the template environment).
    pub read: Vec<PathBuf>,
    /// Folders readable and writable (the sandbox home and its private tmp).
    pub write: Vec<PathBuf>,
    /// Full network access (no TCP rules, all socket families).
    pub network: bool,
    /// Without network: the one TCP port the app may bind (and connect to, for its
    /// own readiness checks).
    pub port: Option<u16>,
    /// Run with whatever the kernel can enforce instead of refusing.
    pub unsafe_no_confinement: bool,
    /// The command has a network namespace of its own (bubblewrap, network off):
    /// TCP inside it reaches only the sandbox itself, so Landlock's port rule is not
    /// needed (a Nuxt dev server talks to its worker on a random port).
    #[serde(default)]
    pub own_network: bool,
    /// Without bubblewrap, as root: make that namespace here (before leaving root).
    #[serde(default)]
    pub unshare_network: bool,
    /// Leave root for this uid and gid before anything else (codingit runs as root).
    #[serde(default)]
    pub drop_to: Option<(u32, u32)>,
    /// Without bubblewrap, as root: hide the host's `/home`, `/root`, `/tmp`, `/run`
    /// in a private mount namespace, binding back only `read` and `write`.
    #[serde(default)]
    pub hide_host: bool,
    pub cwd: PathBuf,
    pub env: BTreeMap<String, String>,
    pub argv: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfineError {
    #[error("Landlock cannot enforce the sandbox's rules here: {0}")]
    Landlock(String),
    #[error("the seccomp filter could not be installed: {0}")]
    Seccomp(String),
    #[error("the sandbox cannot leave root: {0}")]
    Privileges(String),
}

impl ConfineError {
    pub fn hint() -> &'static str {
        "use a Linux kernel with Landlock ABI 6 or newer (6.12+, `lsm=landlock` enabled), \
         or the docker backend (`--backend docker`); `--unsafe-no-confinement` runs without \
         the missing protection"
    }
}

/// Checks in the parent, before anything runs, that Landlock is fully available.
pub fn probe() -> Result<(), ConfineError> {
    let ruleset = ruleset_builder(true, CompatLevel::HardRequirement)
        .map_err(|e| ConfineError::Landlock(e.to_string()))?;
    ruleset
        .create()
        .map(|_| ())
        .map_err(|e| ConfineError::Landlock(e.to_string()))
}

fn ruleset_builder(net: bool, level: CompatLevel) -> Result<Ruleset, landlock::RulesetError> {
    let mut ruleset = Ruleset::default()
        .set_compatibility(level)
        .handle_access(AccessFs::from_all(LANDLOCK_ABI))?
        .scope(Scope::from_all(LANDLOCK_ABI))?;
    if net {
        ruleset = ruleset.handle_access(AccessNet::from_all(LANDLOCK_ABI))?;
    }
    Ok(ruleset)
}

/// Restricts the calling process for good: Landlock, then no-new-privileges (set by
/// Landlock), then seccomp. Returns a warning when confinement is only partial and
/// the policy allowed it.
pub fn apply(policy: &Policy) -> Result<Option<String>, ConfineError> {
    let level = if policy.unsafe_no_confinement {
        CompatLevel::BestEffort
    } else {
        CompatLevel::HardRequirement
    };
    let mut warning = None;
    // Mounts first (Landlock forbids them), then the uid drop (which needs the
    // capabilities the mounts use), then Landlock and seccomp.
    let leave_root = || -> Result<(), String> {
        if policy.hide_host {
            super::privs::hide_host_folders(&policy.read, &policy.write)?;
        }
        if policy.unshare_network {
            super::sys::unshare_network_namespace()
                .map_err(|e| format!("cannot make a network namespace: {e}"))?;
        }
        if let Some((uid, gid)) = policy.drop_to {
            super::privs::drop_root(uid, gid)?;
        }
        Ok(())
    };
    match leave_root() {
        Ok(()) => {}
        Err(e) if policy.unsafe_no_confinement => {
            warning = Some(format!("still privileged: {e} (unsafe opt-out in effect)"));
        }
        Err(e) => return Err(ConfineError::Privileges(e)),
    }
    let landlocked = landlock_self(policy, level);
    match landlocked {
        Ok(RulesetStatus::FullyEnforced) => {}
        Ok(status) if policy.unsafe_no_confinement => {
            warning = warning.or(Some(format!(
                "Landlock is only {status:?} (unsafe opt-out in effect)"
            )));
        }
        Ok(status) => {
            return Err(ConfineError::Landlock(format!(
                "the kernel reports {status:?}"
            )));
        }
        Err(e) if policy.unsafe_no_confinement => {
            warning = Some(format!("Landlock is off: {e} (unsafe opt-out in effect)"));
        }
        Err(e) => return Err(e),
    }
    for filter in super::seccomp::filters(policy.network, policy.port.is_some())? {
        seccompiler::apply_filter(&filter).map_err(|e| ConfineError::Seccomp(e.to_string()))?;
    }
    Ok(warning)
}

fn landlock_self(policy: &Policy, level: CompatLevel) -> Result<RulesetStatus, ConfineError> {
    let err = |e: landlock::RulesetError| ConfineError::Landlock(e.to_string());
    let abi = LANDLOCK_ABI;
    let tcp_rules = !policy.network && !policy.own_network;
    let mut created = ruleset_builder(tcp_rules, level)
        .map_err(err)?
        .create()
        .map_err(err)?
        .no_new_privs(true);
    for (paths, access) in [
        (&policy.read, AccessFs::from_read(abi)),
        (&policy.write, AccessFs::from_all(abi)),
    ] {
        for path in paths {
            // A missing system folder (no /lib64 on some systems) is simply not granted.
            let Ok(fd) = PathFd::new(path) else {
                continue;
            };
            let access = if path.is_dir() {
                access
            } else {
                access & AccessFs::from_file(abi)
            };
            created = created
                .add_rule(PathBeneath::new(fd, access))
                .map_err(err)?;
        }
    }
    if tcp_rules {
        if let Some(port) = policy.port {
            created = created
                .add_rule(NetPort::new(
                    port,
                    AccessNet::BindTcp | AccessNet::ConnectTcp,
                ))
                .map_err(err)?;
        }
    }
    let status = created.restrict_self().map_err(err)?;
    Ok(status.ruleset)
}
