//! A sandbox created with `allow_internet_access: false`. On E2B its microVM then
//! reaches nothing outside, while E2B's edge proxy still reaches its ports on the
//! sandbox's own loopback. Here such a sandbox gets a network namespace of its own
//! (as root) holding only a loopback that every process of it shares,
//! and the proxy connects to an app's port inside it; where the server cannot make
//! one (not root) the sandbox shares the host's network, which
//! [`E2bServer::isolates_networks`](super::E2bServer::isolates_networks) tells.

use std::io::BufRead;
use std::os::fd::AsFd;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The longest a namespace outlives a server that died without dropping it.
const HOLDER_SECONDS: &str = "7200";

/// A network namespace held by a process of its own (`/proc/PID/ns/net`), never by a
/// mount under /run/netns: every sandbox's bubblewrap binds the host's root
/// recursively, and a namespace mount made or removed meanwhile failed its setup.
pub struct Netns {
    holder: Child,
}

impl Netns {
    /// The namespace of sandbox `id` with its loopback up, or None when it cannot be
    /// made here.
    pub fn make(_id: &str) -> Option<Self> {
        let mut holder = Command::new("unshare")
            .args(["--net", "sh", "-c"])
            .arg(format!(
                "ip link set lo up && echo ready && exec sleep {HOLDER_SECONDS}"
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let mut line = String::new();
        let ready = holder
            .stdout
            .take()
            .map(|out| std::io::BufReader::new(out).read_line(&mut line))
            .is_some_and(|read| read.is_ok() && line.trim() == "ready");
        let made = Self { holder };
        ready.then_some(made)
    }

    /// What `nsenter --net=` joins.
    pub fn path(&self) -> PathBuf {
        PathBuf::from(format!("/proc/{}/ns/net", self.holder.id()))
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

/// The holder goes with the sandbox; the namespace itself with the last process in it.
impl Drop for Netns {
    fn drop(&mut self) {
        let _ = self.holder.kill();
        let _ = self.holder.wait();
    }
}

/// Whether this server can give sandboxes a network of their own (one probe, made
/// and removed).
pub fn available() -> bool {
    static AVAILABLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *AVAILABLE.get_or_init(|| Netns::make("probe").is_some())
}
