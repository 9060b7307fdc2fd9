//! Tests of `select`: sizes, limits, lifetimes.

use super::*;

#[test]
fn sizes() {
    assert_eq!(parse_size("512m"), Ok(512 << 20));
    assert_eq!(parse_size("2g"), Ok(2 << 30));
    assert_eq!(parse_size("2G"), Ok(2 << 30));
    assert_eq!(parse_size("1.5g"), Ok(3 << 29));
    assert_eq!(parse_size("512MiB"), Ok(512 << 20));
    assert_eq!(parse_size("64kb"), Ok(64 << 10));
    assert_eq!(parse_size(" 1024 "), Ok(1024));
    assert_eq!(parse_size("0.5k"), Ok(512));
    assert_eq!(parse_size("1t"), Ok(1 << 40));
}

#[test]
fn sizes_that_would_remove_a_limit_or_make_no_sense_are_refused() {
    for bad in [
        "0",
        "0m",
        "0.0g",
        "0.0000001",
        "-1",
        "-1g",
        "+1g",
        "nan",
        "NaN",
        "inf",
        "infinity",
        "1e9",
        "lots",
        "",
        "m",
        ".",
        "1..2g",
        "1.2.3",
        "1gg",
        "1 2g",
        "99999999999999999999999",
        "16777216t",
        "8589934592g",
        "18446744073709551615",
        "unlimited",
    ] {
        assert!(parse_size(bad).is_err(), "{bad:?} was accepted");
    }
    assert_eq!(
        parse_size("0").unwrap_err(),
        "0 would remove the limit",
        "the reason is given"
    );
    // The largest size the engine takes (i64::MAX bytes) is the edge.
    assert_eq!(parse_size("9223372036854775807"), Ok(i64::MAX as u64));
    assert!(parse_size("9223372036854775808").is_err());
}

fn settings(toml: &str) -> SandboxSettings {
    toml::from_str(toml).unwrap()
}

#[test]
fn limits_that_would_be_removed_are_refused() {
    let cases: &[(&str, LimitFlags)] = &[
        ("memory = \"0\"", LimitFlags::default()),
        ("memory = \"1k\"", LimitFlags::default()),
        ("pids = 0", LimitFlags::default()),
        ("cpus = 0.0", LimitFlags::default()),
        ("cpus = -1.0", LimitFlags::default()),
        ("cpus = nan", LimitFlags::default()),
        ("cpus = inf", LimitFlags::default()),
        ("output_limit = 0", LimitFlags::default()),
        ("home_size = \"0\"", LimitFlags::default()),
        ("home_size = \"1m\"", LimitFlags::default()),
        (
            "",
            LimitFlags {
                memory: Some("0".into()),
                ..LimitFlags::default()
            },
        ),
        (
            "",
            LimitFlags {
                cpus: Some(0.0),
                ..LimitFlags::default()
            },
        ),
        (
            "",
            LimitFlags {
                pids: Some(0),
                ..LimitFlags::default()
            },
        ),
        (
            "memory = \"2g\"",
            LimitFlags {
                memory: Some("-5m".into()),
                ..LimitFlags::default()
            },
        ),
    ];
    for (toml, flags) in cases {
        let err = limits_from(&settings(toml), flags).unwrap_err();
        assert!(matches!(err, SandboxError::Limit(_)), "{toml} {flags:?}");
        assert!(
            err.to_string().contains("how to fix"),
            "{toml} {flags:?}: {err}"
        );
    }
}

#[test]
fn limits_come_from_flags_then_settings_then_defaults() {
    let l = limits_from(&settings(""), &LimitFlags::default()).unwrap();
    assert_eq!((l.memory_bytes, l.cpus, l.pids), (1 << 30, 1.0, 256));
    let s = settings("memory = \"2g\"\ncpus = 2.0\npids = 64");
    let l = limits_from(&s, &LimitFlags::default()).unwrap();
    assert_eq!((l.memory_bytes, l.cpus, l.pids), (2 << 30, 2.0, 64));
    let flags = LimitFlags {
        memory: Some("512m".into()),
        cpus: Some(0.5),
        pids: Some(32),
    };
    let l = limits_from(&s, &flags).unwrap();
    assert_eq!((l.memory_bytes, l.cpus, l.pids), (512 << 20, 0.5, 32));
}

#[test]
fn oom_message_names_the_limit() {
    let limits = Limits::default();
    assert_eq!(
        oom_message(&limits),
        "killed: out of memory (limit 1 GiB); raise --memory (or sandbox.memory)"
    );
    assert_eq!(format_size(512 << 20), "512 MiB");
    assert_eq!(format_size(3 << 29), "1.5 GiB");
    assert_eq!(format_size(100), "100 B");
}

#[test]
fn lifetimes_are_checked_against_the_maximum() {
    use crate::sandbox::{expiry_after, unix_now, MAX_LIFETIME};
    use std::time::Duration;
    let at = expiry_after(Duration::from_secs(60)).unwrap();
    assert!(at >= unix_now() + 59 && at <= unix_now() + 61);
    assert!(expiry_after(MAX_LIFETIME).is_ok());
    for huge in [
        MAX_LIFETIME + Duration::from_secs(1),
        Duration::from_secs(u64::MAX),
        Duration::MAX,
    ] {
        let err = expiry_after(huge).unwrap_err();
        assert!(err.to_string().contains("at most 7 days"), "{err}");
    }
}

#[test]
fn extending_never_shortens() {
    use crate::sandbox::{extended_expiry, unix_now};
    use std::time::Duration;
    let current = unix_now() + 600;
    assert_eq!(
        extended_expiry(current, Duration::from_secs(60)).unwrap(),
        current
    );
    let longer = extended_expiry(current, Duration::from_secs(1200)).unwrap();
    assert!((unix_now() + 1199..=unix_now() + 1201).contains(&longer));
    assert!(extended_expiry(current, Duration::MAX).is_err());
}
