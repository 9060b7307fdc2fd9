//! A local E2B server for tests, faithful to E2B's published specs (spec/openapi.yml,
//! spec/envd/envd.yaml, process.proto, filesystem.proto; Connect framing): the REST
//! subset codingit uses on one port, envd behind a proxy (routing on
//! `E2b-Sandbox-Id`/`E2b-Sandbox-Port`, or a `49983-ID.DOMAIN` Host) on another.
//! Every request is validated (API key, access token, content types, unknown fields
//! in messages and schemas, query parameters), so the client is tested against the
//! spec. Commands run as real processes under bubblewrap, each sandbox's own folder
//! mounted at /home/user, the host's homes hidden, and (with
//! [`E2bServer::start_with_template_envs`]) its template's prepared environment. Faults can be injected (see [`Faults`]).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

mod api;
mod envd;
mod http;
mod limits;
mod netns;
mod procs;
mod stream;
mod template_env;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};
use tokio::net::TcpListener;

pub const API_KEY: &str = "e2b_test_key_0123456789";
pub const DOMAIN: &str = "e2b.test";

/// A forced REST answer: status, headers, JSON body.
pub type ApiAnswer = (u16, Vec<(String, String)>, serde_json::Value);

/// Faults the next calls meet (each is used once, then cleared, unless noted).
#[derive(Default)]
pub struct Faults {
    /// The next REST answers, before any check: (status, headers, JSON body).
    pub api_answers: VecDeque<ApiAnswer>,
    /// The next `Process/Start` stream is cut (connection closed, no end frame)
    /// after this many messages.
    pub cut_stream_after: Option<usize>,
    /// The next `Process/Start` stream ends with an end-of-stream frame carrying
    /// this Connect error (code, message) instead of the process's end.
    pub end_stream_error: Option<(String, String)>,
    /// Every stream message gzip-compressed (when the client accepts gzip); stays.
    pub gzip: bool,
    /// Sandboxes are created with this timeout (seconds) whatever was asked; stays.
    pub force_timeout: Option<u64>,
}

pub struct Sandbox {
    pub id: String,
    pub template: String,
    pub home: PathBuf,
    pub metadata: BTreeMap<String, String>,
    pub env: BTreeMap<String, String>,
    pub started_at: SystemTime,
    pub end_at: SystemTime,
    pub token: Option<String>,
    /// The local environment of its template, when it is one of ours and is built.
    pub template_env: Option<template_env::TemplateEnv>,
    /// Its process and memory bounds (None where the server cannot make them).
    pub cgroups: Option<limits::Cgroups>,
    /// Its own network (created without internet access, where the server can).
    pub netns: Option<Arc<netns::Netns>>,
    /// `allow_internet_access` as created (None: not set).
    pub internet: Option<bool>,
    pub logs: Vec<(SystemTime, String)>,
    /// Running processes: pid → what ends them.
    pub procs: HashMap<u32, procs::Handle>,
    /// Dropped (or sent) when the sandbox ends: its streams are cut, its processes killed.
    pub alive: tokio::sync::watch::Sender<bool>,
}

pub struct State {
    pub root: PathBuf,
    pub sandboxes: Mutex<HashMap<String, Sandbox>>,
    pub faults: Mutex<Faults>,
    /// `METHOD path` of every request, in order.
    pub requests: Mutex<Vec<String>>,
    /// The local backend's cache whose template environments sandboxes get.
    pub template_envs: Option<PathBuf>,
    next: AtomicU64,
}

impl State {
    fn new_id(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::SeqCst);
        format!("itest{n:04}{:08x}", fastrand::u32(..))
    }

    /// Ends a sandbox now: its processes are killed, its streams cut.
    pub fn end(&self, id: &str) -> bool {
        let removed = self.sandboxes.lock().unwrap().remove(id);
        match removed {
            Some(sandbox) => {
                let _ = sandbox.alive.send(false);
                for handle in sandbox.procs.values() {
                    handle.kill();
                }
                let _ = std::fs::remove_dir_all(&sandbox.home);
                if let Some(cgroups) = sandbox.cgroups {
                    // Waits for its processes to go: off the caller's (async) thread.
                    std::thread::spawn(move || cgroups.remove());
                }
                true
            }
            None => false,
        }
    }
}

pub struct E2bServer {
    pub api: SocketAddr,
    pub proxy: SocketAddr,
    pub state: Arc<State>,
    runtime: Option<tokio::runtime::Runtime>,
    _root: tempfile::TempDir,
}

impl E2bServer {
    /// A server whose sandboxes see only the host's system folders.
    pub fn start() -> Self {
        Self::launch(None)
    }

