//! `sandbox …` and `files` on the local backend: the shared suite (`command_tests!`).
//! What only local sandboxes have (a detached web app, expiry after codingit is
//! killed, the state files) is in ../local_backend.rs.

command_tests!("local", "commands_local");
