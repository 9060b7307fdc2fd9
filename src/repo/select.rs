//! Which files a model sees for an instruction: the ones named (`--file`, paths or
//! globs), else a map of the repository (every path, with the top-level names of
//! the files that fit) and the full text of the files most relevant to the
//! instruction, all within a token budget.

use super::listing::{list_files, read_text, LeftOut, RepoFile};
use super::symbols::top_level_symbols;
use super::RepoError;
use crate::llm::window::estimate_text_tokens as estimate_tokens;
use crate::safefs::{Kind, Root};
use std::collections::HashMap;
use std::path::Path;

/// The share of the budget the map may take before it loses detail.
const MAP_SHARE: u64 = 4;
/// Beyond this many listed files only the ones whose path matches are read to score.
const SCAN_MAX_FILES: usize = 5_000;

/// What to select for.
pub struct SelectRequest<'a> {
    pub instruction: &'a str,
    /// Tokens for the map and the files together (an over-estimate, like the window's).
    pub budget_tokens: u64,
    /// `--file` entries: paths or globs relative to the folder. Empty: select.
    pub explicit: &'a [String],
}

/// What the model will see.
#[derive(Debug, Default)]
pub struct Selection {
    /// Files shown in full, most relevant first.
    pub files: Vec<(String, String)>,
    /// The repository map: one line per file.
    pub map: String,
    /// Listed files that cannot be shown in full, and why.
    pub left_out: Vec<(String, LeftOut)>,
    /// Relevant files that did not fit in the budget.
    pub not_fitted: Vec<String>,
    pub listed: usize,
    /// The listing stopped at its limit.
    pub truncated: bool,
    /// Estimated tokens of the map and the files.
    pub tokens: u64,
}

fn file_tokens(path: &str, text: &str) -> u64 {
    estimate_tokens(text) + estimate_tokens(path) + 4
}

/// Selects the context for `request` in the folder `dir` (opened as `root`).
pub fn select(dir: &Path, root: &Root, request: &SelectRequest) -> Result<Selection, RepoError> {
    let (listed, truncated) = list_files(dir)?;
    let terms = terms(request.instruction);
    let scan_all = listed.len() <= SCAN_MAX_FILES;
    let mut texts: HashMap<&str, Result<String, LeftOut>> = HashMap::new();
    for file in &listed {
        if scan_all || path_score(&file.path, &terms, request.instruction) > 0.0 {
            texts.insert(file.path.as_str(), read_text(root, file));
        }
    }
    let mut selection = Selection {
        listed: listed.len(),
        truncated,
        ..Selection::default()
    };
    for file in &listed {
        if let Some(Err(why)) = texts.get(file.path.as_str()) {
            selection.left_out.push((file.path.clone(), *why));
        }
    }
    let map_budget = request.budget_tokens / MAP_SHARE;
    selection.map = repo_map(&listed, &texts, map_budget);
    let mut used = estimate_tokens(&selection.map);
    if !request.explicit.is_empty() {
        for (path, text) in explicit_files(root, &listed, request.explicit)? {
            used += file_tokens(&path, &text);
            selection.files.push((path, text));
        }
        if used > request.budget_tokens {
            return Err(RepoError::OverBudget {
                needed: used,
                budget: request.budget_tokens,
            });
        }
        selection.tokens = used;
        return Ok(selection);
    }
    let mut ranked: Vec<(f64, &RepoFile, &str)> = listed
        .iter()
        .filter_map(|file| match texts.get(file.path.as_str()) {
            Some(Ok(text)) => {
                let score = path_score(&file.path, &terms, request.instruction)
                    + content_score(text, &terms);
                (score > 0.0).then_some((score, file, text.as_str()))
            }
            _ => None,
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.size.cmp(&b.1.size))
            .then(a.1.path.cmp(&b.1.path))
    });
    for (_, file, text) in ranked {
        let cost = file_tokens(&file.path, text);
        if used + cost <= request.budget_tokens {
            used += cost;
            selection.files.push((file.path.clone(), text.to_string()));
        } else {
            selection.not_fitted.push(file.path.clone());
        }
    }
    // An instruction that names nothing in the code ("add a test", "tidy up") still
    // needs code to work on: the smallest other files fill up to half the budget.
    let mut others: Vec<(&RepoFile, &str)> = listed
        .iter()
        .filter(|f| !selection.files.iter().any(|(p, _)| p == &f.path))
        .filter_map(|f| match texts.get(f.path.as_str()) {
            Some(Ok(text)) => Some((f, text.as_str())),
            _ => None,
        })
        .collect();
    others.sort_by(|a, b| a.0.size.cmp(&b.0.size).then(a.0.path.cmp(&b.0.path)));
    for (file, text) in others {
        let cost = file_tokens(&file.path, text);
        if used + cost > request.budget_tokens / 2 {
            break;
        }
        used += cost;
        selection.files.push((file.path.clone(), text.to_string()));
    }
    selection.tokens = used;
    Ok(selection)
}

