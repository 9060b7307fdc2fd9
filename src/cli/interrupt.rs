//! Ctrl-C (SIGINT) and SIGTERM as one "stop" for commands that must clean up what
//! they started before they exit (`sandbox exec`). Listening starts when
//! [`Interrupt::listen`] returns, so a signal that comes before the first await is
//! not lost (nor left to the default action, which would exit on the spot).

use super::exit::{CliError, Exit};

pub struct Interrupt {
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl Interrupt {
    pub fn listen() -> Result<Self, CliError> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let listen = |kind| {
                signal(kind).map_err(|e| {
                    CliError::new(Exit::Failure, format!("cannot listen for Ctrl-C: {e}"))
                })
            };
            Ok(Self {
                int: listen(SignalKind::interrupt())?,
                term: listen(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    /// Completes at the next SIGINT or SIGTERM.
    pub async fn next(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.int.recv() => {}
            _ = self.term.recv() => {}
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
