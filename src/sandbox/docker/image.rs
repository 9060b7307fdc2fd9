//! Template images: a build context from the template folder, tagged by a hash of
//! everything that goes into it, built through the engine API on first use.

use super::connect::{engine_error, is_not_found};
use super::context;
use crate::catalog::TemplateDef;
use crate::sandbox::{BuildProgress, SandboxError, LABEL_TEMPLATE, LABEL_TOOL, RUNNER_PY};
use bollard::query_parameters::BuildImageOptionsBuilder;
use bollard::Docker;
use futures::StreamExt;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where a build finds its inputs.
#[derive(Debug, Clone, Default)]
pub struct ImageOptions {
    /// Replaces every template's `base_image` (config `sandbox.base_image`).
    pub base_image: Option<String>,
    /// An extra CA certificate (PEM) trusted inside builds and sandboxes.
    pub ca_cert: Option<PathBuf>,
    /// `<config dir>/sandbox-templates`: folders here replace the built-in ones.
    pub user_templates: Option<PathBuf>,
}

/// A build context: `(path, bytes, mode)` sorted by path, plus its tag.
#[derive(Debug, Clone)]
pub struct BuildContext {
    pub template: String,
    pub base_image: String,
    pub files: Vec<(String, Vec<u8>, u32)>,
    pub tag: String,
}

impl BuildContext {
    /// Collects the template folder, the shared support files, the runner and the
    /// optional CA certificate.
    pub fn new(template: &TemplateDef, options: &ImageOptions) -> Result<Self, SandboxError> {
        let build_error = |message: String| SandboxError::Build {
            template: template.id.clone(),
            message,
        };
        let base_image = options
            .base_image
            .clone()
            .filter(|b| !b.trim().is_empty())
            .unwrap_or_else(|| template.base_image.clone());
        let mut files = Vec::new();
        let user_dir = options
            .user_templates
            .as_ref()
            .map(|d| d.join(&template.id))
            .filter(|d| d.join("Dockerfile").is_file());
        if let Some(dir) = user_dir {
            read_folder(&dir, &dir, &mut files)
                .map_err(|e| build_error(format!("cannot read {}: {e}", dir.display())))?;
        } else if let Some(builtin) = context::builtin(&template.id) {
            files.extend(
                builtin
                    .iter()
                    .map(|(path, data)| (path.to_string(), data.to_vec(), 0o644)),
            );
        } else {
            return Err(build_error(format!(
                "there is no image recipe for it\n  how to fix: add a Dockerfile in \
                 <config dir>/sandbox-templates/{}/",
                template.id
            )));
        }
        for (name, data) in context::COMMON {
            files.push((format!("codingit/{name}"), data.to_vec(), 0o644));
        }
        files.push((
            "codingit/runner.py".into(),
            RUNNER_PY.as_bytes().to_vec(),
            0o644,
        ));
        let ca = match &options.ca_cert {
            Some(path) => std::fs::read(path).map_err(|e| {
                build_error(format!(
                    "cannot read the CA certificate {} (sandbox.ca_cert): {e}",
                    path.display()
                ))
            })?,
            None => Vec::new(),
        };
        files.push(("codingit/extra-ca.crt".into(), ca, 0o644));
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let tag = format!(
            "codingit/{}:{}",
            template.id,
            content_hash(&files, &base_image)
        );
        Ok(Self {
            template: template.id.clone(),
            base_image,
            files,
            tag,
        })
    }

    /// The context as a tar archive, with fixed metadata so equal inputs give
    /// equal archives (and the engine's build cache hits).
    pub fn tar(&self) -> Result<Vec<u8>, SandboxError> {
        let mut builder = tar::Builder::new(Vec::new());
        for (path, data, mode) in &self.files {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(tar::EntryType::Regular);
            header.set_mode(*mode);
            header.set_size(data.len() as u64);
            header.set_mtime(0);
            builder
                .append_data(&mut header, path, data.as_slice())
                .map_err(|e| SandboxError::Build {
                    template: self.template.clone(),
                    message: format!("packing the build context: {e}"),
                })?;
        }
        builder.into_inner().map_err(|e| SandboxError::Build {
            template: self.template.clone(),
            message: format!("packing the build context: {e}"),
        })
    }
}

fn read_folder(
    root: &Path,
    dir: &Path,
    files: &mut Vec<(String, Vec<u8>, u32)>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            read_folder(root, &path, files)?;
        } else if kind.is_file() {
            let rel = path
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            files.push((rel, std::fs::read(&path)?, 0o644));
        }
    }
    Ok(())
}