/// The files `--file` names: a literal path (sent even when ignored: the user named
/// it), else a glob over the listed files.
fn explicit_files(
    root: &Root,
    listed: &[RepoFile],
    explicit: &[String],
) -> Result<Vec<(String, String)>, RepoError> {
    let mut chosen: Vec<(String, String)> = Vec::new();
    for pattern in explicit {
        let pattern = pattern.trim_start_matches("./");
        let mut matched: Vec<RepoFile> = Vec::new();
        match root.metadata(pattern) {
            Ok(meta) if meta.kind == Kind::File => matched.push(RepoFile {
                path: pattern.to_string(),
                size: meta.len,
            }),
            _ => {
                let glob = globset::Glob::new(pattern)
                    .map_err(|e| RepoError::NoMatch(format!("{pattern} ({e})")))?
                    .compile_matcher();
                matched.extend(listed.iter().filter(|f| glob.is_match(&f.path)).cloned());
            }
        }
        let mut any = false;
        for file in matched {
            if let Ok(text) = read_text(root, &file) {
                any = true;
                if !chosen.iter().any(|(p, _)| p == &file.path) {
                    chosen.push((file.path, text));
                }
            }
        }
        if !any {
            return Err(RepoError::NoMatch(pattern.to_string()));
        }
    }
    Ok(chosen)
}

/// The words of an instruction worth looking for: identifiers and their parts.
fn terms(instruction: &str) -> Vec<String> {
    const COMMON: &[&str] = &[
        "the", "and", "for", "with", "that", "this", "from", "into", "add", "use", "make",
        "change", "file", "files", "code", "all", "new", "not", "are", "should", "when", "then",
        "instead", "rename", "remove", "delete", "move", "update", "fix",
    ];
    let mut terms: Vec<String> = Vec::new();
    let mut push = |word: &str| {
        let word = word.to_lowercase();
        if word.len() >= 3 && !COMMON.contains(&word.as_str()) && !terms.contains(&word) {
            terms.push(word);
        }
    };
    for word in instruction.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        push(word);
        for part in word.split('_') {
            push(part);
        }
        // camelCase parts
        let mut start = 0;
        for (i, c) in word.char_indices().skip(1) {
            if c.is_uppercase() {
                push(&word[start..i]);
                start = i;
            }
        }
        if start > 0 {
            push(&word[start..]);
        }
    }
    terms
}

fn path_score(path: &str, terms: &[String], instruction: &str) -> f64 {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut score = 0.0;
    if instruction.contains(path) || name.contains('.') && instruction.contains(name) {
        score += 20.0;
    }
    let lower = path.to_lowercase();
    score += 4.0 * terms.iter().filter(|t| lower.contains(t.as_str())).count() as f64;
    score
}

fn content_score(text: &str, terms: &[String]) -> f64 {
    if terms.is_empty() {
        return 0.0;
    }
    let lower = text.to_lowercase();
    terms
        .iter()
        .map(|t| match lower.matches(t.as_str()).take(5).count() {
            0 => 0.0,
            n => 1.0 + 0.2 * n as f64,
        })
        .sum()
}

/// One line per listed file, with its top-level names; less detail when that does
/// not fit in `budget`: names dropped, then paths cut with a count of the rest.
fn repo_map(
    listed: &[RepoFile],
    texts: &HashMap<&str, Result<String, LeftOut>>,
    budget: u64,
) -> String {
    let detailed: String = listed
        .iter()
        .map(|file| match texts.get(file.path.as_str()) {
            Some(Ok(text)) => {
                let symbols = top_level_symbols(text);
                if symbols.is_empty() {
                    format!("{}\n", file.path)
                } else {
                    format!("{}: {}\n", file.path, symbols.join("; "))
                }
            }
            _ => format!("{}\n", file.path),
        })
        .collect();
    if estimate_tokens(&detailed) <= budget {
        return detailed;
    }
    let mut paths = String::new();
    for (i, file) in listed.iter().enumerate() {
        let line = format!("{}\n", file.path);
        if estimate_tokens(&paths) + estimate_tokens(&line) + 12 > budget {
            paths.push_str(&format!("… and {} more files\n", listed.len() - i));
            break;
        }
        paths.push_str(&line);
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_split_identifiers_and_drop_common_words() {
        let t = terms("rename parse_config to loadSettings in the server");
        for word in [
            "parse_config",
            "parse",
            "config",
            "loadsettings",
            "load",
            "settings",
            "server",
        ] {
            assert!(t.contains(&word.to_string()), "{word} in {t:?}");
        }
        assert!(!t.contains(&"the".to_string()) && !t.contains(&"rename".to_string()));
    }

    #[test]
    fn a_named_file_outranks_a_mention() {
        let terms = terms("fix the bug in utils.py");
        assert!(path_score("src/utils.py", &terms, "fix the bug in utils.py") >= 20.0);
        assert_eq!(
            path_score("src/main.py", &terms, "fix the bug in utils.py"),
            0.0
        );
    }
}
