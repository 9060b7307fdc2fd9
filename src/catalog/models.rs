//! The model catalog: providers (wire protocol, base URL, key variables) and models.
//!
//! Built-in entries come from `models.toml` at the repository root, embedded at build
//! time; the user's own `models.toml` and the `[providers]` of `config.toml` are merged
//! over them. Providers are data: adding an OpenAI-compatible server needs no code.

use super::merge::merge_tables;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The built-in catalog, embedded from the repository root.
pub const BUILTIN_MODELS_TOML: &str = include_str!("../../models.toml");

/// How a provider is spoken to on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WireProtocol {
    /// OpenAI chat completions (most providers, Ollama, llama.cpp, vLLM, LM Studio).
    Openai,
    /// Anthropic messages.
    Anthropic,
    /// Gemini generateContent.
    Gemini,
}

impl WireProtocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Openai => "openai",
            Self::Anthropic => "anthropic",
            Self::Gemini => "gemini",
        }
    }
}

/// How an OpenAI-protocol server accepts structured output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StructuredSupport {
    /// `response_format: json_schema` with `strict: true`.
    #[default]
    JsonSchema,
    /// `response_format: json_object`, with the schema stated in the prompt.
    JsonObject,
    /// Nothing on the wire: the schema is stated in the prompt only.
    Prompt,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderDef {
    /// Filled from the table key.
    #[serde(default)]
    pub id: String,
    pub name: String,
    pub protocol: WireProtocol,
    pub base_url: String,
    /// Environment variables that may hold the key, first match wins.
    #[serde(default)]
    pub key_env: Vec<String>,
    /// Standard variables that override the base URL (after `CODINGIT_<ID>_BASE_URL`).
    #[serde(default)]
    pub base_url_env: Vec<String>,
    #[serde(default)]
    pub structured_output: StructuredSupport,
    /// A local server: available when it answers; no key needed.
    #[serde(default)]
    pub local: bool,
    /// The server's constrained decoder honours `maxLength`/`maxItems`, so schemas sent
    /// to it carry length bounds that stop a small model from rambling in a string.
    #[serde(default)]
    pub bounded_schema: bool,
    /// Used only to merge edits (`edit --applier`), never to generate.
    #[serde(default)]
    pub apply_only: bool,
    /// Extra HTTP headers for every request.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModelDef {
    pub id: String,
    pub name: String,
    pub provider: String,
    pub context_window: u64,
    #[serde(default)]
    pub multimodal: bool,
    /// Whether the provider constrains this model's output to a JSON schema.
    #[serde(default)]
    pub structured_output: bool,
    /// US dollars per million input tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_price: Option<f64>,
    /// US dollars per million output tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_price: Option<f64>,
}

impl ModelDef {
    /// The unambiguous `provider/model` form.
    pub fn full_id(&self) -> String {
        format!("{}/{}", self.provider, self.id)
    }

    /// Cost in dollars of a call, when the catalog has both prices.
    pub fn cost(&self, input_tokens: u64, output_tokens: u64) -> Option<f64> {
        let (input, output) = (self.input_price?, self.output_price?);
        Some((input_tokens as f64 * input + output_tokens as f64 * output) / 1_000_000.0)
    }
}

#[derive(Debug, Clone, Default)]
pub struct ModelCatalog {
    pub providers: BTreeMap<String, ProviderDef>,
    pub models: Vec<ModelDef>,
}

/// A catalog problem: a file that does not parse, or a model id that resolves to nothing.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{source_name}: {message}")]
    Invalid {
        source_name: String,
        message: String,
    },
    #[error("unknown model `{spec}`{suggestion}\n  how to fix: run `codingit models` to see the catalog, or add the model to models.toml in your config folder")]
    UnknownModel { spec: String, suggestion: String },
    #[error("model id `{spec}` is offered by several providers: {choices}\n  how to fix: name it as provider/model")]
    AmbiguousModel { spec: String, choices: String },
    #[error("unknown provider `{0}`\n  how to fix: run `codingit models providers`, or add it under [providers.{0}] in config.toml")]
    UnknownProvider(String),
}

/// A model picked by the user, with its provider.
#[derive(Debug, Clone)]
pub struct ResolvedModel {
    pub provider: ProviderDef,
    pub model: ModelDef,
    /// False when the id is not in the catalog but its provider is (ad-hoc models of
    /// configured servers); capabilities are then assumed conservatively.
    pub in_catalog: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    #[serde(default)]
    providers: BTreeMap<String, toml::Table>,
    #[serde(default)]
    models: Vec<ModelDef>,
}

impl ModelCatalog {
    /// The built-in catalog alone.
    pub fn builtin() -> Result<Self, CatalogError> {
        let mut catalog = Self::default();
        catalog.merge_toml("built-in models.toml", BUILTIN_MODELS_TOML)?;
        catalog.validate("built-in models.toml")?;
        Ok(catalog)
    }

