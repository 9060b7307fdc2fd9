//! Hard limits on a generate-and-fix run: cost, tokens and wall-clock time.
//!
//! Every model call is admitted *before* it is made, against its worst case: the
//! prompt's tokens (over-estimated from its characters), the full output limit, and
//! every schema-repair round the call may take (each repair resends the conversation
//! with the previous answer). So a run stops before the call that could pass a limit,
//! never after it. A model without a price in the catalog is held to the token and
//! time limits only, and the caller says so.

use crate::llm::window::estimate_prompt_tokens;
use crate::llm::ChatRequest;
use std::time::Duration;

/// Output tokens assumed for a request that sets no limit of its own; the request
/// is then given this limit, so the assumption holds.
pub const ASSUMED_MAX_OUTPUT: u32 = 8_192;

/// What the user allows a run to spend (None: unlimited).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Budget {
    pub max_cost_usd: Option<f64>,
    pub max_tokens: Option<u64>,
    pub max_time: Option<Duration>,
}

/// What has been spent so far.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Spent {
    pub cost_usd: f64,
    pub tokens: u64,
}

/// Why a run must stop.
#[derive(Debug, Clone, PartialEq)]
pub enum Exhausted {
    /// The next call could pass `--max-cost` or `--max-tokens`.
    Budget(String),
    /// `--max-time` has passed (sandbox time counts).
    Time(String),
}

impl Exhausted {
    pub fn message(&self) -> &str {
        match self {
            Exhausted::Budget(m) | Exhausted::Time(m) => m,
        }
    }
}

/// The worst case of one structured call: input and output tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorstCase {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

impl WorstCase {
    /// For `request` (whose `max_tokens` is set) with up to `repair_rounds` repairs:
    /// round k resends the prompt plus k earlier answers of at most the output limit.
    pub fn of(request: &ChatRequest, repair_rounds: u32) -> Self {
        let prompt = estimate_prompt_tokens(request);
        let output = u64::from(request.max_tokens.unwrap_or(ASSUMED_MAX_OUTPUT));
        let calls = u64::from(repair_rounds) + 1;
        // Σ_{k=0}^{calls-1} (prompt + k·output), plus some words of repair text per round.
        let input = calls * prompt + output * calls * (calls - 1) / 2 + 200 * (calls - 1);
        Self {
            input_tokens: input,
            output_tokens: output * calls,
        }
    }

    pub fn tokens(&self) -> u64 {
        self.input_tokens + self.output_tokens
    }
}

impl Budget {
    pub fn is_limited(&self) -> bool {
        self.max_cost_usd.is_some() || self.max_tokens.is_some() || self.max_time.is_some()
    }

    /// Whether time is left after `elapsed`.
    pub fn time_left(&self, elapsed: Duration) -> Result<Option<Duration>, Exhausted> {
        match self.max_time {
            None => Ok(None),
            Some(max) if elapsed >= max => Err(Exhausted::Time(format!(
                "--max-time {}s has passed",
                max.as_secs()
            ))),
            Some(max) => Ok(Some(max - elapsed)),
        }
    }

    /// Admits a call of `worst` case, priced by `price` (None: the model has no
    /// price), after `spent` and `elapsed`.
    pub fn admit(
        &self,
        spent: Spent,
        elapsed: Duration,
        worst: WorstCase,
        price: impl Fn(u64, u64) -> Option<f64>,
    ) -> Result<(), Exhausted> {
        self.time_left(elapsed)?;
        if let Some(max) = self.max_tokens {
            if spent.tokens + worst.tokens() > max {
                return Err(Exhausted::Budget(format!(
                    "the next call could use up to {} tokens, and {} of --max-tokens {max} are spent",
                    worst.tokens(),
                    spent.tokens
                )));
            }
        }
        if let Some(max) = self.max_cost_usd {
            if let Some(cost) = price(worst.input_tokens, worst.output_tokens) {
                if spent.cost_usd + cost > max {
                    return Err(Exhausted::Budget(format!(
                        "the next call could cost up to ${cost:.4}, and ${:.4} of --max-cost ${max} are spent",
                        spent.cost_usd
                    )));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::Message;

    fn request(chars: usize, max_tokens: u32) -> ChatRequest {
        let mut r = ChatRequest::new("m", vec![Message::user("x".repeat(chars))]);
        r.max_tokens = Some(max_tokens);
        r
    }

    #[test]
    fn the_worst_case_counts_every_repair_round() {
        let once = WorstCase::of(&request(2_984, 1_000), 0);
        assert_eq!(once.input_tokens, 1_000);
        assert_eq!(once.output_tokens, 1_000);
        let thrice = WorstCase::of(&request(2_984, 1_000), 2);
        assert_eq!(thrice.output_tokens, 3_000);
        assert_eq!(thrice.input_tokens, 3 * 1_000 + 1_000 * 3 + 400);
    }

    #[test]
    fn a_call_that_could_pass_a_limit_is_refused_before_it_is_made() {
        let price = |i: u64, o: u64| Some((i as f64 + o as f64) / 1_000_000.0);
        let worst = WorstCase::of(&request(2_984, 1_000), 0);
        let budget = Budget {
            max_cost_usd: Some(0.01),
            ..Budget::default()
        };
        let spent = Spent {
            cost_usd: 0.007,
            tokens: 7_000,
        };
        assert!(budget.admit(spent, Duration::ZERO, worst, price).is_ok());
        let spent = Spent {
            cost_usd: 0.0085,
            tokens: 8_500,
        };
        assert!(matches!(
            budget.admit(spent, Duration::ZERO, worst, price),
            Err(Exhausted::Budget(_))
        ));
        // No price: the cost limit cannot judge, the token limit still does.
        let tokens = Budget {
            max_cost_usd: Some(0.0),
            max_tokens: Some(10_000),
            ..Budget::default()
        };
        let spent = Spent {
            cost_usd: 0.0,
            tokens: 8_000,
        };
        assert!(tokens
            .admit(spent, Duration::ZERO, worst, |_, _| None)
            .is_ok());
        let spent = Spent {
            cost_usd: 0.0,
            tokens: 8_001,
        };
        assert!(tokens
            .admit(spent, Duration::ZERO, worst, |_, _| None)
            .is_err());
    }

    #[test]
    fn time_is_checked_before_anything_else() {
        let budget = Budget {
            max_time: Some(Duration::from_secs(10)),
            ..Budget::default()
        };
        let worst = WorstCase::of(&request(10, 10), 0);
        let late = budget.admit(Spent::default(), Duration::from_secs(11), worst, |_, _| {
            None
        });
        assert!(matches!(late, Err(Exhausted::Time(_))));
        assert_eq!(
            budget.time_left(Duration::from_secs(4)),
            Ok(Some(Duration::from_secs(6)))
        );
    }
}
