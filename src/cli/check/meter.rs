//! The budget of one command: every model call is admitted against it before it is
//! made, and what each call used is added after.

use super::args::FixArgs;
use crate::cli::exit::{CliError, CliResult, Exit};
use codingit::catalog::ResolvedModel;
use codingit::check::budget::{Budget, Exhausted, Spent, WorstCase, ASSUMED_MAX_OUTPUT};
use codingit::config::Settings;
use codingit::llm::{ChatRequest, Usage};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Meter {
    budget: Budget,
    started: Instant,
    spent: Mutex<Spent>,
    /// The last refusal was `--max-time`.
    by_time: AtomicBool,
    /// `--max-cost` met a model with no price: only tokens and time are held.
    unpriced: Mutex<Option<String>>,
}

impl Meter {
    /// Flags first, then `[check]` in config.toml.
    pub fn new(fix: &FixArgs, settings: &Settings) -> CliResult<Self> {
        let config = &settings.file.check;
        let max_time = match &fix.max_time {
            Some(text) => Some(
                codingit::config::parse_duration(text)
                    .map_err(|e| CliError::new(Exit::Usage, format!("--max-time: {e}")))?,
            ),
            None => config.max_time,
        };
        let max_cost = fix.max_cost.or(config.max_cost);
        if let Some(cost) = max_cost.filter(|c| !(c.is_finite() && *c >= 0.0)) {
            return Err(CliError::new(
                Exit::Usage,
                format!("--max-cost {cost} is not a positive amount of USD"),
            ));
        }
        Ok(Self::with(Budget {
            max_cost_usd: max_cost,
            max_tokens: fix.max_tokens.or(config.max_tokens),
            max_time,
        }))
    }

    /// No limits (the interactive chat's turns).
    pub fn unlimited() -> Self {
        Self::with(Budget::default())
    }

    pub fn with(budget: Budget) -> Self {
        Self {
            budget,
            started: Instant::now(),
            spent: Mutex::new(Spent::default()),
            by_time: AtomicBool::new(false),
            unpriced: Mutex::new(None),
        }
    }

    /// Admits `request` (with up to `repair_rounds` repairs) or refuses it with
    /// exit [`Exit::Budget`]. A request without an output limit gets one when a cost
    /// or token limit is set, so its worst case is a real bound.
    pub fn admit(
        &self,
        request: &mut ChatRequest,
        repair_rounds: u32,
        resolved: &ResolvedModel,
    ) -> CliResult<()> {
        let limited = self.budget.max_cost_usd.is_some() || self.budget.max_tokens.is_some();
        if limited && request.max_tokens.is_none() {
            request.max_tokens = Some(ASSUMED_MAX_OUTPUT);
        }
        if self.budget.max_cost_usd.is_some() && resolved.model.cost(1, 1).is_none() {
            if let Ok(mut note) = self.unpriced.lock() {
                *note = Some(format!(
                    "{} has no price in the catalog: --max-cost cannot be held, only tokens and time",
                    resolved.model.full_id()
                ));
            }
        }
        let worst = WorstCase::of(request, repair_rounds);
        let spent = self.spent.lock().map(|s| *s).unwrap_or_default();
        self.budget
            .admit(spent, self.started.elapsed(), worst, |i, o| {
                resolved.model.cost(i, o)
            })
            .map_err(|e| self.refusal(e))
    }

    /// One structured call held to the budget: admitted before it is made, its use
    /// added after.
    pub fn call(
        &self,
        settings: &Settings,
        resolved: &ResolvedModel,
        request: &mut ChatRequest,
        repair_rounds: u32,
        check: &(dyn Fn(&serde_json::Value) -> Vec<String> + Sync),
        progress: &crate::cli::generate::Progress,
    ) -> CliResult<codingit::llm::StructuredOutput> {
        self.admit(request, repair_rounds, resolved)?;
        let answer = crate::cli::generate::structured_call(
            settings,
            resolved,
            request,
            repair_rounds,
            check,
            progress,
        )?;
        self.spend(
            &answer.usage,
            crate::cli::generate::cost(resolved, &answer.usage),
        );
        Ok(answer)
    }

    /// Adds what a call used.
    pub fn spend(&self, usage: &Usage, cost: Option<f64>) {
        if let Ok(mut spent) = self.spent.lock() {
            spent.tokens += usage.input_tokens + usage.output_tokens;
            spent.cost_usd += cost.unwrap_or(0.0);
        }
    }

    /// Time left under `--max-time` (None: no limit), or the refusal.
    pub fn time_left(&self) -> CliResult<Option<Duration>> {
        self.budget
            .time_left(self.started.elapsed())
            .map_err(|e| self.refusal(e))
    }

    pub fn exhausted_by_time(&self) -> bool {
        self.by_time.load(Ordering::Relaxed)
    }

    pub fn unpriced_note(&self) -> Option<String> {
        self.unpriced.lock().ok().and_then(|n| n.clone())
    }

    fn refusal(&self, why: Exhausted) -> CliError {
        self.by_time
            .store(matches!(why, Exhausted::Time(_)), Ordering::Relaxed);
        CliError::new(Exit::Budget, why.message().to_string())
    }
}
