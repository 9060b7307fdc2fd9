//! `codingit models`: the catalog, filtered, with availability.

use super::args::{ModelFilter, ModelsAction, ModelsArgs};
use super::exit::CliResult;
use super::output::{table, Output, SCHEMA_VERSION};
use codingit::catalog::{ModelDef, ProviderDef};
use codingit::config::{Availability, Settings};
use console::style;

mod check;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct ModelRow<'a> {
    schema_version: u32,
    id: String,
    model_id: &'a str,
    name: &'a str,
    provider: &'a str,
    multimodal: bool,
    context_window: u64,
    structured_output: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    input_price: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output_price: Option<f64>,
    apply_only: bool,
    available: bool,
}

pub fn run(args: ModelsArgs, settings: &Settings, out: &Output) -> CliResult {
    match args.action {
        None => list(&args.filter, settings, out),
        Some(ModelsAction::List { filter }) => {
            list(&merge_filters(&args.filter, filter), settings, out)
        }
        Some(ModelsAction::Show { id }) => show(&id, settings, out),
        Some(ModelsAction::Providers) => providers(settings, out),
        Some(ModelsAction::Check { target }) => check::run(target.as_deref(), settings, out),
    }
}

fn merge_filters(outer: &ModelFilter, inner: ModelFilter) -> ModelFilter {
    ModelFilter {
        provider: inner.provider.or_else(|| outer.provider.clone()),
        available: inner.available || outer.available,
        multimodal: inner.multimodal || outer.multimodal,
    }
}

/// Availability per provider, computed once (a local probe costs a connect).
fn availability_of(
    settings: &Settings,
    providers: &[&ProviderDef],
) -> BTreeMap<String, Availability> {
    providers
        .iter()
        .map(|p| (p.id.clone(), settings.availability(p)))
        .collect()
}

fn list(filter: &ModelFilter, settings: &Settings, out: &Output) -> CliResult {
    if let Some(provider) = &filter.provider {
        settings.models.provider(provider)?;
    }
    let models: Vec<&ModelDef> = settings
        .models
        .models
        .iter()
        .filter(|m| filter.provider.as_ref().is_none_or(|p| &m.provider == p))
        .filter(|m| !filter.multimodal || m.multimodal)
        .collect();
    let used: Vec<&ProviderDef> = settings
        .models
        .providers
        .values()
        .filter(|p| models.iter().any(|m| m.provider == p.id))
        .collect();
    let availability = availability_of(settings, &used);
    // A local server that lists its models makes only those available.
    let served: std::collections::HashMap<&str, Vec<String>> = used
        .iter()
        .filter(|p| {
            p.local
                && availability
                    .get(&p.id)
                    .is_some_and(Availability::is_available)
        })
        .filter_map(|p| settings.served_models(p).map(|list| (p.id.as_str(), list)))
        .collect();
    let is_available = |m: &ModelDef| {
        availability
            .get(&m.provider)
            .is_some_and(Availability::is_available)
            && served
                .get(m.provider.as_str())
                .is_none_or(|list| list.contains(&m.id))
    };
    let models: Vec<&ModelDef> = models
        .into_iter()
        .filter(|m| !filter.available || is_available(m))
        .collect();
    let apply_only = |m: &ModelDef| {
        settings
            .models
            .providers
            .get(&m.provider)
            .is_some_and(|p| p.apply_only)
    };

    if out.json {
        let rows: Vec<ModelRow> = models
            .iter()
            .map(|m| ModelRow {
                schema_version: SCHEMA_VERSION,
                id: m.full_id(),
                model_id: &m.id,
                name: &m.name,
                provider: &m.provider,
                multimodal: m.multimodal,
                context_window: m.context_window,
                structured_output: m.structured_output,
                input_price: m.input_price,
                output_price: m.output_price,
                apply_only: apply_only(m),
                available: is_available(m),
            })
            .collect();
        out.json_value(&rows);
        return Ok(());
    }
    let mut rows = vec![[
        "MODEL",
        "NAME",
        "CONTEXT",
        "IMAGES",
        "SCHEMA",
        "$/M IN/OUT",
        "AVAILABLE",
    ]
    .iter()
    .map(|h| style(*h).bold().to_string())
    .collect::<Vec<_>>()];
    for m in &models {
        let available = if is_available(m) {
            style("yes").green().to_string()
        } else {
            style("no").dim().to_string()
        };
        rows.push(vec![
            m.full_id(),
            m.name.clone(),
            context_label(m.context_window),
            yes_no(m.multimodal),
            yes_no(m.structured_output),
            price_label(m),
            available,
        ]);
    }
    out.styled(&table(&rows));
    if models.is_empty() {
        out.info("no model matches (try without --available, or `codingit models providers` to see keys)");
    }
    Ok(())
}

fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "-" }.to_string()
}

fn context_label(tokens: u64) -> String {
    match tokens {
        0 => "?".into(),
        t if t >= 1_000_000 => format!("{:.1}M", t as f64 / 1_000_000.0).replace(".0M", "M"),
        t => format!("{}k", t / 1000),
    }
}

fn price_label(m: &ModelDef) -> String {
    match (m.input_price, m.output_price) {
        (Some(i), Some(o)) => format!("{i}/{o}"),
        _ => "-".into(),
    }
}

fn show(spec: &str, settings: &Settings, out: &Output) -> CliResult {
    let resolved = settings.models.resolve(spec)?;
    let availability = settings.availability(&resolved.provider);
    let m = &resolved.model;
    if out.json {
        out.json_value(&serde_json::json!({
            "schema_version": SCHEMA_VERSION,
            "id": m.full_id(),
            "model_id": m.id,
            "name": m.name,
            "provider": m.provider,
            "provider_name": resolved.provider.name,
            "protocol": resolved.provider.protocol,
            "base_url": settings.base_url(&resolved.provider),
            "multimodal": m.multimodal,
            "context_window": m.context_window,
            "structured_output": m.structured_output,
            "input_price": m.input_price,
            "output_price": m.output_price,
            "in_catalog": resolved.in_catalog,
            "available": availability.is_available(),
            "availability": availability,
        }));
        return Ok(());
    }
    let rows = vec![
        vec!["id".into(), m.full_id()],
        vec!["name".into(), m.name.clone()],
        vec![
            "provider".into(),
            format!("{} ({})", resolved.provider.name, m.provider),
        ],
        vec![
            "protocol".into(),
            resolved.provider.protocol.as_str().into(),
        ],
        vec!["base url".into(), settings.base_url(&resolved.provider)],
        vec!["context".into(), context_label(m.context_window)],
        vec!["images".into(), yes_no(m.multimodal)],
        vec!["schema output".into(), yes_no(m.structured_output)],
        vec!["price $/M in/out".into(), price_label(m)],
        vec!["available".into(), availability.describe()],
    ];
    out.styled(&table(&rows));
    if !resolved.in_catalog {
        out.info(format!(
            "note: `{}` is not in the catalog; capabilities are assumed",
            m.id
        ));
    }
    Ok(())
}

fn providers(settings: &Settings, out: &Output) -> CliResult {
    let all: Vec<&ProviderDef> = settings.models.providers.values().collect();
    let availability = availability_of(settings, &all);
    let count = |id: &str| {
        settings
            .models
            .models
            .iter()
            .filter(|m| m.provider == id)
            .count()
    };
    if out.json {
        let rows: Vec<serde_json::Value> = all
            .iter()
            .map(|p| {
                let a = &availability[&p.id];
                serde_json::json!({
                    "schema_version": SCHEMA_VERSION,
                    "id": p.id,
                    "name": p.name,
                    "protocol": p.protocol,
                    "base_url": settings.base_url(p),
                    "key_env": p.key_env,
                    "structured_output": p.structured_output,
                    "local": p.local,
                    "apply_only": p.apply_only,
                    "models": count(&p.id),
                    "available": a.is_available(),
                    "availability": a,
                    "notes": p.notes,
                })
            })
            .collect();
        out.json_value(&rows);
        return Ok(());
    }
    let mut rows = vec![["PROVIDER", "PROTOCOL", "MODELS", "BASE URL", "STATUS"]
        .iter()
        .map(|h| style(*h).bold().to_string())
        .collect::<Vec<_>>()];
    for p in &all {
        let a = &availability[&p.id];
        let status = if a.is_available() {
            style(a.describe()).green().to_string()
        } else {
            style(a.describe()).dim().to_string()
        };
        rows.push(vec![
            p.id.clone(),
            p.protocol.as_str().into(),
            count(&p.id).to_string(),
            settings.base_url(p),
            status,
        ]);
    }
    out.styled(&table(&rows));
    Ok(())
}
