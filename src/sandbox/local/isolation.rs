//! The one rule about who may reach a local web app.

use crate::sandbox::{SandboxError, SandboxSpec};

/// A web app must not be reachable from the LAN: it needs a network namespace of its
/// own (`can_isolate`: bubblewrap, or root). Without one, fail closed unless the unsafe
/// opt-out was given; with `--network` the app shares the host's network by request.
pub fn check_app(
    spec: &SandboxSpec,
    can_isolate: bool,
    unsafe_ok: bool,
) -> Result<(), SandboxError> {
    if spec.template.port.is_none() || can_isolate || spec.network || unsafe_ok {
        return Ok(());
    }
    Err(SandboxError::Unavailable {
        message: format!(
            "`{}` serves a web app, which needs a network namespace of its own so that \
             only codingit's preview on 127.0.0.1 reaches it; without bubblewrap an \
             ordinary user cannot make one",
            spec.template.id
        ),
        hint: "install bubblewrap (`apt install bubblewrap`), use `--backend docker`, or accept \
         an app reachable from the network with --unsafe-no-confinement"
            .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::Limits;
    use std::time::Duration;

    fn spec(port: Option<u16>, network: bool) -> SandboxSpec {
        let templates =
            crate::catalog::TemplateCatalog::builtin().unwrap_or_else(|e| panic!("{e}"));
        let mut template = templates
            .get("streamlit-developer")
            .cloned()
            .unwrap_or_else(|e| panic!("{e}"));
        template.port = port;
        SandboxSpec {
            template,
            project: None,
            lifetime: Duration::from_secs(60),
            network,
            limits: Limits::default(),
            env: Default::default(),
        }
    }

    #[test]
    fn an_app_without_its_own_network_namespace_is_refused() {
        let refused = check_app(&spec(Some(8501), false), false, false);
        assert!(matches!(refused, Err(SandboxError::Unavailable { .. })));
        assert!(check_app(&spec(Some(8501), false), true, false).is_ok());
        assert!(check_app(&spec(Some(8501), false), false, true).is_ok());
        assert!(check_app(&spec(None, false), false, false).is_ok());
        assert!(check_app(&spec(Some(8501), true), false, false).is_ok());
    }
}
