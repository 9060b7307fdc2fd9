//! `sandbox …` and `files` on the Docker backend: the shared suite
//! (`command_tests!`). What only Docker has (hardening, `kill --all`, `ls` from a
//! fresh process by label) is in ../docker_backend.rs.

command_tests!("docker", "commands_docker");
