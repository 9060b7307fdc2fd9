//! The seccomp filter every sandboxed process runs under: a deny-list of calls that
//! reach outside the sandbox where Landlock and the uid drop do not.

use super::confine::ConfineError;
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch,
};
use std::collections::BTreeMap;

const EPERM: u32 = 1;
const ENOSYS: u32 = 38;

fn cond(arg: u8, op: SeccompCmpOp, value: u64) -> Result<SeccompCondition, ConfineError> {
    SeccompCondition::new(arg, SeccompCmpArgLen::Dword, op, value)
        .map_err(|e| ConfineError::Seccomp(e.to_string()))
}

fn rule(conditions: Vec<SeccompCondition>) -> Result<SeccompRule, ConfineError> {
    SeccompRule::new(conditions).map_err(|e| ConfineError::Seccomp(e.to_string()))
}

/// Calls that have no business in a sandbox: debugging other processes, mounts,
/// kernel modules and keys, BPF, new namespaces, leaving the process group,
/// rebooting, and kernel interfaces with a history of escapes.
const DENIED: &[i64] = &[
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
];

/// `fchmodat2` (Linux 6.6); not in every libc crate version.
const SYS_FCHMODAT2: i64 = 452;

/// The filters to install, in order: clone3 answers ENOSYS (its flags are in memory
/// the filter cannot read, so the C library falls back to clone), then the deny-list.
pub fn filters(network: bool, tcp_server: bool) -> Result<Vec<BpfProgram>, ConfineError> {
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    for call in DENIED {
        rules.insert(*call, vec![]);
    }
    rules.insert(libc::SYS_clone, clone_rules()?);
    rules.insert(libc::SYS_socket, socket_rules(network, tcp_server)?);
    // Other processes: a process of the same uid (a sibling sandbox, or the user's
    // own programs when codingit is not root) may otherwise have its limits,
    // priority and CPU placement changed. Only the caller itself (pid 0) is allowed.
    for (call, arg) in [
        (libc::SYS_prlimit64, 0),
        (libc::SYS_sched_setaffinity, 0),
        (libc::SYS_sched_setscheduler, 0),
        (libc::SYS_sched_setparam, 0),
        (libc::SYS_sched_setattr, 0),
    ] {
        rules.insert(call, vec![rule(vec![cond(arg, SeccompCmpOp::Ne, 0)?])?]);
    }
    // setpriority(which, who, prio): only PRIO_PROCESS of the caller itself
    // (PRIO_USER with who 0 would reach every process of the same uid).
    rules.insert(
        libc::SYS_setpriority,
        vec![
            rule(vec![cond(0, SeccompCmpOp::Ne, libc::PRIO_PROCESS as u64)?])?,
            rule(vec![cond(1, SeccompCmpOp::Ne, 0)?])?,
        ],
    );
    // Setuid and setgid bits cannot be set by chmod: a planted setuid file is
    // useless even where the folder is not mounted nosuid.
    for (call, arg) in [
        (libc::SYS_chmod, 1),
        (libc::SYS_fchmod, 1),
        (libc::SYS_fchmodat, 2),
        (SYS_FCHMODAT2, 2),
    ] {
        let mut list = Vec::new();
        for bit in [libc::S_ISUID as u64, libc::S_ISGID as u64] {
            list.push(rule(vec![cond(arg, SeccompCmpOp::MaskedEq(bit), bit)?])?);
        }
        rules.insert(call, list);
    }
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

/// clone with any namespace flag.
fn clone_rules() -> Result<Vec<SeccompRule>, ConfineError> {
    let mut list = Vec::new();
    for flag in [
        libc::CLONE_NEWNS,
        libc::CLONE_NEWUSER,
        libc::CLONE_NEWPID,
        libc::CLONE_NEWNET,
        libc::CLONE_NEWUTS,
        libc::CLONE_NEWIPC,
        libc::CLONE_NEWCGROUP,
    ] {
        let flag = flag as u64;
        list.push(rule(vec![cond(0, SeccompCmpOp::MaskedEq(flag), flag)?])?);
    }
    Ok(list)
}

/// Sockets. No AF_UNIX socket may be created: Landlock does not govern connecting
/// to a pathname socket, so one would reach any host socket the sandbox can see
/// (the Docker API, ssh-agent, X11). `socketpair` is a different call and stays
/// allowed (Python's multiprocessing and Node's child processes use pairs). TCP
/// only for a web template (Landlock then limits it to the app's port) or with
/// network on; every other family is refused.
fn socket_rules(network: bool, tcp_server: bool) -> Result<Vec<SeccompRule>, ConfineError> {
    let inet = libc::AF_INET as u64;
    let inet6 = libc::AF_INET6 as u64;
    let mut list = Vec::new();
    if network || tcp_server {
        list.push(rule(vec![
            cond(0, SeccompCmpOp::Ne, inet)?,
            cond(0, SeccompCmpOp::Ne, inet6)?,
        ])?);
    } else {
        // No condition: every family is refused, AF_UNIX included.
        return Ok(Vec::new());
    }
    if tcp_server && !network {
        // Landlock rules cover TCP only, so every other IP socket type is refused.
        for family in [inet, inet6] {
            for kind in [
                libc::SOCK_DGRAM,
                libc::SOCK_RAW,
                libc::SOCK_SEQPACKET,
                libc::SOCK_RDM,
            ] {
                list.push(rule(vec![
                    cond(0, SeccompCmpOp::Eq, family)?,
                    cond(1, SeccompCmpOp::MaskedEq(0xf), kind as u64)?,
                ])?);
            }
        }
    }
    Ok(list)
}

fn target_arch() -> Result<TargetArch, ConfineError> {
    TargetArch::try_from(std::env::consts::ARCH).map_err(|e| ConfineError::Seccomp(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_combination_compiles() {
        for (network, tcp_server) in [(false, false), (false, true), (true, false), (true, true)] {
            let programs = filters(network, tcp_server).unwrap_or_default();
            assert_eq!(programs.len(), 2, "network={network} tcp={tcp_server}");
        }
    }
}