/// First 16 hex digits of SHA-256 over the files and the base image.
pub fn content_hash(files: &[(String, Vec<u8>, u32)], base_image: &str) -> String {
    let mut hasher = Sha256::new();
    for (path, data, mode) in files {
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update(mode.to_le_bytes());
        hasher.update((data.len() as u64).to_le_bytes());
        hasher.update(data);
    }
    hasher.update(b"base-image\0");
    hasher.update(base_image.as_bytes());
    let digest = hasher.finalize();
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Whether the engine has `image`.
pub async fn exists(docker: &Docker, image: &str) -> Result<bool, SandboxError> {
    match docker.inspect_image(image).await {
        Ok(_) => Ok(true),
        Err(e) if is_not_found(&e) => Ok(false),
        Err(e) => Err(engine_error("looking up an image", e)),
    }
}

/// Builds the context's image unless it is there; the build uses the host network
/// (engines without a bridge, such as ours, have no other way out).
pub async fn ensure(
    docker: &Docker,
    ctx: &BuildContext,
    progress: &(dyn Fn(BuildProgress) + Send + Sync),
) -> Result<(), SandboxError> {
    if exists(docker, &ctx.tag).await? {
        return Ok(());
    }
    let build_error = |message: String| SandboxError::Build {
        template: ctx.template.clone(),
        message,
    };
    progress(BuildProgress::Step(format!(
        "building {} from {}",
        ctx.tag, ctx.base_image
    )));
    let args = HashMap::from([("BASE_IMAGE", ctx.base_image.as_str())]);
    let labels = HashMap::from([
        (LABEL_TOOL, "codingit"),
        (LABEL_TEMPLATE, ctx.template.as_str()),
    ]);
    let options = BuildImageOptionsBuilder::default()
        .dockerfile("Dockerfile")
        .t(&ctx.tag)
        .rm(true)
        .forcerm(true)
        .networkmode("host")
        .buildargs(&args)
        .labels(&labels)
        .build();
    let archive = ctx.tar()?;
    let mut stream = docker.build_image(options, None, Some(bollard::body_full(archive.into())));
    let mut tail: Vec<String> = Vec::new();
    while let Some(item) = stream.next().await {
        let info = item.map_err(|e| build_error(describe_failure(&e.to_string(), &tail, ctx)))?;
        if let Some(detail) = info.error_detail.and_then(|d| d.message) {
            return Err(build_error(describe_failure(&detail, &tail, ctx)));
        }
        if let Some(text) = info.stream {
            for line in text.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
                if line.starts_with("Step ") {
                    progress(BuildProgress::Step(line.to_string()));
                } else {
                    progress(BuildProgress::Log(line.to_string()));
                }
                tail.push(line.to_string());
                if tail.len() > 15 {
                    tail.remove(0);
                }
            }
        }
    }
    if exists(docker, &ctx.tag).await? {
        Ok(())
    } else {
        Err(build_error(describe_failure(
            "the engine finished without an image",
            &tail,
            ctx,
        )))
    }
}

fn describe_failure(message: &str, tail: &[String], ctx: &BuildContext) -> String {
    let mut text = message.trim().to_string();
    if !tail.is_empty() {
        text.push_str("\n  last build output:\n    ");
        text.push_str(&tail.join("\n    "));
    }
    let lower = message.to_lowercase();
    let hint = if lower.contains("pull access denied")
        || lower.contains("not found")
        || lower.contains("manifest unknown")
        || lower.contains("no such image")
    {
        format!(
            "the base image `{}` is not on this engine and could not be pulled; pull or import \
             it, or set sandbox.base_image in config.toml to an image you have",
            ctx.base_image
        )
    } else if lower.contains("certificate") || lower.contains("ssl") || lower.contains("tls") {
        "a TLS check failed inside the build; behind a TLS-intercepting proxy, set \
         sandbox.ca_cert in config.toml to its CA certificate (PEM)"
            .to_string()
    } else {
        "read the build output above; `codingit -v templates build ID` shows all of it".to_string()
    };
    text.push_str("\n  how to fix: ");
    text.push_str(&hint);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(dir: &Path) -> Vec<String> {
        let mut files = Vec::new();
        let _ = read_folder(dir, dir, &mut files);
        let mut names: Vec<String> = files.into_iter().map(|f| f.0).collect();
        names.sort();
        names
    }

    #[test]
    fn embedded_templates_match_the_folders() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sandbox-templates");
        for id in [
            "code-interpreter-v1",
            "nextjs-developer",
            "vue-developer",
            "streamlit-developer",
            "gradio-developer",
        ] {
            let on_disk = folder(&root.join(id));
            let mut embedded: Vec<String> = context::builtin(id)
                .unwrap_or(&[])
                .iter()
                .map(|(p, _)| p.to_string())
                .collect();
            embedded.sort();
            assert_eq!(
                on_disk, embedded,
                "{id}: update src/sandbox/docker/context.rs"
            );
        }
        let common = folder(&root.join("_common"));
        let embedded: Vec<String> = context::COMMON.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(common, embedded);
    }

    #[test]
    fn hash_changes_with_content_and_base() {
        let files = vec![("Dockerfile".to_string(), b"FROM x".to_vec(), 0o644)];
        let a = content_hash(&files, "base:1");
        assert_eq!(a.len(), 16);
        assert_ne!(a, content_hash(&files, "base:2"));
        let changed = vec![("Dockerfile".to_string(), b"FROM y".to_vec(), 0o644)];
        assert_ne!(a, content_hash(&changed, "base:1"));
    }
}
