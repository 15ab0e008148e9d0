#!/usr/bin/env bash
# One run, same machine, same load generator: imaptest's load mode (no test=: random LOGIN, SELECT, FETCH, STORE,
# EXPUNGE, APPEND... by CLIENTS concurrent clients on one mailbox, state checking on) against Facteur's IMAP
# server and against Dovecot 2.3 (Debian dovecot-imapd), both over implicit TLS on loopback, both starting from
# an INBOX of the same MSGS messages APPENDed from the same generated mbox, and both verifying an Argon2id password
# hash of the same cost at each login. Prints operations and sessions (LOGINs) per second for each server and the
# Facteur/Dovecot ratios, and the same per CPU second the server's processes used in the run (Facteur's JVM;
# Dovecot's master and every process under it: login, auth, imap): on a machine shared with other jobs the
# scheduler gives Dovecot's 50 imap processes more of the CPU than the JVM's two carrier threads, and the work per
# CPU second is the figure that does not depend on the other jobs.
#
# Usage (from anywhere in the worktree, as root: Dovecot starts its own instance and drops to nobody):
#   bench/imap/compare.sh /path/to/imaptest        (or IMAPTEST=/path/to/imaptest bench/imap/compare.sh)
# imaptest is not fetched or built here: build Dovecot's imaptest (branch release-2.3 against Debian's
# dovecot-dev) yourself; it is run with LD_LIBRARY_PATH=/usr/lib/dovecot.
# Knobs (environment): CLIENTS="10 50" SECS=60 MSGS=300 (mailbox size, imaptest msgs=) WARMUP=30 (seconds of
# imaptest against each server first: JIT, caches) HASHING=production|cheap (cheap: Argon2id 1 MiB, 1 pass on
# both sides) AUTH_CACHE=facteur|both|none (facteur: Facteur's verified-password cache on as by default and
# Dovecot's auth cache off as by default; both: Dovecot's on too, auth_cache_size = 10M, auth_cache_ttl = 1 hour;
# none: Facteur's off, every login on both sides runs Argon2id) FACTEUR_PORT=23993 DOVECOT_PORT=24993.
# Everything is written to a temp dir and every process started here is stopped on exit, failure included.
# Bounded: each imaptest run has a timeout.
set -euo pipefail
cd "$(dirname "$0")/../.."
IMAPTEST=${1:-${IMAPTEST:-}}
CLIENTS=${CLIENTS:-"10 50"}
SECS=${SECS:-60}
MSGS=${MSGS:-300}
WARMUP=${WARMUP:-30}
HASHING=${HASHING:-production}
AUTH_CACHE=${AUTH_CACHE:-facteur}
case "$AUTH_CACHE" in facteur|both|none) ;; *) echo "AUTH_CACHE is facteur, both or none"; exit 2;; esac
FACTEUR_PORT=${FACTEUR_PORT:-23993}
DOVECOT_PORT=${DOVECOT_PORT:-24993}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}
[ -n "$IMAPTEST" ] && [ -x "$IMAPTEST" ] || { echo "usage: $0 PATH_TO_IMAPTEST (or IMAPTEST=...)"; exit 2; }
imaptest() { LD_LIBRARY_PATH=/usr/lib/dovecot timeout $(( $2 + 120 )) "$IMAPTEST" "${@:3}" secs="$2" \
  host=127.0.0.1 ssl=any-cert mbox="$D/source.mbox" msgs="$MSGS" >"$1" 2>&1 || echo "  (imaptest exited $?)"; }

. bench/lib/imap-pair.sh
trap imap_pair_stop EXIT
imap_pair_start

echo "# $(date -u +%FT%TZ) $(nproc) cores; imaptest load mode, mailbox of $MSGS messages, ${SECS} s per run, $HASHING Argon2id, AUTH_CACHE=$AUTH_CACHE"
echo "# $(grep '^argon2id' "$D/fa/server.log" | cut -d'$' -f4) on both sides; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
imaptest "$D/warm-f.log" "$WARMUP" clients=10 "${F_ARGS[@]}"
imaptest "$D/warm-d.log" "$WARMUP" clients=10 "${D_ARGS[@]}"
ROW='%-8s %7s %11s %9s %7s %12s %10s %6s %6s\n'
printf "$ROW" server clients sessions/s ops/s cpu_s sessions/cpu_s ops/cpu_s errors load
# measure NAME PID LOG CLIENTS ARGS...: one imaptest run; prints a row and leaves "sessions/s ops/s sessions/cpu_s
# ops/cpu_s" in $LAST (CPU seconds: the server's processes only, so work per CPU second holds on a busy machine)
measure() {
  local name=$1 pid=$2 log=$3 c=$4 c0 c1 l o e
  c0=$(python3 bench/imap/imapbench.py cpu "$pid")
  imaptest "$log" "$SECS" clients="$c" "${@:5}"
  c1=$(python3 bench/imap/imapbench.py cpu "$pid")
  read -r l o e < <(python3 bench/imap/imapbench.py totals "$log" "$SECS")
  LAST=$(awk -v l="$l" -v o="$o" -v s="$SECS" -v c="$(awk -v a="$c0" -v b="$c1" 'BEGIN{print b-a}')" \
    'BEGIN{printf "%s %s %.1f %.1f %.1f", l, o, c, l*s/c, o*s/c}')
  read -r l o cs lc oc <<<"$LAST"
  printf "$ROW" "$name" "$c" "$l" "$o" "$cs" "$lc" "$oc" "$e" "$(cut -d' ' -f1 /proc/loadavg)"
  echo "  ms per command, imaptest's last line: $(grep 'ms/cmd' "$log" | tail -1)"
  grep -h 'Error:' "$log" | head -3 || true
}
echo "  (ms per command columns: $(grep -m1 '^Logi' "$D/warm-f.log"))"
for c in $CLIENTS; do
  measure facteur "$FPID" "$D/f$c.log" "$c" "${F_ARGS[@]}"; F=($LAST)
  measure dovecot "$DPID" "$D/d$c.log" "$c" "${D_ARGS[@]}"; V=($LAST)
  awk -v c="$c" -v fl="${F[0]}" -v fo="${F[1]}" -v flc="${F[3]}" -v foc="${F[4]}" \
      -v dl="${V[0]}" -v dop="${V[1]}" -v dlc="${V[3]}" -v doc="${V[4]}" \
    'BEGIN{printf "%-8s %7s %10.2fx %8.2fx %7s %11.2fx %9.2fx\n", "ratio", c, fl/dl, fo/dop, "", flc/dlc, foc/doc}'
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E 'ERROR|Exception' "$D/fa/server.log" | head -5 || true
