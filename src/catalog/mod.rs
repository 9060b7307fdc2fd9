//! The catalogs: models and providers (`models.toml`), templates (`templates.toml`).

mod merge;
pub mod models;
pub mod templates;

pub use models::{
    CatalogError, ModelCatalog, ModelDef, ProviderDef, ResolvedModel, StructuredSupport,
    WireProtocol,
};
pub use templates::{PackageManager, TemplateCatalog, TemplateDef, TemplateError, TemplateKind};
