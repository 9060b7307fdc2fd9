//! Helpers of tests/attack/local_confinement.rs: the bubblewrap modes to attack with, running a
//! snippet, and host-side views (a process's placement, mounts, listeners).
#![allow(dead_code)]

use crate::support::containment::World;
use crate::support::in_ci;
use std::time::Duration;

pub const BACKEND: &str = "local";

pub fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// The bubblewrap settings to attack with: on (when installed) and off.
pub fn modes() -> Vec<&'static str> {
    let bwrap = std::process::Command::new("bwrap")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(bwrap || !in_ci(), "CI=true and bubblewrap is not installed");
    if !bwrap {
        eprintln!("note: bubblewrap is not installed, attacking without it only");
        return vec!["0"];
    }
    vec!["1", "0"]
}

/// Runs `code` on the interpreter template; (exit code, stdout, stderr).
pub fn attack(w: &World, bwrap: &str, code: &str, extra: &[&str]) -> (i32, String, String) {
    let out = w
        .cmd()
        .env("CODINGIT_LOCAL_BWRAP", bwrap)
        .args(["run", "-", "--backend", BACKEND, "-q"])
        .args(extra)
        .write_stdin(code)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// /proc/PID/stat's nice value and the status lines that describe placement.
pub fn process_view(pid: u32) -> (String, String, String) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let nice = rest.split_whitespace().nth(16).unwrap().to_string();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let cpus = status
        .lines()
        .find(|l| l.starts_with("Cpus_allowed_list"))
        .unwrap()
        .to_string();
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    (nice, cpus, limits)
}

/// Whether the mount holding `path` (the longest mount point above it) is nosuid.
pub fn mount_is_nosuid(path: &std::path::Path) -> bool {
    let info = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    let path = path.canonicalize().unwrap();
    info.lines()
        .filter_map(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            let point = std::path::PathBuf::from(fields.get(4)?);
            let nosuid = fields.get(5)?.contains("nosuid");
            path.starts_with(&point)
                .then(|| (point.components().count(), nosuid))
        })
        .max_by_key(|(depth, _)| *depth)
        .is_some_and(|(_, nosuid)| nosuid)
}

/// The host's own non-loopback IPv4 addresses (traffic to them stays on this host).
pub fn own_addresses() -> Vec<String> {
    let out = std::process::Command::new("ip")
        .args(["-4", "-o", "addr", "show", "scope", "global"])
        .output();
    let text = out
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let cidr = l.split_whitespace().skip_while(|w| *w != "inet").nth(1)?;
            Some(cidr.split('/').next()?.to_string())
        })
        .collect()
}

/// Local addresses listening on `port` in the host's network namespace.
pub fn host_listeners(port: u16) -> Vec<String> {
    let mut found = Vec::new();
    for file in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (Some(local), Some(state)) = (fields.get(1), fields.get(3)) else {
                continue;
            };
            let Some((addr, p)) = local.split_once(':') else {
                continue;
            };
            if *state == "0A" && u16::from_str_radix(p, 16).ok() == Some(port) {
                found.push(addr.to_string());
            }
        }
    }
    found
}
