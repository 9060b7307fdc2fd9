//! The lifetime keeper: the container's main process, which ends the container
//! when its expiry passes (so the expiry holds even when codingit is killed).

/// The container's main process: sleeps until the expiry passes, then exits, which
/// stops the container (the init process ends with it). An empty or malformed file
/// (read while the archive API rewrites it) keeps the last good value.
///
/// It must keep working while sandboxed code exhausts the process limit (a fork
/// bomb), so under bash it forks nothing per round: the clock is `$EPOCHSECONDS`,
/// the file is read with `read`, and it sleeps with `read -t` on a FIFO nothing
/// writes to. Where a value cannot be read it waits and tries again; it never
/// takes a failed read for "expired". Images without bash get the same loop in
/// plain sh (which forks `date` and `sleep`, retrying when they fail).
pub const LIFETIME_LOOP: &str = r#"if command -v bash >/dev/null 2>&1; then exec bash -c "$CODINGIT_KEEPER" keeper; fi
f=/run/codingit/expires
e=$CODINGIT_EXPIRES
while :; do
  if [ -f "$f" ] && [ ! -O "$f" ]; then
    v=$(cat "$f")
    case "$v" in ''|*[!0-9]*) ;; *) e=$v ;; esac
  fi
  case "$e" in ''|*[!0-9]*) e=0 ;; esac
  now=$(date +%s)
  case "$now" in ''|*[!0-9]*) sleep 1; continue ;; esac
  [ "$now" -lt "$e" ] || exit 0
  d=$((e - now)); [ "$d" -gt 2 ] && d=2
  sleep "$d"
done"#;

/// The bash version of [`LIFETIME_LOOP`] (passed in `CODINGIT_KEEPER`).
pub const KEEPER_BASH: &str = r#"f=/run/codingit/expires
e=$CODINGIT_EXPIRES
k=/tmp/.codingit-keeper-$$
if mkfifo -m 600 "$k" && exec 3<>"$k"; then
  nap() { read -r -t "$1" -u 3 _ || true; }
else
  nap() { sleep "$1" || true; }
fi
while :; do
  if [ -f "$f" ] && [ ! -O "$f" ] && read -r v < "$f"; then
    case "$v" in ''|*[!0-9]*) ;; *) e=$v ;; esac
  fi
  case "$e" in ''|*[!0-9]*) e=0 ;; esac
  now=${EPOCHSECONDS:-}
  case "$now" in ''|*[!0-9]*) now=$(date +%s) ;; esac
  case "$now" in ''|*[!0-9]*) nap 1; continue ;; esac
  [ "$now" -lt "$e" ] || exit 0
  d=$((e - now)); [ "$d" -gt 2 ] && d=2
  nap "$d"
done"#;
