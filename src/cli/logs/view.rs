//! How `logs` shows records: a table on a terminal or in a pipe, JSON with `--json`.

use crate::cli::output::{table, Output, SCHEMA_VERSION};
use crate::cli::safe_text::{escape, Keep};
use codingit::runlog::{CostRow, Entry};
use serde_json::{json, Value};
use std::time::{Duration, UNIX_EPOCH};

fn time(ts: i64) -> String {
    let at = UNIX_EPOCH + Duration::from_millis(u64::try_from(ts).unwrap_or(0));
    humantime::format_rfc3339_seconds(at).to_string()
}

fn entry_json(e: &Entry) -> Value {
    let mut doc = serde_json::to_value(e).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut doc {
        map.insert("schema_version".into(), json!(SCHEMA_VERSION));
        map.insert("time".into(), json!(time(e.ts)));
    }
    doc
}

pub(super) fn entries(out: &Output, entries: &[Entry]) {
    if out.json {
        out.json_value(&entries.iter().map(entry_json).collect::<Vec<_>>());
        return;
    }
    let mut rows = vec![[
        "ID", "TIME", "COMMAND", "KIND", "MODEL", "OUTCOME", "COST", "MS", "PROJECT",
    ]
    .map(String::from)
    .to_vec()];
    // Oldest first, so the newest line is next to the prompt.
    for e in entries.iter().rev() {
        let model = match (&e.provider, &e.model) {
            (Some(p), Some(m)) => format!("{p}/{m}"),
            _ => "-".into(),
        };
        let outcome = match &e.error_kind {
            Some(kind) => format!("{} ({kind})", e.outcome),
            None => e.outcome.clone(),
        };
        rows.push(vec![
            e.id.to_string(),
            time(e.ts),
            e.command.clone(),
            e.kind.clone(),
            model,
            outcome,
            e.cost_usd.map_or("-".into(), |c| format!("${c:.4}")),
            e.duration_ms.map_or("-".into(), |d| d.to_string()),
            e.project.clone().unwrap_or_else(|| "-".into()),
        ]);
    }
    // Project names and models come from files and configs: shown, never obeyed
    // (`styled` would keep a color sequence, so each cell is escaped first).
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| escape(c, Keep::Nothing).into_owned())
                .collect()
        })
        .collect();
    out.styled(&table(&rows));
}

pub(super) fn record(out: &Output, mut doc: Value) {
    if let Value::Object(map) = &mut doc {
        let ts = map.get("ts").and_then(Value::as_i64).unwrap_or(0);
        map.insert("schema_version".into(), json!(SCHEMA_VERSION));
        map.insert("time".into(), json!(time(ts)));
    }
    if out.json {
        out.json_value(&doc);
        return;
    }
    // `line` escapes every control character: prompts and answers are shown, never obeyed.
    out.line(serde_json::to_string_pretty(&doc).unwrap_or_default());
}

pub(super) fn cost(out: &Output, rows: &[CostRow]) {
    if out.json {
        let docs: Vec<Value> = rows
            .iter()
            .map(|r| {
                let mut doc = serde_json::to_value(r).unwrap_or(Value::Null);
                if let Value::Object(map) = &mut doc {
                    map.insert("schema_version".into(), json!(SCHEMA_VERSION));
                }
                doc
            })
            .collect();
        out.json_value(&docs);
        return;
    }
    let mut table_rows = vec![["KEY", "CALLS", "INPUT", "OUTPUT", "COST"]
        .map(String::from)
        .to_vec()];
    let mut total = 0.0;
    for r in rows {
        total += r.cost_usd;
        table_rows.push(vec![
            r.key.clone(),
            r.calls.to_string(),
            r.input_tokens.to_string(),
            r.output_tokens.to_string(),
            format!("${:.4}", r.cost_usd),
        ]);
    }
    table_rows.push(vec![
        "total".into(),
        String::new(),
        String::new(),
        String::new(),
        format!("${total:.4}"),
    ]);
    let table_rows: Vec<Vec<String>> = table_rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| escape(c, Keep::Nothing).into_owned())
                .collect()
        })
        .collect();
    out.styled(&table(&table_rows));
}
