//! A package spec the fragment checks accept installs on every backend: one grammar
//! (`catalog::PackageSpec`) for the checks, the templates and both installers. The
//! package comes from the real registry, so the sandbox runs with `--network`.
//!
//! The Docker Engine of the test machines has no bridge network (its containers get
//! `none` only; docs/sandbox-docker.md), so on Docker the spec is shown to pass the
//! installer's grammar and to stop only at the network gate, never as a refused spec.

use crate::support::containment::World;

/// A requirement with a version range and spaces, as models write them.
const SPEC: &str = "six >= 1.16, < 2";

/// A project asking for [`SPEC`], after the fragment checks accepted it.
fn project_needing_the_spec(w: &World) -> std::path::PathBuf {
    let code = "import six\nprint('six', six.__version__)\n";
    let dir = w.project("code-interpreter-v1", "script.py", code, None);
    // The project asks for the package the way `new` records it.
    let manifest = dir.join(".codingit/fragment.json");
    let mut fragment: codingit::fragment::Fragment =
        serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    fragment.additional_dependencies = vec![SPEC.to_string()];
    fragment.has_additional_dependencies = true;
    let catalog = codingit::catalog::TemplateCatalog::builtin().unwrap();
    let problems = codingit::fragment::checks::check_fragment(
        &fragment,
        &catalog,
        &["code-interpreter-v1".to_string()],
    );
    assert!(
        problems.is_empty(),
        "the fragment checks refuse it: {problems:?}"
    );
    std::fs::write(&manifest, serde_json::to_vec(&fragment).unwrap()).unwrap();
    dir
}

#[test]
fn local_installs_an_accepted_spec() {
    let _solo = crate::support::solo("install");
    let backend = "local";
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let dir = project_needing_the_spec(&w);
    let out = w
        .cmd()
        .args(["run", "--network", "--backend", backend])
        .arg(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("six 1."), "{stdout}\n{stderr}");
    w.assert_nothing_left();
}

#[test]
fn docker_takes_an_accepted_spec_to_the_network_gate() {
    let _solo = crate::support::solo("install");
    let backend = "docker";
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let dir = project_needing_the_spec(&w);
    let out = w
        .cmd()
        .args(["run", "--backend", backend])
        .arg(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("--network"), "{stderr}");
    assert!(!stderr.contains("refused package"), "{stderr}");
    w.assert_nothing_left();
}
