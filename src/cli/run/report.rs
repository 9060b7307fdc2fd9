//! How `run` reports: human text, one JSON document, or event lines.

use crate::cli::output::Output;
use codingit::sandbox::{Confinement, OutputChunk};
use serde_json::{json, Value};
use std::sync::Mutex;

/// How results are reported: human text, one JSON document, or event lines.
pub(super) struct Report<'a> {
    pub(super) out: &'a Output,
    pub(super) events: bool,
    /// What to say when the program is killed for using too much memory.
    pub(super) oom_message: String,
    /// What confines the sandbox, as the backend reports it (JSON null: not reported).
    pub(super) confinement: Mutex<Value>,
    pub(super) stdout: Mutex<Vec<u8>>,
    pub(super) stderr: Mutex<Vec<u8>>,
}

impl Report<'_> {
    /// Keeps the backend's account of the sandbox's confinement for `--json`, and
    /// shows it at `-v` and as a `sandbox.confinement` event.
    pub(super) fn confinement(&self, confinement: Option<Confinement>) {
        let Some(c) = confinement else { return };
        let value = serde_json::to_value(&c).unwrap_or(Value::Null);
        self.event("sandbox.confinement", value.clone());
        if self.out.verbosity >= 1 {
            let caps = &c.capabilities;
            self.out.info(format!(
                "confinement ({}): uid {} gid {}, capabilities {caps}, bubblewrap {}, \
                 landlock {}, seccomp {}, pid namespace {}, network namespace {}, \
                 unix sockets {}, memory cgroup {}",
                c.backend,
                c.uid,
                c.gid,
                c.bubblewrap,
                c.landlock_abi
                    .map_or("off".to_string(), |abi| format!("ABI {abi}")),
                c.seccomp,
                c.pid_namespace,
                c.net_namespace,
                c.unix_sockets,
                c.memory_cgroup,
            ));
            for why in &c.refused {
                self.out.info(format!("  not enforced: {why}"));
            }
            for note in &c.notes {
                self.out.info(format!("  note: {note}"));
            }
        }
        if let Ok(mut slot) = self.confinement.lock() {
            *slot = value;
        }
    }

    pub(super) fn confinement_json(&self) -> Value {
        self.confinement
            .lock()
            .map(|v| v.clone())
            .unwrap_or(Value::Null)
    }

    pub(super) fn event(&self, name: &str, data: Value) {
        if self.events {
            self.out.event(name, data);
        }
    }

    pub(super) fn chunk(&self, chunk: OutputChunk) {
        let (bytes, is_out) = match chunk {
            OutputChunk::Stdout(b) => (b, true),
            OutputChunk::Stderr(b) => (b, false),
        };
        if self.events {
            let name = if is_out { "exec.stdout" } else { "exec.stderr" };
            self.event(name, json!({ "text": String::from_utf8_lossy(&bytes) }));
        } else if self.out.json {
            let store = if is_out { &self.stdout } else { &self.stderr };
            if let Ok(mut s) = store.lock() {
                s.extend_from_slice(&bytes);
            }
        } else if is_out {
            self.out.raw(&bytes);
        } else {
            self.out.stderr_raw(&String::from_utf8_lossy(&bytes));
        }
    }
}
