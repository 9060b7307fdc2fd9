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
    let mut made = Layers::default();
    while let Some(item) = stream.next().await {
        let failed = match &item {
            Err(e) => Some(e.to_string()),
            Ok(info) => info.error_detail.as_ref().and_then(|d| d.message.clone()),
        };
        if let Some(message) = failed {
            made.remove(docker).await;
            return Err(build_error(describe_failure(&message, &tail, ctx)));
        }
        let Ok(info) = item else { continue };
        if let Some(text) = info.stream {
            // Package managers colour their output: shown as words, never as escapes.
            let text = console::strip_ansi_codes(&text).into_owned();
            for line in text.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
                made.see(line);
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
        made.remove(docker).await;
        Err(build_error(describe_failure(
            "the engine finished without an image",
            &tail,
            ctx,
        )))
    }
}

/// The images a failed build made (classic builder: ` ---> ID` after each step that
/// ran; a step served from the cache names an image that was there before).
#[derive(Default)]
struct Layers {
    ids: Vec<String>,
    cached: bool,
}

impl Layers {
    fn see(&mut self, line: &str) {
        if line.contains("Using cache") {
            self.cached = true;
        } else if let Some(id) = line.trim().strip_prefix("---> ") {
            let id = id.trim();
            let is_id = !id.is_empty() && id.chars().all(|c| c.is_ascii_hexdigit());
            if is_id && !std::mem::take(&mut self.cached) {
                self.ids.push(id.to_string());
            }
        }
    }

    /// Removes them, newest first, so a failed build leaves no dangling image; one
    /// still used by another image stays (the engine refuses, which is fine).
    async fn remove(&self, docker: &Docker) {
        for id in self.ids.iter().rev() {
            let options = bollard::query_parameters::RemoveImageOptions::default();
            let _ = docker.remove_image(id, Some(options), None).await;
        }
    }
}

/// What a failed build says, in words: the engine's message, the end of the build
/// output, and how to fix it on a sealed network (a base image that cannot be pulled,
/// an index that cannot be reached, a TLS-intercepting proxy).
fn describe_failure(message: &str, tail: &[String], ctx: &BuildContext) -> String {
    let message = console::strip_ansi_codes(message.trim()).into_owned();
    let mut text = message.clone();
    if !tail.is_empty() {
        text.push_str("\n  last build output:\n    ");
        text.push_str(&tail.join("\n    "));
    }
    text.push_str("\n  how to fix: ");
    text.push_str(&failure_hint(&message, tail, &ctx.base_image));
    text
}

fn failure_hint(message: &str, tail: &[String], base_image: &str) -> String {
    let lower = message.to_lowercase();
    let output = tail.join("\n").to_lowercase();
    let any = |needles: &[&str]| {
        needles
            .iter()
            .any(|n| lower.contains(n) || output.contains(n))
    };
    let unreachable = [
        "no such host",
        "temporary failure in name resolution",
        "name or service not known",
        "could not resolve",
        "network is unreachable",
        "connection refused",
        "i/o timeout",
        "eai_again",
        "enotfound",
    ];
    let pulling = lower.contains("registry")
        || lower.contains("pull access denied")
        || lower.contains("manifest unknown")
        || lower.contains("no such image")
        || (lower.contains("not found") && lower.contains(base_image));
    if any(&[
        "certificate_verify_failed",
        "certificate verify failed",
        "self-signed certificate",
        "self signed certificate",
        "unable to get local issuer",
        "unable_to_get_issuer_cert",
    ]) {
        "a TLS check failed inside the build (a TLS-intercepting proxy?): set sandbox.ca_cert in \
         config.toml to the proxy's CA certificate (PEM), or use --backend local"
            .to_string()
    } else if pulling {
        format!(
            "the base image `{base_image}` is not on this engine and could not be pulled (no \
             route to its registry?): load or import it (`docker load`, `docker import`), or set \
             sandbox.base_image in config.toml to an image this engine has, or use --backend local"
        )
    } else if any(&unreachable) {
        "the build could not reach the network (a sealed network?): let the engine reach the \
         package index through a proxy, set sandbox.base_image to an image with what the \
         template needs, or use --backend local"
            .to_string()
    } else {
        "read the build output above; `codingit -v templates build ID` shows all of it".to_string()
    }
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

    /// Real failures seen on sealed networks: the engine's pull error, pip behind a
    /// TLS-intercepting proxy, npm without DNS.
    #[test]
    fn sealed_network_failures_say_how_to_fix_them() {
        let pull = "Docker stream error: Get \"https://registry-1.docker.io/v2/\": dial tcp: \
                    lookup registry-1.docker.io on 10.255.255.53:53: no such host";
        let hint = failure_hint(pull, &[], "python:3.11-slim");
        assert!(
            hint.contains("`python:3.11-slim`") && hint.contains("sandbox.base_image"),
            "{hint}"
        );
        let tls = vec![
            "WARNING: Retrying (Retry(total=4)) after connection broken by 'SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate in certificate chain (_ssl.c:1006)'))': /simple/numpy/".to_string(),
        ];
        let hint = failure_hint(
            "The command '/bin/sh -c python3 -m pip install numpy' returned a non-zero code: 1",
            &tls,
            "python:3.11-slim",
        );
        assert!(hint.contains("sandbox.ca_cert"), "{hint}");
        let dns = vec![
            "npm error code EAI_AGAIN".to_string(),
            "npm error errno EAI_AGAIN".to_string(),
        ];
        let hint = failure_hint("returned a non-zero code: 1", &dns, "node:20-slim");
        assert!(hint.contains("could not reach the network"), "{hint}");
    }

    #[test]
    fn a_failed_build_forgets_cached_layers_and_strips_colours() {
        let mut layers = Layers::default();
        for line in [
            "Step 1/3 : FROM base",
            " ---> 1111aaaa",
            "Step 2/3 : RUN a",
            " ---> Using cache",
            " ---> 2222bbbb",
            "Step 3/3 : RUN b",
            " ---> Running in 3333cccc",
            " ---> 4444dddd",
        ] {
            layers.see(line);
        }
        assert_eq!(layers.ids, ["1111aaaa", "4444dddd"]);
        let ctx_line = console::strip_ansi_codes("\u{1b}[31mERROR\u{1b}[0m: boom").into_owned();
        assert_eq!(ctx_line, "ERROR: boom");
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
