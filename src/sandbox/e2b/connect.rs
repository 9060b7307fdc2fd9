//! The Connect protocol as envd speaks it over HTTP/1.1: unary calls are JSON POSTs;
//! server streams are a POST of one enveloped JSON message answered by a sequence of
//! envelopes (1 flag byte, a 4-byte big-endian length, the message), the last one
//! flagged end-of-stream and carrying the call's error, if any. A message may be
//! gzip-compressed when the server says so in `Connect-Content-Encoding`.

use bytes::{Buf, BytesMut};
use serde::Deserialize;
use std::io::Read;

/// The message is compressed with the stream's `Connect-Content-Encoding`.
pub const FLAG_COMPRESSED: u8 = 0b01;
/// The end-of-stream message: `{"error": …, "metadata": …}`.
pub const FLAG_END_STREAM: u8 = 0b10;
/// No envelope we read may be larger (envd's messages are output chunks).
pub const MAX_MESSAGE: usize = 16 << 20;

/// One message of a stream, as it was framed.
pub fn envelope(flags: u8, message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 5);
    out.push(flags);
    out.extend_from_slice(&(message.len() as u32).to_be_bytes());
    out.extend_from_slice(message);
    out
}

/// An error of a call: a Connect error code (`not_found`, `unauthenticated`, …) and
/// its message, or a broken stream.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    #[error("{code}: {message}")]
    Call { code: String, message: String },
    #[error("{0}")]
    Protocol(String),
}

impl ConnectError {
    pub fn code(&self) -> &str {
        match self {
            Self::Call { code, .. } => code,
            Self::Protocol(_) => "",
        }
    }
}

/// The JSON error body of Connect (unary error responses and end-of-stream).
#[derive(Debug, Deserialize)]
pub struct WireError {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
}

impl From<WireError> for ConnectError {
    fn from(e: WireError) -> Self {
        Self::Call {
            code: if e.code.is_empty() {
                "unknown".into()
            } else {
                e.code
            },
            message: e.message,
        }
    }
}

#[derive(Debug, Deserialize)]
struct EndStream {
    #[serde(default)]
    error: Option<WireError>,
}

/// What came out of a stream's bytes so far.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A message (decompressed).
    Message(Vec<u8>),
    /// The stream ended cleanly.
    End,
}

/// Reassembles envelopes from the chunks of a response body.
#[derive(Debug, Default)]
pub struct Deframer {
    buffer: BytesMut,
    gzip: bool,
    ended: bool,
}

impl Deframer {
    /// `encoding`: the response's `Connect-Content-Encoding` (None: identity).
    pub fn new(encoding: Option<&str>) -> Result<Self, ConnectError> {
        let gzip = match encoding.map(str::trim) {
            None | Some("") | Some("identity") => false,
            Some("gzip") => true,
            Some(other) => {
                return Err(ConnectError::Protocol(format!(
                    "the server compressed the stream with `{}`, which codingit does not read",
                    other.escape_debug()
                )))
            }
        };
        Ok(Self {
            gzip,
            ..Self::default()
        })
    }

    pub fn push(&mut self, chunk: &[u8]) {
        self.buffer.extend_from_slice(chunk);
    }

    /// The next whole frame, None when more bytes are needed. An end-of-stream frame
    /// carrying an error comes back as that error.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, ConnectError> {
        if self.ended {
            return Err(ConnectError::Protocol(
                "the server sent data after the end of the stream".into(),
            ));
        }
        if self.buffer.len() < 5 {
            return Ok(None);
        }
        let flags = self.buffer[0];
        let length = u32::from_be_bytes([
            self.buffer[1],
            self.buffer[2],
            self.buffer[3],
            self.buffer[4],
        ]) as usize;
        if length > MAX_MESSAGE {
            return Err(ConnectError::Protocol(format!(
                "a stream message of {length} bytes is past the limit of {MAX_MESSAGE}"
            )));
        }
        if self.buffer.len() < 5 + length {
            return Ok(None);
        }
        self.buffer.advance(5);
        let raw = self.buffer.split_to(length).to_vec();
        let message = if flags & FLAG_COMPRESSED != 0 {
            if !self.gzip {
                return Err(ConnectError::Protocol(
                    "a compressed message in a stream without Connect-Content-Encoding".into(),
                ));
            }
            gunzip(&raw)?
        } else {
            raw
        };
        if flags & FLAG_END_STREAM != 0 {
            self.ended = true;
            let end: EndStream = serde_json::from_slice(&message).map_err(|e| {
                ConnectError::Protocol(format!("an unreadable end-of-stream message: {e}"))
            })?;
            return match end.error {
                Some(error) => Err(error.into()),
                None => Ok(Some(Frame::End)),
            };
        }
        Ok(Some(Frame::Message(message)))
    }

    /// Whether the end-of-stream frame was read.
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// Bytes left over that make no whole frame.
    pub fn pending(&self) -> usize {
        self.buffer.len()
    }
}

fn gunzip(data: &[u8]) -> Result<Vec<u8>, ConnectError> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data)
        .take(MAX_MESSAGE as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| ConnectError::Protocol(format!("a gzip message did not decode: {e}")))?;
    if out.len() > MAX_MESSAGE {
        return Err(ConnectError::Protocol(
            "a gzip message decodes past the size limit".into(),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn frames_split_anywhere_are_reassembled() {
        let mut bytes = envelope(0, b"{\"a\":1}");
        bytes.extend(envelope(FLAG_END_STREAM, b"{}"));
        for cut in 0..bytes.len() {
            let mut d = Deframer::new(None).unwrap();
            d.push(&bytes[..cut]);
            let mut frames = Vec::new();
            while let Some(f) = d.next_frame().unwrap() {
                frames.push(f);
            }
            d.push(&bytes[cut..]);
            while !d.ended() {
                match d.next_frame().unwrap() {
                    Some(f) => frames.push(f),
                    None => break,
                }
            }
            assert_eq!(
                frames,
                vec![Frame::Message(b"{\"a\":1}".to_vec()), Frame::End],
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn an_end_of_stream_error_is_the_calls_error() {
        let mut d = Deframer::new(None).unwrap();
        d.push(&envelope(
            FLAG_END_STREAM,
            br#"{"error":{"code":"deadline_exceeded","message":"too slow"}}"#,
        ));
        let err = d.next_frame().unwrap_err();
        assert_eq!(err.code(), "deadline_exceeded");
    }

    #[test]
    fn gzip_messages_are_decoded_and_unknown_encodings_refused() {
        let mut d = Deframer::new(Some("gzip")).unwrap();
        d.push(&envelope(FLAG_COMPRESSED, &gzip(b"{\"x\":2}")));
        assert_eq!(
            d.next_frame().unwrap(),
            Some(Frame::Message(b"{\"x\":2}".to_vec()))
        );
        assert!(Deframer::new(Some("br")).is_err());
        let mut plain = Deframer::new(None).unwrap();
        plain.push(&envelope(FLAG_COMPRESSED, &gzip(b"{}")));
        assert!(plain.next_frame().is_err());
    }

    #[test]
    fn oversized_frames_are_refused() {
        let mut d = Deframer::new(None).unwrap();
        d.push(&[0, 0xff, 0xff, 0xff, 0xff]);
        assert!(d.next_frame().is_err());
    }
}
