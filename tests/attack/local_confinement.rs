//! Attacks on the local backend's kernel confinement, each checked on a host canary:
//! host UNIX sockets (a canary server must see no connection), other processes (a
//! canary process's environment, limits, priority and CPU placement), the kernel's
//! logs, symbols and devices, memory across processes, the size of home and tmp,
//! setuid files, LAN reachability of a web app, and secrets in the environment with
//! `--network`. Each runs with bubblewrap and with `CODINGIT_LOCAL_BWRAP=0` where
//! the claim holds both ways. Under CI=true nothing skips.

#[path = "local_support.rs"]
mod attack_support;

use crate::support::containment::{cache_dir, World};
use crate::support::in_ci;
use attack_support::{
    attack, host_listeners, is_root, modes, mount_is_nosuid, own_addresses, process_view, BACKEND,
};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

const INTERPRETER: &str = "code-interpreter-v1";

#[test]
fn host_unix_sockets_are_unreachable() {
    let _solo = crate::support::solo("attack_local");
    let w = World::new(BACKEND);
    if !w.ready(INTERPRETER) {
        return;
    }
    let tag = format!("codingit-canary-{}", std::process::id());
    let mut canaries = Vec::new();
    for dir in ["/tmp", "/run"] {
        let path = std::path::PathBuf::from(dir).join(format!("{tag}.sock"));
        let _ = std::fs::remove_file(&path);
        let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o777)).unwrap();
        listener.set_nonblocking(true).unwrap();
        canaries.push((path, listener));
    }
    // The socket files go even when an assertion fails.
    struct Remove(Vec<std::path::PathBuf>);
    impl Drop for Remove {
        fn drop(&mut self) {
            for path in &self.0 {
                let _ = std::fs::remove_file(path);
            }
        }
    }
    let _remove = Remove(canaries.iter().map(|(p, _)| p.clone()).collect());
    let targets: Vec<String> = canaries
        .iter()
        .map(|(p, _)| p.display().to_string())
        .chain(["/var/run/docker.sock", "/run/containerd/containerd.sock"].map(String::from))
        .collect();
    let code = format!(
        "import socket\nfor p in {targets:?}:\n    try:\n        s = socket.socket(socket.AF_UNIX)\n        \
         s.connect(p); print('CONNECTED', p)\n    except OSError as e:\n        print('refused', p, e.errno)\n\
         a, b = socket.socketpair(); a.send(b'x'); print('pair', b.recv(1))\n"
    );
    for bwrap in modes() {
        let (status, stdout, stderr) = attack(&w, bwrap, &code, &[]);
        assert_eq!(status, 0, "bwrap={bwrap}: {stdout}{stderr}");
        assert!(!stdout.contains("CONNECTED"), "bwrap={bwrap}: {stdout}");
        assert_eq!(
            stdout.matches("refused").count(),
            4,
            "bwrap={bwrap}: {stdout}"
        );
        assert!(
            stdout.contains("pair b'x'"),
            "socketpair must work: {stdout}"
        );
        for (path, listener) in &canaries {
            assert!(
                listener.accept().is_err(),
                "bwrap={bwrap}: the canary socket {} was reached",
                path.display()
            );
        }
    }
    w.assert_nothing_left();
}

