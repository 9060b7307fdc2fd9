//! The shared containment suite: hostile snippets run through the real binary with
//! `codingit run - --backend NAME`; each must be stopped and the host left unharmed.
//! Instantiated once per backend (tests/attack/containment.rs).

use assert_cmd::Command;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A temporary codingit world: config and state folders of its own, and the shared
/// cache of template environments (CODINGIT_TEST_CACHE_DIR, else
/// ~/.cache/codingit-dev/local-envs) so CI reuses built environments.
pub struct World {
    pub dir: tempfile::TempDir,
    pub backend: String,
}

pub fn cache_dir() -> PathBuf {
    std::env::var_os("CODINGIT_TEST_CACHE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/codingit-dev/local-envs")
        })
}

/// Whatever a test leaves on the engine (a failed one, or the warm pool of one that
/// does not check) is removed with its world: only containers of its namespace.
impl Drop for World {
    fn drop(&mut self) {
        if self.backend != "docker" {
            return;
        }
        self.wait_pool_helpers();
        let names: Vec<String> = self
            .containers_left()
            .into_iter()
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .collect();
        if !names.is_empty() {
            let _ = std::process::Command::new("docker")
                .args(["rm", "-f", "-v"])
                .args(&names)
                .output();
        }
    }
}

impl World {
    pub fn new(backend: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("config")).unwrap();
        if backend == "docker" {
            // The image inputs CI builds with (a local base image, the proxy's CA), so
            // the template images' hash tags match the ones already built.
            let mut config = String::from("[sandbox]\n");
            for (key, var) in [
                ("base_image", "CODINGIT_TEST_BASE_IMAGE"),
                ("ca_cert", "CODINGIT_TEST_CA_CERT"),
            ] {
                if let Some(v) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
                    config.push_str(&format!("{key} = {v:?}\n"));
                }
            }
            std::fs::write(dir.path().join("config/config.toml"), config).unwrap();
        }
        Self {
            dir,
            backend: backend.to_string(),
        }
    }

    pub fn cmd(&self) -> Command {
        Command::from_std(self.spawn_cmd())
    }

    /// The real binary as a plain process (for runs that are stopped by a signal).
    pub fn spawn_cmd(&self) -> std::process::Command {
        self.command_for(&assert_cmd::cargo::cargo_bin("codingit"))
    }

    /// `binary` (a codingit executable, wherever it lives) in this world.
    pub fn command_for(&self, binary: &std::path::Path) -> std::process::Command {
        let mut cmd = std::process::Command::new(binary);
        cmd.env("CODINGIT_CONFIG_DIR", self.dir.path().join("config"))
            .env("CODINGIT_STATE_DIR", self.dir.path().join("state"))
            .env("CODINGIT_CACHE_DIR", cache_dir())
            .env_remove("CODINGIT_BACKEND")
            .env_remove("CODINGIT_UNSAFE_NO_CONFINEMENT")
            .env("CODINGIT_SANDBOX_NAMESPACE", self.namespace())
            .current_dir(self.dir.path());
        // Only e2b worlds talk to the binary's E2B test server (it starts with the first).
        if self.backend == "e2b" {
            cmd.envs(super::e2b::shared_server().env());
        }
        cmd
    }

    /// The Docker sandboxes of this world carry this namespace label, so one test's
    /// cleanup or check never sees another's.
    pub fn namespace(&self) -> String {
        let name = self
            .dir
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let name: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
        format!("codingit-test-{}-{name}", std::process::id())
    }

    /// Containers of this world still on the engine (any state); empty for other
    /// backends or without an engine.
    pub fn containers_left(&self) -> Vec<String> {
        if self.backend != "docker" {
            return Vec::new();
        }
        let out = std::process::Command::new("docker")
            .args(["ps", "-a", "--format", "{{.Names}} {{.State}}", "--filter"])
            .arg(format!("label=dev.codingit.namespace={}", self.namespace()))
            .output();
        match out {
            Ok(o) => String::from_utf8_lossy(&o.stdout)
                .lines()
                .map(str::to_string)
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// Waits (up to a minute) until the detached helpers `codingit run` starts on
    /// Docker (sandbox removal, warm-pool refill) have finished for this world;
    /// false when some still run.
    pub fn wait_pool_helpers(&self) -> bool {
        let wanted = format!("CODINGIT_SANDBOX_NAMESPACE={}", self.namespace());
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let busy = std::fs::read_dir("/proc")
                .map(|d| {
                    d.flatten().any(|e| {
                        let cmd = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
                        let env = std::fs::read(e.path().join("environ")).unwrap_or_default();
                        cmd.split(|b| *b == 0).any(|a| a == b"__pool-refill")
                            && env.split(|b| *b == 0).any(|v| v == wanted.as_bytes())
                    })
                })
                .unwrap_or(false);
            if !busy {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Names of this world's unclaimed warm-pool containers.
    pub fn pool_containers(&self) -> Vec<String> {
        self.containers_left()
            .into_iter()
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .filter(|name| name.starts_with("codingit-pool-"))
            .collect()
    }

    /// Removes this world's unclaimed warm-pool containers (after its helpers).
    pub fn drain_pool(&self) {
        if self.backend != "docker" {
            return;
        }
        assert!(self.wait_pool_helpers(), "pool helpers still running");
        let pool = self.pool_containers();
        if !pool.is_empty() {
            let _ = std::process::Command::new("docker")
                .args(["rm", "-f", "-v"])
                .args(&pool)
                .output();
        }
    }

    /// Where this machine reaches a preview URL `run` printed: on e2b, E2B's preview
    /// host (`PORT-ID.DOMAIN`) goes to the test server's proxy, which routes on the host
    /// name as E2B's edge does; a loopback preview is reached directly (None).
    pub fn preview_proxy(&self) -> Option<String> {
        (self.backend == "e2b").then(|| super::e2b::shared_server().proxy.to_string())
    }

    /// Chromium flags that send the preview's host to [`World::preview_proxy`].
    pub fn browser_flags(&self) -> Vec<String> {
        self.preview_proxy()
            .map(|proxy| {
                let domain = super::e2b_server::DOMAIN;
                vec![format!("--host-resolver-rules=MAP *.{domain} {proxy}")]
            })
            .unwrap_or_default()
    }

    /// Whether a missing prerequisite must fail the test: CI=true, or
    /// CODINGIT_TEST_DOCKER=1 for the Docker backend.
    pub fn required(&self) -> bool {
        super::in_ci() || (self.backend == "docker" && super::docker::docker_required())
    }

    /// Builds the template's environment (or image) once; false (with a note) when
    /// that is impossible outside CI. On e2b it is the local environment, which the
    /// E2B test server gives that template's sandboxes (support::e2b).
    pub fn ready(&self, template: &str) -> bool {
        let builder = if self.backend == "e2b" {
            "local"
        } else {
            &self.backend
        };
        let out = self
            .cmd()
            .args(["templates", "build", template, "--backend", builder])
            .timeout(Duration::from_secs(900))
            .output()
            .unwrap();
        if out.status.success() {
            return true;
        }
        let why = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            !self.required(),
            "CI=true (or CODINGIT_TEST_DOCKER=1) and template {template} cannot be built: {why}"
        );
        eprintln!("note: skipping, template {template} cannot be built here: {why}");
        false
    }

    /// Runs a snippet on the interpreter template; returns (exit code, stdout, stderr, seconds).
    pub fn snippet(&self, code: &str, extra: &[&str]) -> (i32, String, String, f64) {
        let started = Instant::now();
        let out = self
            .cmd()
            .args(["run", "-", "--backend", &self.backend, "-q"])
            .args(extra)
            .write_stdin(code)
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            started.elapsed().as_secs_f64(),
        )
    }

    /// No sandbox of this world is left (state files or processes).
    pub fn assert_nothing_left(&self) {
        let sandboxes = self.dir.path().join("state/sandboxes");
        let left: Vec<_> = std::fs::read_dir(&sandboxes)
            .map(|d| d.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "sandbox state left behind: {left:?}");
        let marker = self.dir.path().display().to_string();
        let ps = std::process::Command::new("ps")
            .args(["-eo", "pid,args"])
            .output()
            .unwrap();
        let running: Vec<String> = String::from_utf8_lossy(&ps.stdout)
            .lines()
            .filter(|l| l.contains(&marker) && !l.contains(" ps "))
            .map(str::to_string)
            .collect();
        assert!(running.is_empty(), "processes left running: {running:?}");
        // On Docker, `run` leaves the removal of its sandbox and the pool's refill to
        // a detached helper; once it is done, no sandbox may be left, only unclaimed
        // warm-pool containers (nothing ran in them), which are then removed.
        assert!(self.wait_pool_helpers(), "pool helpers still running");
        let sandboxes: Vec<String> = self
            .containers_left()
            .into_iter()
            .filter(|l| !l.starts_with("codingit-pool-"))
            .collect();
        assert!(
            sandboxes.is_empty(),
            "sandbox containers left behind: {sandboxes:?}"
        );
        self.drain_pool();
        let containers = self.containers_left();
        assert!(
            containers.is_empty(),
            "sandbox containers left behind: {containers:?}"
        );
    }
}

pub fn host_file_outside_is_unreadable(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    // A secret in the user's home, outside the sandbox.
    let home = PathBuf::from(std::env::var_os("HOME").unwrap());
    let secret = home.join(format!(".codingit-containment-{}", std::process::id()));
    std::fs::write(&secret, "TOPSECRET").unwrap();
    let code = format!("print(open({:?}).read())", secret.display().to_string());
    let (status, stdout, stderr, _) = w.snippet(&code, &[]);
    let _ = std::fs::remove_file(&secret);
    assert_ne!(status, 0, "{stdout}{stderr}");
    assert!(!stdout.contains("TOPSECRET"), "{stdout}");
    assert!(
        stderr.contains("Error"),
        "expected a Python error, got: {stderr}"
    );
    w.assert_nothing_left();
}

pub fn writes_outside_home_are_refused(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let target = w.dir.path().join("escaped.txt");
    let code = format!(
        "import os\nfor p in [{:?}, '/etc/codingit-escape', '/usr/codingit-escape']:\n    \
         try:\n        open(p, 'w').write('x'); print('WROTE', p)\n    except OSError as e:\n        \
         print('refused', p, type(e).__name__)\nopen('inside.txt','w').write('ok'); print('home ok')",
        target.display().to_string()
    );
    let (status, stdout, stderr, _) = w.snippet(&code, &[]);
    assert_eq!(status, 0, "{stdout}{stderr}");
    assert!(!stdout.contains("WROTE"), "{stdout}");
    assert!(stdout.contains("home ok"), "{stdout}");
    assert!(!target.exists());
    assert!(!std::path::Path::new("/etc/codingit-escape").exists());
    w.assert_nothing_left();
}

pub fn network_is_refused_when_off(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    // A listener on the host's loopback: the sandbox must not reach even that.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let code = format!(
        "import socket\nfor host in [('127.0.0.1', {port}), ('1.1.1.1', 80)]:\n    try:\n        \
         socket.create_connection(host, timeout=3); print('CONNECTED', host)\n    \
         except OSError as e:\n        print('refused', host, type(e).__name__)\n\
         try:\n    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('1.1.1.1', 53)); print('SENT UDP')\n\
         except OSError as e:\n    print('udp refused', type(e).__name__)"
    );
    let (status, stdout, stderr, _) = w.snippet(&code, &[]);
    assert_eq!(status, 0, "{stdout}{stderr}");
    assert!(!stdout.contains("CONNECTED"), "{stdout}");
    assert!(!stdout.contains("SENT UDP"), "{stdout}");
    assert_eq!(stdout.matches("refused").count(), 3, "{stdout}");
    w.assert_nothing_left();
}