    /// A server whose sandboxes of our templates get the environments the local
    /// backend built in `cache` (`templates build T --backend local`), as an E2B
    /// template has its libraries installed.
    pub fn start_with_template_envs(cache: &std::path::Path) -> Self {
        Self::launch(Some(cache.to_path_buf()))
    }

    fn launch(template_envs: Option<PathBuf>) -> Self {
        let root = tempfile::tempdir().expect("server root");
        let state = Arc::new(State {
            root: root.path().to_path_buf(),
            sandboxes: Mutex::new(HashMap::new()),
            faults: Mutex::new(Faults::default()),
            requests: Mutex::new(Vec::new()),
            template_envs,
            next: AtomicU64::new(1),
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("server runtime");
        let (api, proxy) = runtime.block_on(async {
            let api = TcpListener::bind("127.0.0.1:0").await.expect("bind api");
            let proxy = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
            (api, proxy)
        });
        let addrs = (api.local_addr().unwrap(), proxy.local_addr().unwrap());
        runtime.spawn(serve(api, state.clone(), Plane::Api));
        runtime.spawn(serve(proxy, state.clone(), Plane::Envd));
        runtime.spawn(reap(state.clone()));
        Self {
            api: addrs.0,
            proxy: addrs.1,
            state,
            runtime: Some(runtime),
            _root: root,
        }
    }

    /// The variables that point codingit at this server (proxy addressing).
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("E2B_API_KEY", API_KEY.to_string()),
            ("E2B_DOMAIN", DOMAIN.to_string()),
            ("E2B_API_URL", format!("http://{}", self.api)),
            ("E2B_SANDBOX_URL", format!("http://{}", self.proxy)),
        ]
    }

    /// Whether each sandbox's processes are bounded together (processes, memory), as
    /// in E2B's microVM; false where the server cannot make cgroups (not root).
    pub fn bounds_sandboxes(&self) -> bool {
        limits::available()
    }

    /// Whether a sandbox created without internet access gets a network of its own
    /// (only a loopback), as on E2B; false where the server cannot make one (not root).
    pub fn isolates_networks(&self) -> bool {
        netns::available()
    }

    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        self.state.faults.lock().unwrap()
    }

    pub fn ids(&self) -> Vec<String> {
        self.state
            .sandboxes
            .lock()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    }

    /// A sandbox's home folder on this machine.
    pub fn home(&self, id: &str) -> Option<PathBuf> {
        self.state
            .sandboxes
            .lock()
            .unwrap()
            .get(id)
            .map(|s| s.home.clone())
    }

    pub fn end(&self, id: &str) -> bool {
        self.state.end(id)
    }

    pub fn requests(&self) -> Vec<String> {
        self.state.requests.lock().unwrap().clone()
    }

    /// Processes still running in any sandbox.
    pub fn running(&self) -> usize {
        self.state
            .sandboxes
            .lock()
            .unwrap()
            .values()
            .map(|s| s.procs.len())
            .sum()
    }
}

impl Drop for E2bServer {
    fn drop(&mut self) {
        for id in self.ids() {
            self.state.end(&id);
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(Duration::from_secs(5));
        }
    }
}

#[derive(Clone, Copy)]
enum Plane {
    Api,
    Envd,
}

async fn serve(listener: TcpListener, state: Arc<State>, plane: Plane) {
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            continue;
        };
        let state = state.clone();
        tokio::spawn(async move {
            let request = match http::read_request(&mut stream).await {
                Ok(Some(r)) => r,
                Ok(None) => return,
                Err(answer) => return http::write_response(&mut stream, &answer).await,
            };
            state
                .requests
                .lock()
                .unwrap()
                .push(format!("{} {}", request.method, request.path));
            match plane {
                Plane::Api => {
                    let answer = api::handle(&state, &request);
                    http::write_response(&mut stream, &answer).await;
                }
                Plane::Envd => envd::handle(&state, request, stream).await,
            }
        });
    }
}

/// Ends sandboxes past their timeout, as E2B does.
async fn reap(state: Arc<State>) {
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    loop {
        tick.tick().await;
        let now = SystemTime::now();
        let expired: Vec<String> = state
            .sandboxes
            .lock()
            .unwrap()
            .values()
            .filter(|s| s.end_at <= now)
            .map(|s| s.id.clone())
            .collect();
        for id in expired {
            state.end(&id);
        }
    }
}

/// How many envd requests (of this test binary) were routed by host name.
pub fn routed_by_host() -> usize {
    envd::ROUTED_BY_HOST.load(Ordering::SeqCst)
}

/// RFC 3339 in UTC with milliseconds, as E2B writes times.
pub fn rfc3339(time: SystemTime) -> String {
    let d = time.duration_since(SystemTime::UNIX_EPOCH).unwrap();
    let secs = d.as_secs();
    let (days, rest) = (secs / 86400, secs % 86400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        d.subsec_millis()
    )
}
