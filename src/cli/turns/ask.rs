//! A request for multi-file edits (`chat` on a repository, `edit FILE...`): asked
//! through the budget meter, every answer whose edits do not all merge sent back for
//! repair.

use crate::cli::check::Meter;
use crate::cli::exit::{CliError, CliResult, Exit};
use crate::cli::generate::{parse_answer, Progress};
use codingit::catalog::ResolvedModel;
use codingit::config::Settings;
use codingit::fragment::request::structured_request;
use codingit::fragment::schema::strict_schema_for;
use codingit::llm::{Message, StructuredOutput};
use codingit::repo::answer::{ChangeSet, RepoAnswer};
use codingit::repo::check::EditCheck;
use codingit::safefs::Root;
use serde_json::Value;

/// A request for multi-file edits and the checks its answer must pass.
pub struct Ask<'a> {
    pub settings: &'a Settings,
    pub resolved: &'a ResolvedModel,
    pub temperature: Option<f32>,
    pub repair_rounds: Option<u32>,
    pub progress: &'a Progress<'a>,
    pub meter: &'a Meter,
    /// The folder the paths are relative to.
    pub root: &'a Root,
    /// When given, the only files the answer may touch.
    pub allowed: Option<&'a [String]>,
}

impl Ask<'_> {
    /// Asks; every answer whose edits do not all merge goes back for repair (the
    /// engine's refusals, path problems). Returns the answer, its change set and the
    /// raw output (for the history).
    pub fn ask(
        &self,
        messages: Vec<Message>,
    ) -> CliResult<(RepoAnswer, ChangeSet, StructuredOutput)> {
        let (settings, resolved, root) = (self.settings, self.resolved, self.root);
        let mut request = structured_request(
            settings,
            resolved,
            messages,
            self.temperature,
            "repository_edits",
            strict_schema_for::<RepoAnswer>(),
        );
        let edits = EditCheck::new(root, self.allowed);
        let check = |value: &Value| edits.problems(value);
        let rounds = settings.repair_rounds(self.repair_rounds);
        let answer = self
            .meter
            .call(
                settings,
                resolved,
                &mut request,
                rounds,
                &check,
                self.progress,
            )
            .map_err(|e| match e.exit {
                // The model kept proposing edits the engine refuses: say so with the
                // edit code (a cut-off or malformed answer keeps its own code).
                Exit::InvalidOutput if edits.engine_refused() => {
                    CliError::new(Exit::EditRefused, e.message)
                }
                _ => e,
            })?;
        let parsed: RepoAnswer = parse_answer(&answer, "edits")?;
        let set = edits
            .changes(&parsed)
            .map_err(|problems| CliError::new(Exit::EditRefused, problems.join("\n")))?;
        Ok((parsed, set, answer))
    }
}