pub fn fork_bomb_is_stopped(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let code =
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n";
    let (status, _, stderr, secs) = w.snippet(code, &["--timeout", "5s"]);
    assert_eq!(status, 124, "{stderr}");
    assert!(secs < 60.0, "took {secs}s");
    // The host can still start processes.
    assert!(std::process::Command::new("true")
        .status()
        .unwrap()
        .success());
    w.assert_nothing_left();
}

pub fn memory_bomb_is_stopped(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let code = "chunks = []\nwhile True:\n    chunks.append(bytearray(64 * 1024 * 1024))\n";
    let (status, _, stderr, secs) = w.snippet(code, &["--memory", "512m", "--timeout", "60s"]);
    assert_ne!(status, 0, "{stderr}");
    assert_ne!(
        status, 124,
        "should be stopped by the memory limit, not the clock: {stderr}"
    );
    assert!(secs < 60.0, "took {secs}s");
    w.assert_nothing_left();
}

pub fn endless_loop_is_stopped(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let (status, _, stderr, secs) = w.snippet("while True:\n    pass\n", &["--timeout", "3s"]);
    assert_eq!(status, 124, "{stderr}");
    assert!(secs < 20.0, "took {secs}s");
    w.assert_nothing_left();
}

pub fn output_flood_is_stopped(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let (status, stdout, stderr, secs) =
        w.snippet("while True:\n    print('x' * 1000)\n", &["--timeout", "3s"]);
    assert_eq!(status, 124, "{stderr}");
    assert!(stdout.len() <= 2 << 20, "{} bytes of output", stdout.len());
    assert!(secs < 20.0, "took {secs}s");
    w.assert_nothing_left();
}