    /// Merges a models.toml text over this catalog: provider fields override field by
    /// field; a model replaces the one with the same provider and id, else is added.
    pub fn merge_toml(&mut self, source_name: &str, text: &str) -> Result<(), CatalogError> {
        let file: CatalogFile = toml::from_str(text).map_err(|e| CatalogError::Invalid {
            source_name: source_name.to_string(),
            message: describe_toml_error(text, &e),
        })?;
        for (id, table) in file.providers {
            self.merge_provider(source_name, &id, table)?;
        }
        for model in file.models {
            self.upsert_model(model);
        }
        Ok(())
    }

    /// Merges one provider table (from models.toml or config.toml) over the existing one.
    pub fn merge_provider(
        &mut self,
        source_name: &str,
        id: &str,
        table: toml::Table,
    ) -> Result<(), CatalogError> {
        let mut base = match self.providers.get(id) {
            Some(existing) => {
                toml::Table::try_from(existing).map_err(|e| CatalogError::Invalid {
                    source_name: source_name.to_string(),
                    message: e.to_string(),
                })?
            }
            None => toml::Table::new(),
        };
        merge_tables(&mut base, table);
        base.insert("id".into(), toml::Value::String(id.to_string()));
        let provider: ProviderDef =
            base.try_into()
                .map_err(|e: toml::de::Error| CatalogError::Invalid {
                    source_name: source_name.to_string(),
                    message: format!("provider `{id}`: {}", e.message().trim()),
                })?;
        self.providers.insert(id.to_string(), provider);
        Ok(())
    }

    fn upsert_model(&mut self, model: ModelDef) {
        match self
            .models
            .iter_mut()
            .find(|m| m.provider == model.provider && m.id == model.id)
        {
            Some(slot) => *slot = model,
            None => self.models.push(model),
        }
    }

