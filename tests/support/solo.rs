//! One group of tests at a time: the tests of one group (one module of an area's
//! binary, as each was its own binary before) run beside each other as before, never
//! beside another group's, so the sandboxes, ports, engine and disk they measure are
//! theirs alone while they run.

use std::sync::{Condvar, Mutex, PoisonError};

/// The group running now and how many of its tests are running.
static RUNNING: Mutex<(Option<String>, usize)> = Mutex::new((None, 0));
static TURN: Condvar = Condvar::new();

/// Held for the whole test: `let _solo = support::solo("local");`.
#[must_use]
pub struct Solo;

/// Waits until no other group's test runs, then counts this test in its group.
pub fn solo(group: &str) -> Solo {
    let mut running = RUNNING.lock().unwrap_or_else(PoisonError::into_inner);
    while running.0.as_deref().is_some_and(|g| g != group) {
        running = TURN.wait(running).unwrap_or_else(PoisonError::into_inner);
    }
    running.0 = Some(group.to_string());
    running.1 += 1;
    Solo
}

impl Drop for Solo {
    fn drop(&mut self) {
        let mut running = RUNNING.lock().unwrap_or_else(PoisonError::into_inner);
        running.1 -= 1;
        if running.1 == 0 {
            running.0 = None;
            TURN.notify_all();
        }
    }
}
