//! From settings to an LLM endpoint: protocol, base URL, key, structured-output mode,
//! retry and timeout policy.

use super::{ConfigError, Settings};
use crate::catalog::{ResolvedModel, StructuredSupport, WireProtocol};
use crate::llm::{ApiKey, ClientOptions, Endpoint, Protocol, StructuredMode};

/// Repair rounds when neither flag nor config says.
pub const DEFAULT_REPAIR_ROUNDS: u32 = 2;

impl Settings {
    /// The endpoint for a resolved model. A cloud provider without a key is an error
    /// that names the variable to set.
    pub fn endpoint(&self, resolved: &ResolvedModel) -> Result<Endpoint, ConfigError> {
        let provider = &resolved.provider;
        let api_key = self.api_key(provider).map(|(key, _)| ApiKey::new(key));
        if api_key.is_none() && !provider.local && !provider.key_env.is_empty() {
            return Err(ConfigError::MissingKey {
                provider: provider.id.clone(),
                variables: provider.key_env.join(" or "),
            });
        }
        let protocol = match provider.protocol {
            WireProtocol::Openai => Protocol::OpenAi,
            WireProtocol::Anthropic => Protocol::Anthropic,
            WireProtocol::Gemini => Protocol::Gemini,
        };
        // The provider's strongest mechanism, stepped down for models it does not cover.
        let structured = match (provider.structured_output, resolved.model.structured_output) {
            (StructuredSupport::JsonSchema, true) => StructuredMode::JsonSchema,
            (StructuredSupport::JsonSchema | StructuredSupport::JsonObject, _) => {
                StructuredMode::JsonObject
            }
            (StructuredSupport::Prompt, _) => StructuredMode::Prompt,
        };
        Ok(Endpoint {
            provider: provider.id.clone(),
            protocol,
            base_url: self.base_url(provider),
            api_key,
            structured,
            headers: provider
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        })
    }

    /// Retry and timeout policy from config.toml over the defaults.
    pub fn client_options(&self) -> ClientOptions {
        let mut options = ClientOptions::default();
        let llm = &self.file.llm;
        if let Some(v) = llm.connect_timeout {
            options.timeouts.connect = v;
        }
        if let Some(v) = llm.first_byte_timeout {
            options.timeouts.first_byte = v;
        }
        if let Some(v) = llm.total_timeout {
            options.timeouts.total = v;
        }
        if let Some(v) = llm.max_attempts {
            options.retry.max_attempts = v.max(1);
        }
        if let Some(v) = llm.max_retry_time {
            options.retry.max_total = v;
        }
        options
    }

    /// Repair rounds: flag, else config, else 2.
    pub fn repair_rounds(&self, flag: Option<u32>) -> u32 {
        flag.or(self.file.llm.repair_rounds)
            .unwrap_or(DEFAULT_REPAIR_ROUNDS)
    }
}
