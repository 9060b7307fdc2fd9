//! codingit: a command-line AI co-developer, as a library.
//!
//! The library never prints: it returns values and reports progress through
//! callbacks; the binary's `cli` module decides how things look.

pub mod apply;
pub mod catalog;
pub mod check;
pub mod config;
pub mod events;
pub mod fragment;
pub mod fsutil;
pub mod llm;
pub mod repo;
pub mod runlog;
pub mod safefs;
pub mod sandbox;
