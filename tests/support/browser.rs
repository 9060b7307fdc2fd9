//! Headless Chromium for the tests that check what a web app's page shows.

use std::path::Path;

/// Chromium (CODINGIT_TEST_CHROMIUM, else /usr/bin/chromium); `None` (with a note)
/// outside CI when there is none. Under CI=true a missing one fails the test.
pub fn chromium() -> Option<String> {
    let found = std::env::var("CODINGIT_TEST_CHROMIUM")
        .ok()
        .filter(|p| !p.is_empty())
        .or_else(|| {
            ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
                .into_iter()
                .find(|p| Path::new(p).exists())
                .map(str::to_string)
        });
    if found.is_none() {
        assert!(
            !super::in_ci(),
            "CI=true and no Chromium (set CODINGIT_TEST_CHROMIUM)"
        );
        eprintln!("note: no Chromium; the page is checked over HTTP only");
    }
    found
}

/// The DOM after the page's scripts ran (`--dump-dom`, flags from ENVIRONMENT.md);
/// `extra` flags after those (a `--host-resolver-rules=` for a preview host that
/// only the test's proxy knows).
pub fn dump_dom(chromium: &str, url: &str, extra: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    // Crash reports and caches go under the profile, never the user's ~/.config.
    let out = std::process::Command::new(chromium)
        .env("HOME", profile.path())
        .env("XDG_CONFIG_HOME", profile.path())
        .env("XDG_CACHE_HOME", profile.path())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--virtual-time-budget=20000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .args(["--dump-dom", url])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The page's text once `marker` shows, for apps that render over a websocket
/// (Streamlit): `--dump-dom` dumps their skeleton before the first message, so
/// tests/support/cdp_text.py waits through the DevTools protocol instead. (whether
/// the marker showed, what the script printed); `extra` Chromium flags as for
/// [`dump_dom`].
pub fn rendered_text(chromium: &str, url: &str, marker: &str, extra: &[String]) -> (bool, String) {
    let python = ["/usr/bin/python3", "python3"]
        .into_iter()
        .find(|p| !p.starts_with('/') || Path::new(p).exists())
        .unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/cdp_text.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .args([chromium, url, marker, "90"])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}
