//! Fitting requests into the model's context window.
//!
//! A server with a small window (a local llama.cpp model of 4,096 tokens) given no
//! output limit fills its window, and a repair round that resends the cut answer
//! then no longer fits at all. So every request with a known window gets an output
//! limit that fits beside its prompt, a repair round carries only as much of the
//! failed answer as fits, and a prompt that leaves no room is refused in words.

use super::{ChatRequest, LlmError, Message, Part};

/// The least room for an answer worth asking for.
pub const MIN_OUTPUT_TOKENS: u64 = 256;

/// An over-estimate of the tokens of a text: one per three bytes (real tokenizers
/// average about four). Every budget and window sum uses it.
pub fn estimate_text_tokens(text: &str) -> u64 {
    bytes_to_tokens(text.len())
}

fn bytes_to_tokens(bytes: usize) -> u64 {
    (bytes as u64).div_ceil(3)
}

/// An over-estimate of a request's prompt tokens: one token per three bytes of its
/// text and schema (real tokenizers average about four), images at their size, and
/// a few tokens of framing per message.
pub fn estimate_prompt_tokens(request: &ChatRequest) -> u64 {
    let mut bytes: usize = 0;
    for message in &request.messages {
        bytes += 16 + message_bytes(message);
    }
    if let Some(schema) = &request.schema {
        bytes += schema.schema.to_string().len();
    }
    bytes_to_tokens(bytes)
}

fn message_bytes(message: &Message) -> usize {
    message
        .parts
        .iter()
        .map(|part| match part {
            Part::Text(text) => text.len(),
            Part::Image { data, .. } => data.len(),
        })
        .sum()
}

/// Lowers (or sets) `max_tokens` so prompt and answer fit in the request's window;
/// refuses when less than [`MIN_OUTPUT_TOKENS`] would be left. No window: unchanged.
pub fn fit(request: &mut ChatRequest) -> Result<(), LlmError> {
    let Some(window) = request.context_window.filter(|w| *w > 0) else {
        return Ok(());
    };
    let prompt = estimate_prompt_tokens(request);
    let room = window.saturating_sub(prompt);
    if room < MIN_OUTPUT_TOKENS {
        return Err(LlmError::Config {
            message: format!(
                "the prompt needs about {prompt} tokens and `{}` has a {window}-token context \
                 window, which leaves no room for the answer\n  how to fix: choose a model with \
                 a larger window, shorten the prompt, or, when the server allows more (llama-server \
                 -c N), raise `context_window` of this model in models.toml",
                request.model
            ),
        });
    }
    let room = u32::try_from(room).unwrap_or(u32::MAX);
    request.max_tokens = Some(request.max_tokens.map_or(room, |asked| asked.min(room)));
    Ok(())
}

/// The failed answer as a repair round resends it: whole when it fits beside the
/// repair text and room for a new answer, else its beginning (what the repair
/// needs: the errors name what to change), else `None` when not even the repair fits.
pub fn answer_for_repair(request: &ChatRequest, answer: &str, repair: &str) -> Option<String> {
    let Some(window) = request.context_window.filter(|w| *w > 0) else {
        return Some(answer.to_string());
    };
    let base = estimate_prompt_tokens(request) + estimate_text_tokens(repair) + 32;
    let room = window.saturating_sub(base + MIN_OUTPUT_TOKENS);
    let answer_tokens = estimate_text_tokens(answer);
    if answer_tokens <= room {
        return Some(answer.to_string());
    }
    const NOTE: &str = "\n[… the rest of this answer is left out to fit the context window]";
    let keep = usize::try_from(room.saturating_sub(32) * 3).unwrap_or(0);
    if keep < 64 {
        return (window >= base + MIN_OUTPUT_TOKENS)
            .then(|| "[the previous answer is left out to fit the context window]".to_string());
    }
    let mut end = keep.min(answer.len());
    while !answer.is_char_boundary(end) {
        end -= 1;
    }
    Some(format!("{}{NOTE}", &answer[..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(prompt_chars: usize, window: u64) -> ChatRequest {
        let mut r = ChatRequest::new("small", vec![Message::user("x".repeat(prompt_chars))]);
        r.context_window = Some(window);
        r
    }

    #[test]
    fn the_output_limit_fits_beside_the_prompt() {
        let mut r = request(2_984, 4_096);
        fit(&mut r).unwrap();
        assert_eq!(r.max_tokens, Some(3_096));
        let mut r = request(2_984, 4_096);
        r.max_tokens = Some(1_000);
        fit(&mut r).unwrap();
        assert_eq!(r.max_tokens, Some(1_000));
        let mut unknown = request(2_984, 0);
        fit(&mut unknown).unwrap();
        assert_eq!(unknown.max_tokens, None);
    }

    #[test]
    fn a_prompt_that_leaves_no_room_is_refused_in_words() {
        let mut r = request(12_000, 4_096);
        let error = fit(&mut r).unwrap_err().to_string();
        assert!(error.contains("4096-token context window"), "{error}");
        assert!(error.contains("context_window"), "{error}");
    }

    #[test]
    fn a_repair_round_resends_only_what_fits() {
        let r = request(6_000, 4_096);
        let answer = "y".repeat(9_000);
        let kept = answer_for_repair(&r, &answer, "fix it").unwrap();
        assert!(kept.len() < answer.len() && kept.ends_with("context window]"));
        let r2 = ChatRequest {
            messages: vec![
                Message::user("x".repeat(6_000)),
                Message::assistant(kept.clone()),
            ],
            ..r.clone()
        };
        assert!(estimate_prompt_tokens(&r2) + MIN_OUTPUT_TOKENS <= 4_096);
        assert_eq!(
            answer_for_repair(&r, "short", "fix it").as_deref(),
            Some("short")
        );
        assert_eq!(
            answer_for_repair(&request(12_000, 4_096), &answer, "fix"),
            None
        );
    }
}
