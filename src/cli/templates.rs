//! `codingit templates`: list and show (build comes with the sandbox backends).

use super::args::{TemplatesAction, TemplatesArgs};
use super::exit::{CliError, CliResult, Exit};
use super::output::{table, Output, SCHEMA_VERSION};
use codingit::config::Settings;
use console::style;

pub fn run(args: TemplatesArgs, settings: &Settings, out: &Output) -> CliResult {
    match args.action {
        None | Some(TemplatesAction::List) => list(settings, out),
        Some(TemplatesAction::Show { id }) => show(&id, settings, out),
        Some(TemplatesAction::Build { id, all, backend }) => {
            build(id.as_deref(), all, backend, settings, out)
        }
    }
}

fn list(settings: &Settings, out: &Output) -> CliResult {
    let templates: Vec<_> = settings.templates.templates.values().collect();
    if out.json {
        let rows: Vec<serde_json::Value> = templates
            .iter()
            .map(|t| {
                let mut v = serde_json::to_value(t).unwrap_or_default();
                if let Some(map) = v.as_object_mut() {
                    map.insert("schema_version".into(), SCHEMA_VERSION.into());
                }
                v
            })
            .collect();
        out.json_value(&rows);
        return Ok(());
    }
    let mut rows = vec![["TEMPLATE", "KIND", "MAIN FILE", "PORT", "NAME"]
        .iter()
        .map(|h| style(*h).bold().to_string())
        .collect::<Vec<_>>()];
    for t in templates {
        rows.push(vec![
            t.id.clone(),
            format!("{:?}", t.kind).to_lowercase(),
            t.file.clone(),
            t.port.map(|p| p.to_string()).unwrap_or_else(|| "-".into()),
            t.name.clone(),
        ]);
    }
    out.raw(table(&rows).as_bytes());
    Ok(())
}

fn show(id: &str, settings: &Settings, out: &Output) -> CliResult {
    let t = settings.templates.get(id)?;
    if out.json {
        let mut v =
            serde_json::to_value(t).map_err(|e| CliError::new(Exit::Failure, e.to_string()))?;
        if let Some(map) = v.as_object_mut() {
            map.insert("schema_version".into(), SCHEMA_VERSION.into());
        }
        out.json_value(&v);
        return Ok(());
    }
    let rows = vec![
        vec!["id".into(), t.id.clone()],
        vec!["name".into(), t.name.clone()],
        vec!["kind".into(), format!("{:?}", t.kind).to_lowercase()],
        vec!["main file".into(), t.file.clone()],
        vec![
            "port".into(),
            t.port.map(|p| p.to_string()).unwrap_or_else(|| "-".into()),
        ],
        vec!["packages".into(), t.package_manager.as_str().into()],
        vec!["libraries".into(), t.libraries.join(", ")],
        vec![
            "start".into(),
            if t.start.is_empty() {
                "-".into()
            } else {
                t.start.join(" ")
            },
        ],
        vec!["instructions".into(), t.instructions.clone()],
    ];
    out.raw(table(&rows).as_bytes());
    Ok(())
}

/// Builds template environments (the local backend; the Docker build comes with it).
fn build(
    id: Option<&str>,
    all: bool,
    backend: Option<super::args::BackendChoice>,
    settings: &Settings,
    out: &Output,
) -> CliResult {
    let options = super::args::SandboxOptions {
        backend,
        ..Default::default()
    };
    let ids: Vec<String> = if all {
        settings.templates.templates.keys().cloned().collect()
    } else {
        id.map(|i| vec![i.to_string()]).unwrap_or_default()
    };
    let runtime = super::runtime()?;
    runtime.block_on(async {
        let backend = super::run::connect(&options, settings, out).await?;
        for id in ids {
            let template = settings.templates.get(&id)?.clone();
            let started = std::time::Instant::now();
            super::run::prepare(backend.as_ref(), &template, out).await?;
            out.info(format!(
                "{id}: ready ({:.1}s)",
                started.elapsed().as_secs_f64()
            ));
        }
        Ok(())
    })
}
