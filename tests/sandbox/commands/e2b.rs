//! `sandbox …` and `files` on the e2b backend over the binary's E2B test server
//! (`support::e2b`): the shared suite (`command_tests!`), unchanged. What the server
//! itself sees (sandboxes listed without `--backend` beside the others, none left on
//! it after `kill`) is checked in ../e2b_backend.rs, with a server of its own.

command_tests!("e2b", "commands_e2b");
