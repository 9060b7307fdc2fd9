//! `codingit doctor`: what works on this machine and how to fix what does not:
//! config, keys (never shown), model servers, the Docker engine, local confinement,
//! the E2B API when a key is set, and which backend `auto` picks.

use super::exit::{CliError, CliResult, Exit};
use super::output::{Output, SCHEMA_VERSION};
use codingit::config::Settings;
use codingit::sandbox::select::{self, Choice, ConnectOptions};
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Status {
    Ok,
    Warn,
    Fail,
}

#[derive(Debug, Serialize)]
struct Finding {
    check: String,
    status: Status,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
}

impl Finding {
    fn new(check: impl Into<String>, status: Status, detail: impl Into<String>) -> Self {
        Self {
            check: check.into(),
            status,
            detail: detail.into(),
            fix: None,
        }
    }

    fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

pub fn run(settings: &Settings, out: &Output) -> CliResult {
    let runtime = super::runtime()?;
    let mut findings = vec![config(settings)];
    findings.extend(keys(settings));
    let model = default_model(settings);
    let model_ok = model.status != Status::Fail;
    findings.push(model);
    findings.extend(model_servers(settings));
    let (docker, local, auto) = runtime.block_on(backends(settings));
    findings.extend([docker, local]);
    findings.push(runtime.block_on(e2b(settings)));
    let backend_ok = auto.status != Status::Fail;
    findings.push(auto);
    let ok = model_ok && backend_ok;
    if out.json {
        out.json_value(&json!({ "schema_version": SCHEMA_VERSION, "ok": ok, "checks": findings }));
    } else {
        for f in &findings {
            let mark = match f.status {
                Status::Ok => "ok  ",
                Status::Warn => "warn",
                Status::Fail => "FAIL",
            };
            out.line(format!("{mark}  {}: {}", f.check, f.detail));
            if let Some(fix) = &f.fix {
                out.line(format!("      how to fix: {fix}"));
            }
        }
    }
    if ok {
        Ok(())
    } else {
        let why = "the default path cannot work here (see the FAIL lines)";
        Err(CliError::new(Exit::Failure, why))
    }
}

fn config(settings: &Settings) -> Finding {
    match &settings.config_path {
        Some(path) if path.is_file() => {
            Finding::new("config", Status::Ok, format!("{} (valid)", path.display()))
        }
        Some(path) => Finding::new(
            "config",
            Status::Ok,
            format!("no {} (built-in defaults)", path.display()),
        ),
        None => Finding::new(
            "config",
            Status::Warn,
            "no config folder (set HOME or CODINGIT_CONFIG_DIR)",
        ),
    }
}

/// The providers whose key is there (and from where), never a value; one line.
fn keys(settings: &Settings) -> Vec<Finding> {
    let mut set = Vec::new();
    let mut missing = Vec::new();
    for provider in settings.models.providers.values() {
        if provider.local || provider.key_env.is_empty() {
            continue;
        }
        match settings.api_key(provider) {
            Some((_, from)) => set.push(format!("{} ({from})", provider.id)),
            None => missing.push(provider.id.clone()),
        }
    }
    let finding = if set.is_empty() {
        Finding::new("keys", Status::Warn, format!("none set ({} providers need one)", missing.len()))
            .fix("export a provider's key, e.g. OPENAI_API_KEY=… (`codingit models providers` lists each variable), or use a local server")
    } else {
        Finding::new("keys", Status::Ok, format!("set for {}", set.join(", ")))
    };
    vec![finding]
}

/// A library error's text split into what happened and its "how to fix" line.
fn failed(check: &str, status: Status, error: &str) -> Finding {
    match error.split_once("\n  how to fix: ") {
        Some((what, fix)) => Finding::new(check, status, what).fix(fix),
        None => Finding::new(check, status, error),
    }
}

fn default_model(settings: &Settings) -> Finding {
    let resolved = settings
        .model_spec(None)
        .map_err(|e| e.to_string())
        .and_then(|spec| settings.models.resolve(&spec).map_err(|e| e.to_string()))
        .and_then(|r| settings.endpoint(&r).map(|_| r).map_err(|e| e.to_string()));
    match resolved {
        Ok(r) => Finding::new("default model", Status::Ok, r.model.full_id()),
        Err(e) => failed("default model", Status::Fail, &e),
    }
}

/// Each local (OpenAI-compatible) server: does it answer, and what does it serve
/// (the same probes as `models --available`).
fn model_servers(settings: &Settings) -> Vec<Finding> {
    settings
        .models
        .providers
        .values()
        .filter(|p| p.local)
        .map(|provider| {
            let name = format!("server {}", provider.id);
            let base = settings.base_url(provider);
            if !settings.availability(provider).is_available() {
                return Finding::new(name, Status::Warn, format!("nothing answers at {base}"))
                    .fix("start the server, or set its base_url in config.toml");
            }
            let served = match settings.served_models(provider) {
                Some(list) if !list.is_empty() => list.join(", "),
                _ => "(no list)".to_string(),
            };
            Finding::new(name, Status::Ok, format!("{base} serves {served}"))
        })
        .collect()
}

/// The Docker engine, local confinement, and what `auto` picks.
async fn backends(settings: &Settings) -> (Finding, Finding, Finding) {
    let engine = codingit::sandbox::docker::engine_address();
    let docker = select::connect(Choice::Docker, settings, ConnectOptions::default()).await;
    let docker_finding = match &docker {
        Ok(_) => Finding::new("docker", Status::Ok, format!("engine at {engine} answers")),
        Err(e) => failed("docker", Status::Warn, &e.to_string()),
    };
    let local = select::connect(Choice::Local, settings, ConnectOptions::default()).await;
    let bwrap = local_bubblewrap();
    let local_finding = match &local {
        Ok(_) => Finding::new(
            "local",
            Status::Ok,
            format!("Landlock (ABI 6+), seccomp and cgroups confine code here; bubblewrap {bwrap}"),
        ),
        Err(e) => failed("local", Status::Warn, &e.to_string()),
    };
    let auto = match (
        docker.is_ok(),
        local.is_ok(),
        codingit::sandbox::docker::host_is_named(),
    ) {
        (true, _, _) => Finding::new("auto backend", Status::Ok, format!("docker at {engine}")),
        (false, _, true) => Finding::new(
            "auto backend",
            Status::Fail,
            format!("none: DOCKER_HOST names {engine}, which does not answer"),
        )
        .fix("start that engine, unset DOCKER_HOST, or choose --backend local"),
        (false, true, false) => Finding::new(
            "auto backend",
            Status::Ok,
            "local (no Docker engine answered)",
        ),
        (false, false, false) => {
            Finding::new("auto backend", Status::Fail, "none can run code here").fix(
                "start a Docker engine, or use a kernel with Landlock ABI 6+ for the local backend",
            )
        }
    };
    (docker_finding, local_finding, auto)
}

/// The E2B backend, asked only when `E2B_API_KEY` is set; never part of the verdict,
/// since `auto` never picks it. Listing creates nothing and costs nothing.
async fn e2b(settings: &Settings) -> Finding {
    if std::env::var_os("E2B_API_KEY").is_none() {
        return Finding::new(
            "e2b",
            Status::Ok,
            "not set up (optional: set E2B_API_KEY, see docs/sandbox-e2b.md)",
        );
    }
    let backend = select::connect(Choice::E2b, settings, ConnectOptions::default()).await;
    match backend {
        Ok(backend) => match backend.list().await {
            Ok(live) => Finding::new(
                "e2b",
                Status::Ok,
                format!(
                    "the E2B API answers ({} sandbox(es) of codingit live)",
                    live.len()
                ),
            ),
            Err(e) => failed("e2b", Status::Warn, &e.to_string()),
        },
        Err(e) => failed("e2b", Status::Warn, &e.to_string()),
    }
}

#[cfg(target_os = "linux")]
fn local_bubblewrap() -> &'static str {
    use codingit::sandbox::local::{bubblewrap, Bubblewrap};
    match bubblewrap() {
        Bubblewrap::Used => "used for namespaces",
        Bubblewrap::TurnedOff => "turned off (CODINGIT_LOCAL_BWRAP=0)",
        Bubblewrap::NotFound => "not found (no pid/mount namespaces; install bubblewrap)",
    }
}

#[cfg(not(target_os = "linux"))]
fn local_bubblewrap() -> &'static str {
    "not used (Linux only)"
}
