//! A sandbox created with `allow_internet_access: false`. On E2B its microVM then
//! reaches nothing outside, while E2B's edge proxy still reaches its ports on the
//! sandbox's own loopback. Here such a sandbox gets a network namespace of its own
//! (`ip netns`, as root) holding only a loopback that every process of it shares,
//! and the proxy connects to an app's port inside it; where the server cannot make
//! one (not root) the sandbox shares the host's network, which
//! [`E2bServer::isolates_networks`](super::E2bServer::isolates_networks) tells.

use std::os::fd::AsFd;
use std::path::PathBuf;
use std::process::{Command, Stdio};

pub struct Netns {
    name: String,
}

fn ip(args: &[&str]) -> bool {
    Command::new("ip")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl Netns {
    /// The namespace of sandbox `id` with its loopback up, or None when it cannot be
    /// made here.
    pub fn make(id: &str) -> Option<Self> {
        let name = format!("codingit-e2b-{}-{id}", std::process::id());
        if !ip(&["netns", "add", &name]) {
            return None;
        }
        let made = Self { name };
        ip(&["-n", &made.name, "link", "set", "lo", "up"]).then_some(made)
    }

    /// What `nsenter --net=` joins.
    pub fn path(&self) -> PathBuf {
        PathBuf::from("/run/netns").join(&self.name)
    }

    /// A connection to `port` on the namespace's loopback, made from a thread that
    /// joins it (a socket stays in the namespace it was made in).
    pub async fn connect(&self, port: u16) -> std::io::Result<tokio::net::TcpStream> {
        let path = self.path();
        let made = tokio::task::spawn_blocking(move || {
            std::thread::spawn(move || {
                let namespace = std::fs::File::open(&path)?;
                rustix::thread::move_into_link_name_space(
                    namespace.as_fd(),
                    Some(rustix::thread::LinkNameSpaceType::Network),
                )?;
                std::net::TcpStream::connect(("127.0.0.1", port))
            })
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the connecting thread failed")))
        })
        .await
        .map_err(std::io::Error::other)??;
        made.set_nonblocking(true)?;
        tokio::net::TcpStream::from_std(made)
    }
}

/// Its name goes with the sandbox; the namespace itself with the last process in it.
impl Drop for Netns {
    fn drop(&mut self) {
        ip(&["netns", "del", &self.name]);
    }
}

/// Whether this server can give sandboxes a network of their own (one probe, made
/// and removed).
pub fn available() -> bool {
    static AVAILABLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *AVAILABLE.get_or_init(|| Netns::make("probe").is_some())
}
