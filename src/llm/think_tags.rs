//! Reasoning inlined in the answer as `<think>…</think>`: DeepSeek R1 and Qwen models
//! served without a reasoning parser (Groq's `raw` format, Together, Fireworks, older
//! Ollama, vLLM or llama.cpp set up that way) put it at the very start of the content.
//! Taken for the answer, it would be shown to the user and, since it often holds JSON
//! drafts, parsed instead of the real answer.

use super::types::StreamEvent;

const OPEN: &str = "<think>";
const CLOSE: &str = "</think>";

#[derive(Debug, Default, PartialEq, Eq)]
enum State {
    /// Nothing but whitespace seen so far: it is not known yet whether a tag opens.
    #[default]
    Start,
    Thinking,
    /// Right after the closing tag: the blank lines before the answer are dropped.
    AfterThink,
    Answer,
}

/// Splits streamed answer text into reasoning and answer. Only a tag opening the answer
/// counts; a `<think>` later on is ordinary text (code may well contain one).
#[derive(Debug, Default)]
pub(crate) struct ThinkSplitter {
    state: State,
    /// Text held back because it may be the start of a tag split across chunks.
    held: String,
}

impl ThinkSplitter {
    /// One piece of answer text; pushes what it now knows to be answer or reasoning.
    pub(crate) fn push(&mut self, text: &str, out: &mut Vec<StreamEvent>) {
        if self.state == State::AfterThink {
            let text = text.trim_start();
            if !text.is_empty() {
                self.state = State::Answer;
            }
            return push(out, text, StreamEvent::Delta);
        }
        if self.state == State::Answer {
            return push(out, text, StreamEvent::Delta);
        }
        self.held.push_str(text);
        if self.state == State::Start {
            let start = self.held.trim_start();
            if let Some(rest) = start.strip_prefix(OPEN) {
                self.held = rest.to_string();
                self.state = State::Thinking;
            } else if OPEN.starts_with(start) {
                // Only whitespace or part of the tag so far: wait for more.
                return;
            } else {
                self.state = State::Answer;
                let held = std::mem::take(&mut self.held);
                push(out, &held, StreamEvent::Delta);
                return;
            }
        }
        match self.held.find(CLOSE) {
            Some(at) => {
                let held = std::mem::take(&mut self.held);
                push(out, &held[..at], StreamEvent::Reasoning);
                self.state = State::AfterThink;
                self.push(&held[at + CLOSE.len()..], out);
            }
            None => {
                let keep = partial_suffix(&self.held, CLOSE);
                let cut = self.held.len() - keep;
                let thinking: String = self.held.drain(..cut).collect();
                push(out, &thinking, StreamEvent::Reasoning);
            }
        }
    }

    /// The answer is over: what was held back is released as what it was.
    pub(crate) fn finish(&mut self, out: &mut Vec<StreamEvent>) {
        let held = std::mem::take(&mut self.held);
        match self.state {
            State::Thinking => push(out, &held, StreamEvent::Reasoning),
            State::Start | State::AfterThink | State::Answer => {
                push(out, &held, StreamEvent::Delta)
            }
        }
    }
}

/// The length of the longest end of `text` that is a proper start of `tag`.
fn partial_suffix(text: &str, tag: &str) -> usize {
    (1..tag.len())
        .rev()
        .find(|&len| text.ends_with(&tag[..len]))
        .unwrap_or(0)
}

fn push(out: &mut Vec<StreamEvent>, text: &str, event: fn(String) -> StreamEvent) {
    if !text.is_empty() {
        out.push(event(text.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&str]) -> (String, String) {
        let mut splitter = ThinkSplitter::default();
        let mut out = Vec::new();
        for chunk in chunks {
            splitter.push(chunk, &mut out);
        }
        splitter.finish(&mut out);
        let (mut answer, mut reasoning) = (String::new(), String::new());
        for event in out {
            match event {
                StreamEvent::Delta(text) => answer.push_str(&text),
                StreamEvent::Reasoning(text) => reasoning.push_str(&text),
                _ => {}
            }
        }
        (answer, reasoning)
    }

    #[test]
    fn a_leading_think_block_is_reasoning_at_every_split_point() {
        let text = "<think>\nMaybe {\"a\": 0}?\n</think>\n\n{\"a\": 1}";
        for cut in 0..=text.len() {
            let (a, b) = text.split_at(cut);
            assert_eq!(
                split(&[a, b]),
                (
                    "{\"a\": 1}".to_string(),
                    "\nMaybe {\"a\": 0}?\n".to_string()
                ),
                "split at {cut}"
            );
        }
    }

    #[test]
    fn answers_without_a_leading_tag_pass_through() {
        assert_eq!(
            split(&["Hello", " world"]),
            ("Hello world".into(), String::new())
        );
        assert_eq!(
            split(&["print('<think>')"]),
            ("print('<think>')".into(), String::new())
        );
        assert_eq!(split(&["<thi", "s>"]), ("<this>".into(), String::new()));
        assert_eq!(split(&["  ", "x"]), ("  x".into(), String::new()));
        // A stream cut inside the thinking: nothing of it becomes the answer.
        assert_eq!(
            split(&["<think>still going"]),
            (String::new(), "still going".into())
        );
    }
}