#[test]
fn root_power_is_gone() {
    let _solo = crate::support::solo("attack_local");
    let w = World::new(BACKEND);
    if !w.ready(INTERPRETER) {
        return;
    }
    // A host process with a secret in its environment, as codingit itself holds API keys.
    let secret = format!("canary-secret-{}", std::process::id());
    let mut canary = std::process::Command::new("sleep")
        .arg("300")
        .env("CODINGIT_CANARY_SECRET", &secret)
        .spawn()
        .unwrap();
    let pid = canary.id();
    let before = process_view(pid);
    let code = format!(
        "import os, resource\n\
         print('uid', os.getuid(), os.geteuid(), os.getgroups())\n\
         print([l for l in open('/proc/self/status') if l.startswith(('CapEff', 'CapBnd', 'NoNewPrivs'))])\n\
         def attempt(name, f):\n    try:\n        r = f(); print('DID', name, r)\n    except OSError as e:\n        print('refused', name, e.errno)\n\
         attempt('environ', lambda: open('/proc/{pid}/environ', 'rb').read())\n\
         attempt('prlimit', lambda: resource.prlimit({pid}, resource.RLIMIT_NOFILE, (7, 7)))\n\
         attempt('setpriority', lambda: os.setpriority(os.PRIO_PROCESS, {pid}, 19))\n\
         attempt('setpriority-user', lambda: os.setpriority(os.PRIO_USER, 0, 19))\n\
         attempt('affinity', lambda: os.sched_setaffinity({pid}, {{0}}))\n\
         attempt('kmsg', lambda: open('/dev/kmsg', 'rb').read(100))\n\
         attempt('mknod', lambda: os.mknod('disk', 0o600 | 0o060000, os.makedev(8, 0)))\n\
         addrs = {{l.split()[0] for l in open('/proc/kallsyms')}}\n\
         print('kallsyms', sorted(addrs)[-1])\n"
    );
    let mut results = Vec::new();
    for bwrap in modes() {
        let (status, stdout, stderr) = attack(&w, bwrap, &code, &[]);
        results.push((bwrap, status, stdout, stderr));
    }
    let after = process_view(pid);
    let _ = canary.kill();
    let _ = canary.wait();
    for (bwrap, status, stdout, stderr) in results {
        assert_eq!(status, 0, "bwrap={bwrap}: {stdout}{stderr}");
        assert!(!stdout.contains(&secret), "bwrap={bwrap}: {stdout}");
        assert!(!stdout.contains("DID"), "bwrap={bwrap}: {stdout}");
        assert!(
            stdout.contains("kallsyms 0000000000000000"),
            "kernel addresses: {stdout}"
        );
        if is_root() {
            assert!(stdout.contains("uid 65534 65534 []"), "{stdout}");
            assert!(stdout.contains("CapEff:\\t0000000000000000"), "{stdout}");
            assert!(stdout.contains("CapBnd:\\t0000000000000000"), "{stdout}");
        }
    }
    assert_eq!(before, after, "the canary process was changed");
    w.assert_nothing_left();
}

#[test]
fn memory_limit_holds_across_processes() {
    let _solo = crate::support::solo("attack_local");
    if !is_root() {
        eprintln!("note: only root may make a memory cgroup; the report says so");
        return;
    }
    let w = World::new(BACKEND);
    if !w.ready(INTERPRETER) {
        return;
    }
    // Four processes of 150 MB each under a 256 MB limit, holding it together.
    let code = "import os, time\npids = []\nfor _ in range(4):\n    pid = os.fork()\n    if pid == 0:\n        \
                block = b'x' * (150 << 20)\n        time.sleep(4)\n        os._exit(0)\n    pids.append(pid)\n\
                held = sum(1 for p in pids if os.waitpid(p, 0)[1] == 0)\nprint('held', held)\n";
    for bwrap in modes() {
        let (status, stdout, stderr) = attack(&w, bwrap, code, &["--memory", "256m"]);
        assert_eq!(status, 0, "bwrap={bwrap}: {stdout}{stderr}");
        let held: u32 = stdout
            .trim()
            .strip_prefix("held ")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("bwrap={bwrap}: {stdout}{stderr}"));
        assert!(
            held <= 1,
            "bwrap={bwrap}: {held} processes held 150 MB each"
        );
    }
    w.assert_nothing_left();
}

