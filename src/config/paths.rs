//! Where codingit keeps its files: config, cache and state folders.
//!
//! Each follows the XDG base-directory convention, with a codingit-specific
//! variable first so tests and scripts can point a whole run somewhere else.

use std::path::PathBuf;

/// The configuration folder: `CODINGIT_CONFIG_DIR`, else `$XDG_CONFIG_HOME/codingit`,
/// else `~/.config/codingit`.
pub fn config_dir() -> Option<PathBuf> {
    dir_from("CODINGIT_CONFIG_DIR", "XDG_CONFIG_HOME", ".config")
}

/// The cache folder (template environments, built images' metadata):
/// `CODINGIT_CACHE_DIR`, else `$XDG_CACHE_HOME/codingit`, else `~/.cache/codingit`.
pub fn cache_dir() -> Option<PathBuf> {
    dir_from("CODINGIT_CACHE_DIR", "XDG_CACHE_HOME", ".cache")
}

/// The state folder (local sandboxes): `CODINGIT_STATE_DIR`, else
/// `$XDG_STATE_HOME/codingit`, else `~/.local/state/codingit`.
pub fn state_dir() -> Option<PathBuf> {
    dir_from("CODINGIT_STATE_DIR", "XDG_STATE_HOME", ".local/state")
}

fn dir_from(own_var: &str, xdg_var: &str, home_relative: &str) -> Option<PathBuf> {
    if let Some(dir) = non_empty_env(own_var) {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = non_empty_env(xdg_var) {
        return Some(PathBuf::from(dir).join("codingit"));
    }
    non_empty_env("HOME").map(|home| PathBuf::from(home).join(home_relative).join("codingit"))
}

/// An environment variable's value, treating an empty value as unset.
pub fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}
