//! The one place that writes to stdout and stderr.
//!
//! stdout carries results only (human text, one `--json` document, or `--events`
//! lines); everything meant for people while work happens goes to stderr.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use super::args::{ColorChoice, GlobalArgs};
use super::safe_text::{escape, escape_json, Keep};
use console::style;
use serde::Serialize;
use std::io::{IsTerminal, Write};

/// The version of every `--json` document and `--events` line.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone)]
pub struct Output {
    pub json: bool,
    /// -1, -2 for -q, -qq; 1.. for -v.
    pub verbosity: i8,
    pub stderr_color: bool,
    pub stderr_is_terminal: bool,
    pub stdout_is_terminal: bool,
}

impl Output {
    pub fn new(global: &GlobalArgs) -> Self {
        let stdout_tty = std::io::stdout().is_terminal();
        let stderr_tty = std::io::stderr().is_terminal();
        let stdout_color = colors_enabled(global.color, stdout_tty);
        let stderr_color = colors_enabled(global.color, stderr_tty);
        console::set_colors_enabled(stdout_color);
        console::set_colors_enabled_stderr(stderr_color);
        let verbosity = if global.quiet > 0 {
            -(global.quiet.min(2) as i8)
        } else {
            global.verbose.min(3) as i8
        };
        Self {
            json: global.json,
            verbosity,
            stderr_color,
            stderr_is_terminal: stderr_tty,
            stdout_is_terminal: stdout_tty,
        }
    }

    /// Whether live progress (spinners, bars, status lines) should be drawn.
    pub fn show_progress(&self) -> bool {
        self.stderr_is_terminal && self.verbosity >= 0 && std::env::var_os("CI").is_none()
    }

    /// A result line on stdout. It may quote untrusted text (a model's title, a
    /// sandbox's file name), so control characters are always shown escaped.
    pub fn line(&self, text: impl AsRef<str>) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", escape(text.as_ref(), Keep::Nothing));
    }

    /// Data on stdout (a program's output, file contents, a diff): raw bytes into a
    /// pipe or file, where they are the data; control characters escaped on a terminal.
    pub fn raw(&self, bytes: &[u8]) {
        let mut out = std::io::stdout().lock();
        let _ = if self.stdout_is_terminal {
            out.write_all(escape(&String::from_utf8_lossy(bytes), Keep::Nothing).as_bytes())
        } else {
            out.write_all(bytes)
        };
        let _ = out.flush();
    }

    /// Text codingit styled itself (tables, colored diffs) on stdout: its colors are
    /// kept, every other control character is shown escaped.
    pub fn styled(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(escape(text, Keep::Colors).as_bytes());
        let _ = out.flush();
    }

    /// A unified diff on stdout: raw into a pipe (for `git apply`); on a terminal,
    /// colored, its lines' control characters shown escaped.
    pub fn diff(&self, diff: &str) {
        if !self.stdout_is_terminal {
            self.raw(diff.as_bytes());
            return;
        }
        let colored: String = diff
            .split_inclusive('\n')
            .map(|line| {
                let shown = escape(line, Keep::Nothing);
                let styled = style(shown.as_ref());
                if line.starts_with("+++") || line.starts_with("---") {
                    styled.bold().to_string()
                } else if line.starts_with('+') {
                    styled.green().to_string()
                } else if line.starts_with('-') {
                    styled.red().to_string()
                } else if line.starts_with("@@") {
                    styled.cyan().to_string()
                } else {
                    shown.into_owned()
                }
            })
            .collect();
        self.styled(&colored);
    }

    /// One JSON document on stdout, pretty on a terminal, compact in a pipe.
    pub fn json_value<T: Serialize>(&self, value: &T) {
        let text = if std::io::stdout().is_terminal() {
            serde_json::to_string_pretty(value)
        } else {
            serde_json::to_string(value)
        };
        match text {
            Ok(text) => self.json_line(&text),
            Err(e) => self.error(&format!("cannot serialise the result: {e}")),
        }
    }

    /// One `--events` line on stdout (`schema_version` first), flushed at once. Every
    /// command's events go through here.
    pub fn emit(&self, event: &codingit::events::Event) {
        if let Ok(text) = event.to_line(SCHEMA_VERSION) {
            self.json_line(&text);
        }
    }

    /// A serialised JSON line: as is into a pipe; on a terminal, the characters
    /// serde_json leaves raw (DEL, C1, bidirectional overrides) as `\uXXXX`.
    fn json_line(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = if self.stdout_is_terminal {
            writeln!(out, "{}", escape_json(text))
        } else {
            writeln!(out, "{text}")
        };
        let _ = out.flush();
    }

    /// A note for people on stderr (hidden by -q).
    pub fn info(&self, text: impl AsRef<str>) {
        if self.verbosity >= 0 {
            eprintln!("{}", escape(text.as_ref(), Keep::Nothing));
        }
    }

    /// A warning on stderr (hidden by -qq).
    pub fn warn(&self, text: impl AsRef<str>) {
        if self.verbosity >= -1 {
            eprintln!(
                "{} {}",
                style("warning:").yellow().bold().for_stderr(),
                escape(text.as_ref(), Keep::Nothing)
            );
        }
    }

    /// An error on stderr (always shown).
    pub fn error(&self, text: &str) {
        eprintln!(
            "{} {}",
            style("error:").red().bold().for_stderr(),
            escape(text, Keep::Nothing)
        );
    }

    /// A program's stderr, streamed: raw into a pipe or file, control characters
    /// escaped on a terminal.
    pub fn stderr_raw(&self, text: &str) {
        let mut err = std::io::stderr().lock();
        let _ = if self.stderr_is_terminal {
            err.write_all(escape(text, Keep::Nothing).as_bytes())
        } else {
            err.write_all(text.as_bytes())
        };
        let _ = err.flush();
    }

    /// A live status line on stderr, redrawn in place (codingit's own `\r`).
    pub fn status(&self, text: &str) {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{}\r", escape(text, Keep::Nothing));
        let _ = err.flush();
    }
}

/// Resolves colors once: the flag, then NO_COLOR, CLICOLOR_FORCE, CLICOLOR, TERM=dumb,
/// then whether the stream is a terminal.
pub fn colors_enabled(choice: ColorChoice, is_terminal: bool) -> bool {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if var("NO_COLOR").is_some() {
                return false;
            }
            if var("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                return true;
            }
            if var("CLICOLOR").is_some_and(|v| v == "0") {
                return false;
            }
            if var("TERM").is_some_and(|v| v == "dumb") {
                return false;
            }
            is_terminal
        }
    }
}

/// Left-aligned columns, the last one left ragged; cells may carry ANSI styles.
pub fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(console::measure_text_width(cell));
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i] - console::measure_text_width(cell) + 2;
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