pub fn background_processes_do_not_survive(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let marker = format!("codingit-survivor-{}", std::process::id());
    let code = format!(
        "import subprocess\nsubprocess.Popen(['sleep', '300', '{marker}'])\n\
         try:\n    subprocess.Popen(['sleep', '301'], start_new_session=True)\nexcept OSError as e:\n    print('setsid refused')\nprint('started')"
    );
    let (status, stdout, stderr, _) = w.snippet(&code, &[]);
    assert_eq!(status, 0, "{stdout}{stderr}");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !super::process_lines().iter().any(|l| l.contains(&marker)),
        "a background process survived"
    );
    w.assert_nothing_left();
}

/// A failing cell: traceback on stderr, exit 1; `sys.exit(7)` passes through; `--json`
/// carries the error. Shared by the end-to-end `run` tests of both backends.
pub fn interpreter_error_has_a_traceback_and_exit_code(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let (status, _, stderr, _) = w.snippet("def f():\n    raise ValueError('boom')\nf()\n", &[]);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.contains("Traceback (most recent call last)"),
        "{stderr}"
    );
    assert!(stderr.contains("ValueError: boom"), "{stderr}");
    let (status, _, _, _) = w.snippet("import sys\nsys.exit(7)\n", &[]);
    assert_eq!(status, 7, "the program's exit code passes through");

    let out = w
        .cmd()
        .args(["run", "-", "--backend", backend, "--json"])
        .write_stdin("print('a')\n1/0\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["stdout"], "a\n");
    assert_eq!(v["error"]["name"], "ZeroDivisionError");
    assert_eq!(v["exit_code"], 1);
    w.assert_nothing_left();
}

/// The whole suite as `#[test]` functions for one backend:
/// `containment_tests!("local");`. Each backend's cases are a group of their own
/// (`support::solo`).
#[allow(unused_macros)]
macro_rules! containment_tests {
    ($backend:expr) => {
        $crate::support::containment::containment_tests!(
            @ $backend,
            host_file_outside_is_unreadable,
            writes_outside_home_are_refused,
            network_is_refused_when_off,
            fork_bomb_is_stopped,
            memory_bomb_is_stopped,
            endless_loop_is_stopped,
            output_flood_is_stopped,
            background_processes_do_not_survive,
        );
    };
    (@ $backend:expr, $($case:ident),* $(,)?) => {$(
        #[test]
        fn $case() {
            let _solo = $crate::support::solo(&format!("containment-{}", $backend));
            $crate::support::containment::$case($backend);
        }
    )*};
}
#[allow(unused_imports)]
pub(crate) use containment_tests;
