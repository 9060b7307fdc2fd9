//! The hidden roles the `codingit` binary also plays for its sandboxes: the local
//! backend's confinement helper, lifetime keeper and preview relay, and the Docker
//! backend's pool refill, owner watch and detached preview. One dispatcher, called
//! first thing in `main`, so every role is found in one place.

/// How a helper role ended.
#[derive(Debug)]
pub enum HelperOutcome {
    Done,
    /// Exit with `code`, after printing `message` when there is one.
    Failed {
        message: String,
        code: u8,
    },
}

impl HelperOutcome {
    /// A failure with nothing to print.
    pub fn code(code: u8) -> Self {
        if code == 0 {
            Self::Done
        } else {
            Self::Failed {
                message: String::new(),
                code,
            }
        }
    }
}

/// Runs the helper role `args` names (`args[1]`); `None` for an ordinary command
/// line. `warn` prints a warning the role wants shown before it carries on.
pub fn run_if_helper(args: &[String], warn: &dyn Fn(&str)) -> Option<HelperOutcome> {
    if let Some(outcome) = super::docker::pool::run_if_helper(args) {
        return Some(outcome);
    }
    #[cfg(target_os = "linux")]
    if let Some(outcome) = super::local::helper::run_if_helper(args, warn) {
        return Some(outcome);
    }
    let _ = warn;
    None
}
