//! How an answer ended, across the three protocols' finish reasons: complete, cut at
//! a token limit, or declined. Callers must never take a cut or declined answer for a
//! complete one.

/// The meaning of a finish (stop) reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    Complete,
    /// Stopped by a token limit (the request's `max_tokens` or the context window).
    Truncated,
    /// Stopped by the model's refusal or a safety system.
    Refused,
    /// The provider ended the answer because of an error of its own.
    Failed,
}

/// OpenAI `length`, Mistral `model_length`, Anthropic `max_tokens` and
/// `model_context_window_exceeded`, Gemini `MAX_TOKENS`.
const TRUNCATED: [&str; 5] = [
    "length",
    "model_length",
    "max_tokens",
    "model_context_window_exceeded",
    "MAX_TOKENS",
];

/// OpenAI and Azure `content_filter`, Anthropic `refusal`, and Gemini's safety stops.
/// Gemini's `OTHER` and `LANGUAGE` are left out: they are not a judgement on the content.
const REFUSED: [&str; 11] = [
    "content_filter",
    "refusal",
    "SAFETY",
    "RECITATION",
    "PROHIBITED_CONTENT",
    "BLOCKLIST",
    "SPII",
    "IMAGE_SAFETY",
    "IMAGE_PROHIBITED_CONTENT",
    "IMAGE_RECITATION",
    "IMAGE_OTHER",
];

/// Prefix of the finish reason the Gemini decoder gives a prompt blocked before any
/// candidate (`promptFeedback.blockReason`).
pub(crate) const PROMPT_BLOCKED: &str = "prompt blocked: ";

pub(crate) fn ending(reason: Option<&str>) -> Ending {
    let Some(reason) = reason else {
        return Ending::Complete;
    };
    if TRUNCATED.contains(&reason) {
        Ending::Truncated
    } else if REFUSED.contains(&reason) || reason.starts_with(PROMPT_BLOCKED) {
        Ending::Refused
    } else if reason == "error" {
        // Mistral and OpenRouter end a failed generation with `finish_reason: "error"`.
        Ending::Failed
    } else {
        Ending::Complete
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_reasons_of_every_protocol() {
        let cases = [
            (None, Ending::Complete),
            (Some("stop"), Ending::Complete),
            (Some("end_turn"), Ending::Complete),
            (Some("tool_use"), Ending::Complete),
            (Some("STOP"), Ending::Complete),
            (Some("OTHER"), Ending::Complete),
            (Some("length"), Ending::Truncated),
            (Some("model_length"), Ending::Truncated),
            (Some("max_tokens"), Ending::Truncated),
            (Some("MAX_TOKENS"), Ending::Truncated),
            (Some("content_filter"), Ending::Refused),
            (Some("refusal"), Ending::Refused),
            (Some("SAFETY"), Ending::Refused),
            (Some("RECITATION"), Ending::Refused),
            (Some("PROHIBITED_CONTENT"), Ending::Refused),
            (Some("BLOCKLIST"), Ending::Refused),
            (Some("prompt blocked: SAFETY"), Ending::Refused),
            (Some("error"), Ending::Failed),
        ];
        for (reason, expected) in cases {
            assert_eq!(ending(reason), expected, "{reason:?}");
        }
    }
}