#[test]
fn tmp_is_bounded_and_setuid_cannot_be_planted() {
    let _solo = crate::support::solo("attack_local");
    let w = World::new(BACKEND);
    if !w.ready(INTERPRETER) {
        return;
    }
    // Fill /tmp (up to 1 GiB), then plant setuid files in the home and wait so the
    // host can look at them.
    let code = "import os, tempfile, time, shutil\nd = tempfile.gettempdir()\nn = 0\ntry:\n    \
                with open(os.path.join(d, 'fill'), 'wb') as f:\n        while n < (1 << 30):\n            \
                f.write(b'x' * (16 << 20)); f.flush(); n += 16 << 20\nexcept OSError as e:\n    print('stopped', e.errno)\n\
                print('tmp', n)\nos.remove(os.path.join(d, 'fill'))\n\
                shutil.copy('/usr/bin/id', 'planted')\ntry:\n    os.chmod('planted', 0o4755); print('CHMOD SUID')\n\
                except OSError as e:\n    print('chmod refused', e.errno)\n\
                fd = os.open('created', os.O_CREAT | os.O_WRONLY, 0o6755); os.close(fd)\n\
                open('ready', 'w').close()\ntime.sleep(3)\n";
    for bwrap in modes() {
        let mut child = w
            .spawn_cmd()
            .env("CODINGIT_LOCAL_BWRAP", bwrap)
            .args(["run", "-", "--backend", BACKEND, "-q", "--memory", "1g"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(code.as_bytes())
            .unwrap();
        // The host looks at what was planted while the sandbox still exists.
        let sandboxes = w.dir.path().join("state/sandboxes");
        let deadline = std::time::Instant::now() + Duration::from_secs(90);
        let mut checked = false;
        while std::time::Instant::now() < deadline && !checked {
            for entry in std::fs::read_dir(&sandboxes)
                .into_iter()
                .flatten()
                .flatten()
            {
                let home = entry.path().join("home");
                if !home.join("ready").exists() {
                    continue;
                }
                let mode = std::fs::metadata(&home).unwrap().permissions().mode();
                assert_eq!(mode & 0o777, 0o700, "the sandbox home is {mode:o}");
                let nosuid = mount_is_nosuid(&home);
                for name in ["planted", "created"] {
                    let mode = std::fs::metadata(home.join(name))
                        .unwrap()
                        .permissions()
                        .mode();
                    assert!(
                        nosuid || mode & 0o6000 == 0,
                        "bwrap={bwrap}: a setuid file {name} ({mode:o}) on a suid mount"
                    );
                }
                checked = true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut stdout = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(checked, "bwrap={bwrap}: nothing planted: {stdout}{stderr}");
        assert!(status.success(), "bwrap={bwrap}: {stdout}{stderr}");
        assert!(stdout.contains("chmod refused"), "{stdout}");
        if is_root() || bwrap == "1" {
            let written: u64 = stdout
                .lines()
                .find_map(|l| l.strip_prefix("tmp "))
                .and_then(|n| n.parse().ok())
                .unwrap();
            assert!(
                written <= 512 << 20,
                "bwrap={bwrap}: {written} bytes in /tmp"
            );
        }
    }
    w.assert_nothing_left();
}

#[test]
fn network_env_passes_no_secrets() {
    let _solo = crate::support::solo("attack_local");
    let w = World::new(BACKEND);
    if !w.ready(INTERPRETER) {
        return;
    }
    let canaries = [
        ("HTTPS_PROXY", "http://user:proxysecret@proxy.invalid:3128"),
        ("https_proxy", "http://user:proxysecret@proxy.invalid:3128"),
        ("ALL_PROXY", "socks5://proxysecret@proxy.invalid"),
        ("NO_PROXY", "nosecret-but-not-asked"),
        ("PIP_INDEX_URL", "https://tokensecret@pypi.invalid/simple"),
        (
            "PIP_EXTRA_INDEX_URL",
            "https://tokensecret@pypi.invalid/simple",
        ),
        ("NPM_CONFIG__AUTH", "npmsecret"),
        ("npm_config_//registry.invalid/:_authToken", "npmsecret"),
        ("GITHUB_TOKEN", "ghsecret"),
        ("OPENAI_API_KEY", "sk-secret"),
    ];
    let code = "import os\nfor k, v in sorted(os.environ.items()):\n    print(k, '=', v)\n";
    for bwrap in modes() {
        let mut cmd = w.cmd();
        for (k, v) in canaries {
            cmd.env(k, v);
        }
        let out = cmd
            .env("CODINGIT_LOCAL_BWRAP", bwrap)
            .args(["run", "-", "--backend", BACKEND, "-q", "--network"])
            .write_stdin(code)
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for (k, v) in canaries {
            assert!(!stdout.contains(v), "bwrap={bwrap}: {k} leaked: {stdout}");
        }
    }
    // An allowed name passes; the others still do not.
    std::fs::write(
        w.dir.path().join("config/config.toml"),
        "[sandbox]\nenv_allow = [\"HTTPS_PROXY\"]\n",
    )
    .unwrap();
    let mut cmd = w.cmd();
    for (k, v) in canaries {
        cmd.env(k, v);
    }
    let out = cmd
        .args(["run", "-", "--backend", BACKEND, "-q", "--network"])
        .write_stdin(code)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("HTTPS_PROXY = http://user:proxysecret"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("tokensecret") && !stdout.contains("ghsecret"),
        "{stdout}"
    );
    w.assert_nothing_left();
}

#[test]
fn web_app_binding_all_addresses_is_not_on_the_lan() {
    let _solo = crate::support::solo("attack_local");
    let w = World::new(BACKEND);
    // The app's own network namespace needs bubblewrap, or root to make it.
    let modes: Vec<&str> = modes()
        .into_iter()
        .filter(|m| *m == "1" || is_root())
        .collect();
    if modes.is_empty() {
        eprintln!("note: no network namespace can be made here (the report says so)");
        return;
    }
    if std::net::TcpListener::bind(("127.0.0.1", 7860)).is_err() {
        assert!(!in_ci(), "CI=true and port 7860 is busy");
        eprintln!("note: skipping, port 7860 is busy");
        return;
    }
    if !w.ready("gradio-developer") {
        return;
    }
    let code = "import gradio as gr\nwith gr.Blocks() as demo:\n    gr.Markdown('hello from the lan test')\n\
                demo.launch(server_name='0.0.0.0', server_port=7860)\n";
    let dir = w.project("gradio-developer", "app.py", code, Some(7860));
    for bwrap in modes {
        serve_on_all_addresses(&w, &dir, bwrap);
    }
}

fn serve_on_all_addresses(w: &World, dir: &std::path::Path, bwrap: &str) {
    let mut child = w
        .spawn_cmd()
        .env("CODINGIT_CACHE_DIR", cache_dir())
        .env("CODINGIT_LOCAL_BWRAP", bwrap)
        .args(["run", dir.to_str().unwrap(), "--backend", BACKEND])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let result = std::panic::catch_unwind(|| {
        let url = url.trim();
        assert_eq!(url, "http://127.0.0.1:7860/", "no preview URL");
        let (_, body) = crate::support::http::get(url, Duration::from_secs(60));
        assert!(body.contains("hello from the lan test"), "{body}");
        // In the host's namespace only the relay listens, on loopback.
        let listeners = host_listeners(7860);
        assert_eq!(listeners, vec!["0100007F".to_string()], "{listeners:?}");
        for addr in own_addresses() {
            let reached = std::net::TcpStream::connect_timeout(
                &format!("{addr}:7860").parse().unwrap(),
                Duration::from_secs(2),
            );
            assert!(reached.is_err(), "the app answers on {addr}:7860");
        }
    });
    let _ = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    if let Err(e) = result {
        panic!("bwrap={bwrap}: {e:?}\nstderr:\n{err}");
    }
    std::thread::sleep(Duration::from_millis(300));
    w.assert_nothing_left();
}

#[test]
fn confinement_report_says_what_holds() {
    let _solo = crate::support::solo("attack_local");
    use codingit::sandbox::{local::LocalBackend, Backend, Limits, SandboxSpec};
    let w = World::new(BACKEND);
    if !w.ready(INTERPRETER) {
        return;
    }
    let catalog = codingit::catalog::TemplateCatalog::builtin().unwrap();
    let template = catalog.get(INTERPRETER).unwrap().clone();
    let state = w.dir.path().join("state");
    let backend = LocalBackend::at(cache_dir(), state.clone(), false).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let spec = SandboxSpec {
        template,
        project: None,
        lifetime: Duration::from_secs(60),
        network: false,
        limits: Limits::default(),
        env: Default::default(),
    };
    let info = runtime.block_on(backend.create(&spec)).unwrap();
    let report = backend.confinement(&info.id).unwrap();
    let home = state.join("sandboxes").join(&info.id).join("home");
    let home_mode = std::fs::metadata(&home).unwrap().permissions().mode() & 0o777;
    runtime.block_on(backend.kill(&info.id)).unwrap();
    assert_eq!(home_mode, 0o700);
    assert_eq!(report.backend, "local");
    assert_eq!(report.unix_sockets, "denied");
    assert_eq!(report.capabilities, "none");
    assert!(report.seccomp && report.no_new_privileges);
    assert_eq!(report.landlock_abi, Some(6));
    assert_eq!(report.bubblewrap, backend.uses_bubblewrap());
    assert_eq!(report.pid_namespace, backend.uses_bubblewrap());
    if is_root() {
        assert_eq!(report.uid, 65534);
        assert!(report.memory_cgroup, "{report:?}");
        assert_eq!(report.home_limit_bytes, Some(2 << 30));
        assert_eq!(report.tmp_limit_bytes, Some(512 << 20));
    } else {
        assert!(!report.memory_cgroup);
        assert!(
            report.refused.iter().any(|r| r.contains("memory cgroup")),
            "{report:?}"
        );
    }
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["unix_sockets"], "denied");
    assert!(!home.exists(), "the killed sandbox's home is left");
}
