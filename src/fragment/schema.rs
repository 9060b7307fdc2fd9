//! Strict JSON Schemas derived from the Rust types, used both to ask the model and to
//! validate its answer.

use schemars::JsonSchema;
use serde_json::{Map, Value};

/// The strict schema of `T`: subschemas inlined, every property required, no extra
/// properties, and no keywords that strict structured-output modes refuse.
pub fn strict_schema_for<T: JsonSchema>() -> Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .with(|s| s.inline_subschemas = true)
        .into_generator();
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    if let Some(map) = schema.as_object_mut() {
        map.remove("$schema");
        map.remove("title");
    }
    make_strict(&mut schema);
    schema
}

fn make_strict(value: &mut Value) {
    match value {
        Value::Object(map) => {
            // Formats and bounds such as `uint16` are not accepted by strict modes;
            // the Rust types check them when the answer is deserialised.
            for keyword in ["format", "minimum", "maximum", "$defs", "definitions"] {
                map.remove(keyword);
            }
            if map.get("type").and_then(Value::as_str) == Some("object")
                || map.contains_key("properties")
            {
                let names: Vec<Value> = map
                    .get("properties")
                    .and_then(Value::as_object)
                    .map(|p| p.keys().cloned().map(Value::String).collect())
                    .unwrap_or_default();
                map.insert("required".into(), Value::Array(names));
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            for child in map.values_mut() {
                make_strict(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(make_strict),
        _ => {}
    }
}

/// Removes `description` keys, for prompts where the schema is shown to the model.
pub fn without_descriptions(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| k.as_str() != "description")
                .map(|(k, v)| (k.clone(), without_descriptions(v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_descriptions).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fragment::Fragment;

    #[test]
    fn fragment_schema_is_strict() {
        let schema = strict_schema_for::<Fragment>();
        assert_eq!(schema["type"], "object");
        assert_eq!(schema["additionalProperties"], false);
        let required = schema["required"].as_array().map(Vec::len);
        assert_eq!(required, Some(11));
        let files = &schema["properties"]["files"]["items"];
        assert_eq!(files["additionalProperties"], false);
        assert!(schema.get("$defs").is_none());
        let text = schema.to_string();
        assert!(!text.contains("\"format\""), "{text}");
        assert!(!text.contains("$ref"), "{text}");
    }

    #[test]
    fn schema_accepts_a_fragment_and_rejects_extras() {
        let schema = strict_schema_for::<Fragment>();
        let validator = jsonschema::validator_for(&schema);
        let Ok(validator) = validator else {
            panic!("schema must compile");
        };
        let good = serde_json::json!({
            "commentary": "c", "template": "code-interpreter-v1", "title": "t",
            "description": "d", "additional_dependencies": [], "has_additional_dependencies": false,
            "install_dependencies_command": "", "port": null, "file_path": "script.py",
            "code": "print(1)", "files": []
        });
        assert!(validator.is_valid(&good));
        let mut extra = good.clone();
        extra["surprise"] = serde_json::json!(1);
        assert!(!validator.is_valid(&extra));
        let mut missing = good;
        if let Some(map) = missing.as_object_mut() {
            map.remove("files");
        }
        assert!(!validator.is_valid(&missing));
    }
}
