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
        Some(TemplatesAction::Build { .. }) => Err(super::not_built("templates build")),
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