    /// Resolves `provider/model` or a unique bare model id. A catalog entry wins over
    /// an ad-hoc model: `openai/gpt-oss-120b` is the bare id of Groq's and Together's
    /// model before it is an unknown OpenAI model.
    pub fn resolve(&self, spec: &str) -> Result<ResolvedModel, CatalogError> {
        let spec = spec.trim();
        let prefixed = spec
            .split_once('/')
            .and_then(|(provider_id, model_id)| Some((self.providers.get(provider_id)?, model_id)));
        if let Some((provider, model_id)) = prefixed {
            if let Some(model) = self.find(&provider.id, model_id) {
                return self.with_provider(model);
            }
        }
        let matches: Vec<&ModelDef> = self.models.iter().filter(|m| m.id == spec).collect();
        match (matches.as_slice(), prefixed) {
            ([one], _) => self.with_provider(one),
            ([], Some((provider, model_id))) => Ok(self.resolve_in_provider(provider, model_id)),
            ([], None) => Err(CatalogError::UnknownModel {
                spec: spec.to_string(),
                suggestion: self.suggest(spec),
            }),
            (many, _) => Err(CatalogError::AmbiguousModel {
                spec: spec.to_string(),
                choices: many
                    .iter()
                    .map(|m| m.full_id())
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    fn find(&self, provider: &str, model_id: &str) -> Option<&ModelDef> {
        self.models
            .iter()
            .find(|m| m.provider == provider && m.id == model_id)
    }

    /// Checks that every model names a defined provider (after all layers merged).
    pub fn validate(&self, source_name: &str) -> Result<(), CatalogError> {
        match self.models.iter().find(|m| !self.providers.contains_key(&m.provider)) {
            Some(model) => Err(CatalogError::Invalid {
                source_name: source_name.to_string(),
                message: format!(
                    "model `{}` names provider `{}`, which is not defined in models.toml or config.toml",
                    model.id, model.provider
                ),
            }),
            None => Ok(()),
        }
    }

    fn resolve_in_provider(&self, provider: &ProviderDef, model_id: &str) -> ResolvedModel {
        match self
            .models
            .iter()
            .find(|m| m.provider == provider.id && m.id == model_id)
        {
            Some(model) => ResolvedModel {
                provider: provider.clone(),
                model: model.clone(),
                in_catalog: true,
            },
            None => ResolvedModel {
                provider: provider.clone(),
                model: ModelDef {
                    id: model_id.to_string(),
                    name: model_id.to_string(),
                    provider: provider.id.clone(),
                    context_window: 0,
                    multimodal: false,
                    structured_output: provider.structured_output == StructuredSupport::JsonSchema,
                    input_price: None,
                    output_price: None,
                },
                in_catalog: false,
            },
        }
    }

    fn with_provider(&self, model: &ModelDef) -> Result<ResolvedModel, CatalogError> {
        let provider = self
            .providers
            .get(&model.provider)
            .ok_or_else(|| CatalogError::UnknownProvider(model.provider.clone()))?;
        Ok(ResolvedModel {
            provider: provider.clone(),
            model: model.clone(),
            in_catalog: true,
        })
    }

    fn suggest(&self, spec: &str) -> String {
        let ids: Vec<String> = self.models.iter().map(ModelDef::full_id).collect();
        let needle = spec.rsplit('/').next().unwrap_or(spec);
        let close = closest(needle, ids.iter().map(String::as_str));
        if close.is_empty() {
            String::new()
        } else {
            format!(" (did you mean: {}?)", close.join(", "))
        }
    }

    pub fn provider(&self, id: &str) -> Result<&ProviderDef, CatalogError> {
        self.providers
            .get(id)
            .ok_or_else(|| CatalogError::UnknownProvider(id.to_string()))
    }
}

/// A TOML error as `line L, column C: message`.
pub fn describe_toml_error(text: &str, err: &toml::de::Error) -> String {
    match err.span() {
        Some(span) => {
            let (line, column) = crate::config::line_and_column(text, span.start);
            format!("line {line}, column {column}: {}", err.message().trim())
        }
        None => err.message().trim().to_string(),
    }
}

/// Up to five of `candidates` that look like `needle` (a typo, a missing or extra
/// piece): those containing it or contained in it, and those within a small edit
/// distance of their model part, closest first.
pub fn closest<'a>(needle: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let needle = needle.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .filter_map(|full| {
            let id = full.rsplit('/').next().unwrap_or(full).to_lowercase();
            let contained = id.contains(&needle) || (needle.len() >= 4 && needle.contains(&id));
            let distance = strsim::levenshtein(&needle, &id);
            let near = distance <= (needle.len() / 4).max(1) + 1;
            (contained || near).then_some((if contained { 0 } else { distance }, full))
        })
        .collect();
    scored.sort_by_key(|(d, _)| *d);
    scored
        .into_iter()
        .take(5)
        .map(|(_, id)| id.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> ModelCatalog {
        ModelCatalog::builtin().unwrap_or_default()
    }

    #[test]
    fn builtin_catalog_is_large_and_consistent() {
        let c = catalog();
        assert!(c.models.len() >= 50, "{} models", c.models.len());
        assert!(c.providers.len() >= 12);
        for model in &c.models {
            assert!(
                c.providers.contains_key(&model.provider),
                "{}",
                model.full_id()
            );
        }
    }

    #[test]
    fn resolves_full_and_bare_ids() {
        let c = catalog();
        let full = c.resolve("openai/gpt-4o-mini").ok();
        assert_eq!(full.map(|r| r.model.provider), Some("openai".to_string()));
        let bare = c.resolve("gpt-4o-mini").ok();
        assert_eq!(bare.map(|r| r.in_catalog), Some(true));
        assert!(matches!(
            c.resolve("no-such-model"),
            Err(CatalogError::UnknownModel { .. })
        ));
    }

    #[test]
    fn ids_with_slashes_resolve_under_their_provider() {
        let c = catalog();
        let r = c.resolve("openrouter/anthropic/claude-sonnet-4.5").ok();
        assert_eq!(
            r.map(|r| r.model.id),
            Some("anthropic/claude-sonnet-4.5".to_string())
        );
    }

    #[test]
    fn ad_hoc_model_of_known_provider() {
        let c = catalog();
        let r = c.resolve("ollama/my-finetune:latest").ok();
        assert_eq!(r.as_ref().map(|r| r.in_catalog), Some(false));
        assert_eq!(
            r.map(|r| r.model.id),
            Some("my-finetune:latest".to_string())
        );
    }

    #[test]
    fn user_file_merges_over_builtin() {
        let mut c = catalog();
        let user = r#"
[providers.openai]
base_url = "http://127.0.0.1:9/v1"

[providers.lab]
name = "Lab server"
protocol = "openai"
base_url = "http://127.0.0.1:8080/v1"
local = true

[[models]]
id = "tiny"
name = "Tiny"
provider = "lab"
context_window = 4096
"#;
        assert!(c.merge_toml("user models.toml", user).is_ok());
        let openai = c.provider("openai").ok();
        assert_eq!(
            openai.map(|p| p.base_url.as_str()),
            Some("http://127.0.0.1:9/v1")
        );
        assert_eq!(
            c.provider("openai").map(|p| p.key_env.len()).unwrap_or(0),
            1
        );
        assert!(c.resolve("lab/tiny").map(|r| r.in_catalog).unwrap_or(false));
    }

    #[test]
    fn broken_user_file_names_the_line() {
        let mut c = catalog();
        let err = c.merge_toml("models.toml", "[[models]]\nid = 3\n").err();
        let shown = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(shown.contains("line 2"), "{shown}");
    }
}
