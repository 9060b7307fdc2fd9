//! Reading the prompt and attachments: argument, stdin, images.

use super::exit::{CliError, CliResult, Exit};
use codingit::llm::Part;
use std::io::{IsTerminal, Read};
use std::path::Path;

/// Whether stdin is a pipe, a socket or a regular file: something that was meant to be
/// read. A terminal, `/dev/null` or a closed stdin is not.
fn stdin_has_data_source() -> bool {
    use std::os::unix::fs::FileTypeExt;
    if std::io::stdin().is_terminal() {
        return false;
    }
    std::fs::metadata("/dev/stdin")
        .map(|m| {
            let t = m.file_type();
            t.is_fifo() || t.is_file() || t.is_socket()
        })
        .unwrap_or(false)
}

/// The prompt from stdin (when it is a pipe or file, or `-` is given) and the argument,
/// stdin first. Never waits on a terminal: no prompt there is a usage error.
pub fn read_prompt(arg: Option<&str>) -> CliResult<String> {
    let explicit_stdin = arg == Some("-");
    let arg = arg.filter(|a| *a != "-");
    let mut parts = Vec::new();
    if explicit_stdin || stdin_has_data_source() {
        if explicit_stdin && std::io::stdin().is_terminal() {
            return Err(CliError::new(
                Exit::Usage,
                "`-` reads the prompt from stdin, but stdin is a terminal; pipe the prompt in",
            ));
        }
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::new(Exit::Usage, format!("cannot read stdin: {e}")))?;
        if !text.trim().is_empty() {
            parts.push(text.trim_end().to_string());
        }
    }
    if let Some(arg) = arg.filter(|a| !a.trim().is_empty()) {
        parts.push(arg.to_string());
    }
    if parts.is_empty() {
        return Err(CliError::new(
            Exit::Usage,
            "no prompt: give it as an argument or pipe it on stdin (see --help)",
        ));
    }
    Ok(parts.join("\n\n"))
}

/// An image attachment, its type from the file's first bytes.
pub fn read_image(path: &Path) -> CliResult<Part> {
    let data = std::fs::read(path).map_err(|e| {
        CliError::new(
            Exit::Usage,
            format!("cannot read image {}: {e}", path.display()),
        )
    })?;
    let media_type = match data.as_slice() {
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [b'G', b'I', b'F', b'8', ..] => "image/gif",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        _ => {
            return Err(CliError::new(
                Exit::Usage,
                format!("{} is not a PNG, JPEG, GIF or WebP image", path.display()),
            ))
        }
    };
    Ok(Part::Image {
        media_type: media_type.into(),
        data,
    })
}
