//! The catalogs: models and providers (`models.toml`), templates (`templates.toml`).

mod merge;
pub mod models;
pub mod package;
pub mod templates;

pub use models::{
    CatalogError, ModelCatalog, ModelDef, ProviderDef, ResolvedModel, StructuredSupport,
    WireProtocol,
};
pub use package::PackageSpec;
pub use templates::{PackageManager, TemplateCatalog, TemplateDef, TemplateError, TemplateKind};
