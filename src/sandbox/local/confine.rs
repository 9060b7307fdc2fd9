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
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch,
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
    let landlocked = landlock_self(policy, level);
    match landlocked {
        Ok(RulesetStatus::FullyEnforced) => {}
        Ok(status) if policy.unsafe_no_confinement => {
            warning = Some(format!(
                "Landlock is only {status:?} (unsafe opt-out in effect)"
            ));
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
    for filter in seccomp_filters(policy.network, policy.port.is_some())? {
        seccompiler::apply_filter(&filter).map_err(|e| ConfineError::Seccomp(e.to_string()))?;
    }
    Ok(warning)
}

fn landlock_self(policy: &Policy, level: CompatLevel) -> Result<RulesetStatus, ConfineError> {
    let err = |e: landlock::RulesetError| ConfineError::Landlock(e.to_string());
    let abi = LANDLOCK_ABI;
    let mut created = ruleset_builder(!policy.network, level)
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
    if !policy.network {
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

const EPERM: u32 = 1;
const ENOSYS: u32 = 38;

fn cond(arg: u8, op: SeccompCmpOp, value: u64) -> Result<SeccompCondition, ConfineError> {
    SeccompCondition::new(arg, SeccompCmpArgLen::Dword, op, value)
        .map_err(|e| ConfineError::Seccomp(e.to_string()))
}

fn rule(conditions: Vec<SeccompCondition>) -> Result<SeccompRule, ConfineError> {
    SeccompRule::new(conditions).map_err(|e| ConfineError::Seccomp(e.to_string()))
}

/// Deny-list filters: the listed calls fail, everything else is allowed.
pub fn seccomp_filters(network: bool, tcp_server: bool) -> Result<Vec<BpfProgram>, ConfineError> {
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    // Calls that have no business in a sandbox: debugging other processes, mounts,
    // kernel modules and keys, BPF, new namespaces, leaving the process group,
    // rebooting, and kernel interfaces with a history of escapes.
    for call in [
        libc::SYS_ptrace,
        libc::SYS_process_vm_readv,
        libc::SYS_process_vm_writev,
        libc::SYS_mount,
        libc::SYS_umount2,
        libc::SYS_pivot_root,
        libc::SYS_chroot,
        libc::SYS_move_mount,
        libc::SYS_open_tree,
        libc::SYS_fsopen,
        libc::SYS_fsmount,
        libc::SYS_fsconfig,
        libc::SYS_fspick,
        libc::SYS_init_module,
        libc::SYS_finit_module,
        libc::SYS_delete_module,
        libc::SYS_bpf,
        libc::SYS_keyctl,
        libc::SYS_add_key,
        libc::SYS_request_key,
        libc::SYS_unshare,
        libc::SYS_setns,
        libc::SYS_reboot,
        libc::SYS_kexec_load,
        libc::SYS_kexec_file_load,
        libc::SYS_swapon,
        libc::SYS_swapoff,
        libc::SYS_acct,
        libc::SYS_quotactl,
        libc::SYS_syslog,
        libc::SYS_perf_event_open,
        libc::SYS_userfaultfd,
        libc::SYS_io_uring_setup,
        libc::SYS_io_uring_enter,
        libc::SYS_io_uring_register,
        libc::SYS_open_by_handle_at,
        libc::SYS_name_to_handle_at,
        libc::SYS_setsid,
        libc::SYS_setpgid,
    ] {
        rules.insert(call, vec![]);
    }
    // clone with any namespace flag.
    let namespaces = (libc::CLONE_NEWNS
        | libc::CLONE_NEWUSER
        | libc::CLONE_NEWPID
        | libc::CLONE_NEWNET
        | libc::CLONE_NEWUTS
        | libc::CLONE_NEWIPC
        | libc::CLONE_NEWCGROUP) as u64;
    let mut clone_rules = Vec::new();
    for flag in [
        libc::CLONE_NEWNS,
        libc::CLONE_NEWUSER,
        libc::CLONE_NEWPID,
        libc::CLONE_NEWNET,
        libc::CLONE_NEWUTS,
        libc::CLONE_NEWIPC,
        libc::CLONE_NEWCGROUP,
    ] {
        let flag = flag as u64 & namespaces;
        clone_rules.push(rule(vec![cond(0, SeccompCmpOp::MaskedEq(flag), flag)?])?);
    }
    rules.insert(libc::SYS_clone, clone_rules);
    // Sockets: local (AF_UNIX) always; TCP only for a web template (Landlock then
    // limits it to the app's port) or with network on.
    let unix = libc::AF_UNIX as u64;
    let inet = libc::AF_INET as u64;
    let inet6 = libc::AF_INET6 as u64;
    let mut socket_rules = Vec::new();
    if network {
        socket_rules.push(rule(vec![
            cond(0, SeccompCmpOp::Ne, unix)?,
            cond(0, SeccompCmpOp::Ne, inet)?,
            cond(0, SeccompCmpOp::Ne, inet6)?,
        ])?);
    } else if tcp_server {
        socket_rules.push(rule(vec![
            cond(0, SeccompCmpOp::Ne, unix)?,
            cond(0, SeccompCmpOp::Ne, inet)?,
            cond(0, SeccompCmpOp::Ne, inet6)?,
        ])?);
        // Landlock rules cover TCP only, so every other IP socket type is refused.
        for family in [inet, inet6] {
            for kind in [
                libc::SOCK_DGRAM,
                libc::SOCK_RAW,
                libc::SOCK_SEQPACKET,
                libc::SOCK_RDM,
            ] {
                socket_rules.push(rule(vec![
                    cond(0, SeccompCmpOp::Eq, family)?,
                    cond(1, SeccompCmpOp::MaskedEq(0xf), kind as u64)?,
                ])?);
            }
        }
    } else {
        socket_rules.push(rule(vec![cond(0, SeccompCmpOp::Ne, unix)?])?);
    }
    rules.insert(libc::SYS_socket, socket_rules);
    let filter = SeccompFilter::new(
        rules,
        SeccompAction::Allow,
        SeccompAction::Errno(EPERM),
        target_arch()?,
    )
    .map_err(|e| ConfineError::Seccomp(e.to_string()))?;
    let program: BpfProgram = filter
        .try_into()
        .map_err(|e: seccompiler::BackendError| ConfineError::Seccomp(e.to_string()))?;
    // clone3 passes its flags in memory the filter cannot read: make the C library
    // fall back to clone, whose flags it can.
    let clone3 = SeccompFilter::new(
        BTreeMap::from([(libc::SYS_clone3, vec![])]),
        SeccompAction::Allow,
        SeccompAction::Errno(ENOSYS),
        target_arch()?,
    )
    .map_err(|e| ConfineError::Seccomp(e.to_string()))?;
    let clone3: BpfProgram = clone3
        .try_into()
        .map_err(|e: seccompiler::BackendError| ConfineError::Seccomp(e.to_string()))?;
    Ok(vec![clone3, program])
}

fn target_arch() -> Result<TargetArch, ConfineError> {
    TargetArch::try_from(std::env::consts::ARCH).map_err(|e| ConfineError::Seccomp(e.to_string()))
}
