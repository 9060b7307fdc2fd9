//! The confinement report of a local sandbox: what its state says is enforced.

use super::privs::{HIDDEN_ROOTS, SANDBOX_GID};
use super::state::State;
use crate::sandbox::Confinement;

/// What confines the sandbox of `state` (its decisions were made at creation).
pub fn confinement(state: &State, landlock: bool) -> Confinement {
    let uid = state.uid.unwrap_or_else(super::sys::effective_uid);
    let gid = if state.uid.is_some() {
        SANDBOX_GID
    } else {
        rustix::process::getegid().as_raw()
    };
    let mut refused = Vec::new();
    let mut notes = Vec::new();
    let root = super::sys::effective_uid() == 0;
    if !landlock {
        refused.push("Landlock: the kernel cannot enforce ABI 6 (unsafe opt-out)".into());
    }
    if state.memory_cgroup.is_none() {
        refused.push(format!(
            "memory cgroup: {}; `memory` bounds each process (address space, data), not \
             their total",
            if root {
                "none could be made under /sys/fs/cgroup"
            } else {
                "only root may make one"
            }
        ));
    }
    if state.home_limit.is_none() {
        refused.push(
            "home size: not bounded in total (only root may mount a size-limited tmpfs); \
             each file is limited to 1 GiB"
                .into(),
        );
    }
    if state.tmp_limit.is_none() {
        refused.push("tmp size: not bounded in total without bubblewrap or root".into());
    }
    if state.cpu_cgroup.is_none() {
        notes.push("--cpus is not a CPU share here (no cpu cgroup); CPU time is bounded".into());
    }
    let net_namespace = state.own_network();
    if !state.bwrap {
        notes.push(
            "no bubblewrap: no pid or ipc namespace; other processes are visible in /proc \
             but out of reach (Landlock scoping, seccomp, uid)"
                .into(),
        );
        if state.template.port.is_some() && !state.network && !net_namespace {
            refused.push(
                "network namespace for the web app: it needs bubblewrap or root; the app \
                 binds the host's network, Landlock allows only its port"
                    .into(),
            );
        }
    }
    if state.bwrap && state.uid.is_none() && state.tmp_limit.is_some() {
        notes.push("/tmp is a size-limited tmpfs of each command's own".into());
    }
    if state.network {
        notes.push(format!(
            "network on: only the CA-bundle variables{} of codingit's environment are passed",
            if state.env_allow.is_empty() {
                String::new()
            } else {
                format!(" and {}", state.env_allow.join(", "))
            }
        ));
    }
    let hidden = state.bwrap || state.uid.is_some();
    Confinement {
        backend: "local".into(),
        uid,
        gid,
        capabilities: if state.uid.is_some() || !root {
            "none".into()
        } else {
            "all (unsafe opt-out)".into()
        },
        no_new_privileges: true,
        bubblewrap: state.bwrap,
        landlock_abi: landlock.then_some(6),
        seccomp: true,
        pid_namespace: state.bwrap,
        mount_namespace: hidden,
        net_namespace,
        network: state.network,
        unix_sockets: "denied".into(),
        hidden_host_folders: if hidden {
            HIDDEN_ROOTS.iter().map(|r| r.to_string()).collect()
        } else {
            Vec::new()
        },
        memory_cgroup: state.memory_cgroup.is_some(),
        pids_cgroup: state.cgroup.is_some(),
        cpu_cgroup: state.cpu_cgroup.is_some(),
        home_limit_bytes: state.home_limit,
        tmp_limit_bytes: state.tmp_limit,
        refused,
        notes,
    }
}
