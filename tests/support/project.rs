//! Project folders for the run suites, written the way `codingit new` writes them.

use super::containment::World;
use std::path::{Path, PathBuf};

/// A project folder as `codingit new` writes it at `dir`: the fragment's file and
/// `.codingit/fragment.json`, through the real writer.
pub fn write_project(
    dir: &Path,
    template: &str,
    file: &str,
    code: &str,
    port: Option<u16>,
) -> PathBuf {
    let fragment = codingit::fragment::Fragment {
        commentary: "test".into(),
        template: template.into(),
        title: "Test app".into(),
        description: "A test app.".into(),
        additional_dependencies: Vec::new(),
        has_additional_dependencies: false,
        install_dependencies_command: String::new(),
        port,
        file_path: file.into(),
        code: code.into(),
        files: Vec::new(),
    };
    let history = [codingit::fragment::project::HistoryEntry::now(
        "user", "test",
    )];
    codingit::fragment::project::write_new(dir, &fragment, &history, false).unwrap();
    dir.to_path_buf()
}

impl World {
    /// A project folder as `codingit new` writes it, in this world's folder.
    pub fn project(&self, template: &str, file: &str, code: &str, port: Option<u16>) -> PathBuf {
        write_project(&self.dir.path().join("project"), template, file, code, port)
    }
}
