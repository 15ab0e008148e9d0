#!/usr/bin/env bash
# What opening a big folder costs: the whole-folder FETCHes clients make (Thunderbird's header fetch, envelope and
# body structure, a flag resync, 100 whole messages), then one flag set and cleared on one message (`imapbench.py
# fetch`), timed over one IMAPS session against Facteur's IMAP bench server and Dovecot 2.3, both with the same
# INBOX of MSGS generated messages (bench/lib/imap-pair.sh). Prints, per fetch and server, the median and least
# wall-clock ms of ROUNDS runs and the
# server's median CPU ms; the servers take turns, PASSES times (a machine shared with other jobs drifts).
#
# Usage (from anywhere in the worktree, as root: Dovecot drops to nobody): bench/imap/fetch.sh
# Knobs (environment): MSGS=3000 ROUNDS=5 PASSES=2 FACTEUR_PORT=25993 DOVECOT_PORT=26993
set -euo pipefail
cd "$(dirname "$0")/../.."
MSGS=${MSGS:-3000}
ROUNDS=${ROUNDS:-5}
PASSES=${PASSES:-2}
HASHING=cheap        # one login per pass: its hash is not what this measures
AUTH_CACHE=facteur
FACTEUR_PORT=${FACTEUR_PORT:-25993}
DOVECOT_PORT=${DOVECOT_PORT:-26993}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}
. bench/lib/imap-pair.sh
trap imap_pair_stop EXIT
imap_pair_start
echo "# $(date -u +%FT%TZ) $(nproc) cores; INBOX of $MSGS messages; $ROUNDS rounds per fetch; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-20s %9s %10s %8s %8s\n' server fetch messages median_ms least_ms cpu_ms
for pass in $(seq 1 "$PASSES"); do
  for server in facteur dovecot; do
    if [ "$server" = facteur ]; then args=("$FACTEUR_PORT" testuser@test.local testpass "$FPID")
    else args=("$DOVECOT_PORT" testuser testpass "$DPID"); fi
    python3 bench/imap/imapbench.py fetch 127.0.0.1 "${args[@]}" "$ROUNDS" | while read -r name n median least cpu; do
      printf '%-8s %-20s %9s %10s %8s %8s\n' "$server" "$name" "$n" "$median" "$least" "$cpu"
    done
  done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E 'ERROR|Exception' "$D/fa/server.log" | head -5 || true
