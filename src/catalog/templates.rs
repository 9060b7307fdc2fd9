//! The template catalog: what each sandbox template offers the model and how it runs.
//!
//! Built-in entries come from `templates.toml` at the repository root; a
//! `templates.toml` in the config folder adds templates or overrides fields.

use super::merge::merge_tables;
use super::models::describe_toml_error;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const BUILTIN_TEMPLATES_TOML: &str = include_str!("../../templates.toml");

/// Whether the template runs code once like a notebook cell or serves an app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TemplateKind {
    Interpreter,
    Web,
}

/// The package manager that installs a fragment's extra dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageManager {
    Pip,
    Npm,
}

impl PackageManager {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pip => "pip",
            Self::Npm => "npm",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateDef {
    /// Filled from the table key.
    #[serde(default)]
    pub id: String,
    pub name: String,
    pub kind: TemplateKind,
    /// What the model is told about the template.
    pub instructions: String,
    /// The main file, relative to the project root.
    pub file: String,
    /// The port a web template serves on.
    #[serde(default)]
    pub port: Option<u16>,
    pub package_manager: PackageManager,
    /// Libraries as shown to the model (may carry versions).
    pub libraries: Vec<String>,
    /// Package names already installed, checked against a fragment's dependencies.
    #[serde(default)]
    pub preinstalled: Vec<String>,
    /// Command that starts a web template's app, run in the project folder.
    #[serde(default)]
    pub start: Vec<String>,
    /// Environment variables set for the app.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// File extensions that select this template for `run FILE` (first template wins).
    #[serde(default)]
    pub extensions: Vec<String>,
    /// The public image a template build starts from when no base image is configured.
    pub base_image: String,
}

impl TemplateDef {
    /// Whether `package` (a bare name) is already part of the template.
    pub fn has_package(&self, package: &str) -> bool {
        let wanted = normalize_package(package, self.package_manager);
        self.preinstalled
            .iter()
            .chain(self.libraries.iter())
            .any(|p| normalize_package(strip_version(p), self.package_manager) == wanted)
    }
}

fn strip_version(spec: &str) -> &str {
    // `nextjs@14.2.5` or `@types/node@20`: the version starts at the last `@` past index 0.
    match spec.rfind('@') {
        Some(i) if i > 0 => &spec[..i],
        _ => spec,
    }
}

/// Canonical form of a package name for comparison (PEP 503 for pip).
pub fn normalize_package(name: &str, manager: PackageManager) -> String {
    match manager {
        PackageManager::Pip => name
            .trim()
            .to_lowercase()
            .split(['-', '_', '.'])
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-"),
        PackageManager::Npm => name.trim().to_lowercase(),
    }
}

#[derive(Debug, Clone, Default)]
pub struct TemplateCatalog {
    pub templates: BTreeMap<String, TemplateDef>,
}

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("{source_name}: {message}")]
    Invalid {
        source_name: String,
        message: String,
    },
    #[error(
        "unknown template `{id}` (known: {known})\n  how to fix: run `codingit templates list`"
    )]
    Unknown { id: String, known: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplatesFile {
    #[serde(default)]
    templates: BTreeMap<String, toml::Table>,
}

impl TemplateCatalog {
    pub fn builtin() -> Result<Self, TemplateError> {
        let mut catalog = Self::default();
        catalog.merge_toml("built-in templates.toml", BUILTIN_TEMPLATES_TOML)?;
        Ok(catalog)
    }

    /// Merges a templates.toml over this catalog, field by field.
    pub fn merge_toml(&mut self, source_name: &str, text: &str) -> Result<(), TemplateError> {
        let invalid = |message: String| TemplateError::Invalid {
            source_name: source_name.to_string(),
            message,
        };
        let file: TemplatesFile =
            toml::from_str(text).map_err(|e| invalid(describe_toml_error(text, &e)))?;
        for (id, table) in file.templates {
            let mut base = match self.templates.get(&id) {
                Some(existing) => {
                    toml::Table::try_from(existing).map_err(|e| invalid(e.to_string()))?
                }
                None => toml::Table::new(),
            };
            merge_tables(&mut base, table);
            base.insert("id".into(), toml::Value::String(id.clone()));
            let template: TemplateDef = base.try_into().map_err(|e: toml::de::Error| {
                invalid(format!("template `{id}`: {}", e.message().trim()))
            })?;
            self.templates.insert(id, template);
        }
        Ok(())
    }

    pub fn get(&self, id: &str) -> Result<&TemplateDef, TemplateError> {
        self.templates
            .get(id)
            .ok_or_else(|| TemplateError::Unknown {
                id: id.to_string(),
                known: self
                    .templates
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The template for a file extension (`py` → the interpreter), if any.
    pub fn for_extension(&self, extension: &str) -> Option<&TemplateDef> {
        self.templates.values().find(|t| {
            t.extensions
                .iter()
                .any(|e| e.eq_ignore_ascii_case(extension))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_has_the_five_templates() {
        let c = TemplateCatalog::builtin().unwrap_or_default();
        for id in [
            "code-interpreter-v1",
            "nextjs-developer",
            "vue-developer",
            "streamlit-developer",
            "gradio-developer",
        ] {
            assert!(c.get(id).is_ok(), "{id}");
        }
        assert_eq!(
            c.get("streamlit-developer").ok().and_then(|t| t.port),
            Some(8501)
        );
        assert_eq!(
            c.for_extension("py").map(|t| t.id.as_str()),
            Some("code-interpreter-v1")
        );
    }

    #[test]
    fn preinstalled_packages_are_recognised() {
        let c = TemplateCatalog::builtin().unwrap_or_default();
        let py = c.get("code-interpreter-v1").ok();
        assert_eq!(py.map(|t| t.has_package("Pandas")), Some(true));
        let next = c.get("nextjs-developer").ok();
        assert_eq!(next.map(|t| t.has_package("@types/node")), Some(true));
        assert_eq!(
            c.get("nextjs-developer").map(|t| t.has_package("zod")).ok(),
            Some(false)
        );
    }
}
