//! `codingit templates`: list, show, and build a template's sandbox image.

use super::args::{TemplatesAction, TemplatesArgs};
use super::exit::{CliError, CliResult, Exit};
use super::output::{table, Output, SCHEMA_VERSION};
use codingit::config::Settings;
use console::style;

pub fn run(args: TemplatesArgs, settings: &Settings, out: &Output) -> CliResult {
    match args.action {
        None | Some(TemplatesAction::List) => list(settings, out),
        Some(TemplatesAction::Show { id }) => show(&id, settings, out),
        Some(TemplatesAction::Build { id, all, backend }) => build(id, all, backend, settings, out),
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
    out.styled(&table(&rows));
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
    out.styled(&table(&rows));
    Ok(())
}

fn build(
    id: Option<String>,
    all: bool,
    backend: Option<super::args::BackendChoice>,
    settings: &Settings,
    out: &Output,
) -> CliResult {
    let templates: Vec<codingit::catalog::TemplateDef> = if all {
        settings.templates.templates.values().cloned().collect()
    } else {
        let id = id.ok_or_else(|| CliError::new(Exit::Usage, "give a template id or --all"))?;
        vec![settings.templates.get(&id)?.clone()]
    };
    let runtime = super::runtime()?;
    runtime.block_on(async move {
        let backend = super::sandbox_view::connect_existing(backend, settings, out).await?;
        if backend.kind() == codingit::sandbox::BackendKind::E2b {
            return Err(CliError::new(
                Exit::Usage,
                "templates build does not build E2B templates: sandboxes start from the E2B \
                 template of the same name (or [sandbox.e2b_templates])\n  how to fix: build \
                 your own with E2B's CLI, or pick --backend docker|local; see \
                 docs/sandbox-e2b.md",
            ));
        }
        let mut results = Vec::new();
        for template in &templates {
            let started = std::time::Instant::now();
            let bar = out.show_progress().then(|| {
                let bar = indicatif::ProgressBar::new_spinner();
                bar.set_message(format!("{}: checking", template.id));
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                bar
            });
            let verbose = out.verbosity > 0;
            let progress = |p: codingit::sandbox::BuildProgress| match (&bar, p) {
                (Some(bar), codingit::sandbox::BuildProgress::Step(s)) => {
                    bar.set_message(format!("{}: {s}", template.id))
                }
                (Some(bar), codingit::sandbox::BuildProgress::Log(l)) if verbose => bar.println(l),
                (None, codingit::sandbox::BuildProgress::Step(s)) => {
                    out.info(format!("[{}] {s}", template.id))
                }
                (None, codingit::sandbox::BuildProgress::Log(l)) if verbose => {
                    out.info(format!("[{}] {l}", template.id))
                }
                _ => {}
            };
            let result = backend.prepare(template, &progress).await;
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            let secs = started.elapsed().as_secs_f64();
            match result {
                Ok(()) => {
                    if !out.json {
                        out.line(format!("{}  ready ({secs:.1}s)", template.id));
                    }
                    results.push(serde_json::json!({
                        "schema_version": SCHEMA_VERSION, "template": template.id,
                        "status": "ready", "seconds": secs,
                    }));
                }
                Err(e) => {
                    if out.json {
                        results.push(serde_json::json!({
                            "schema_version": SCHEMA_VERSION, "template": template.id,
                            "status": "failed", "error": e.to_string(),
                        }));
                        out.json_value(&results);
                        return Err(CliError::new(Exit::Sandbox, e.to_string()));
                    }
                    return Err(super::sandbox_view::sandbox_error(e));
                }
            }
        }
        if out.json {
            out.json_value(&results);
        }
        Ok(())
    })
}
