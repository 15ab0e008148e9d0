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
. bench/lib/dovecot.sh
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
for t in dovecot openssl python3 mvn; do
  command -v $t >/dev/null || { echo "missing $t (Debian: dovecot-imapd openssl python3 maven)"; exit 2; }
done
for p in "$FACTEUR_PORT" "$DOVECOT_PORT"; do
  if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "port $p is in use: set FACTEUR_PORT/DOVECOT_PORT"; exit 2; fi
done
imaptest() { LD_LIBRARY_PATH=/usr/lib/dovecot timeout $(( $2 + 120 )) "$IMAPTEST" "${@:3}" secs="$2" \
  host=127.0.0.1 ssl=any-cert mbox="$D/source.mbox" msgs="$MSGS" >"$1" 2>&1 || echo "  (imaptest exited $?)"; }

D=$(mktemp -d /tmp/facteur-imap-compare.XXXXXX)
chmod 755 "$D"
FPID=
cleanup() {
  set +e
  [ -n "$FPID" ] && { kill "$FPID" 2>/dev/null; wait "$FPID" 2>/dev/null; }
  dovecot_stop "$D/dv"
  rm -rf "$D"
}
trap cleanup EXIT

# --- the mail both mailboxes start from, and that imaptest APPENDs from ---
python3 bench/imap/imapbench.py mbox "$D/source.mbox" $(( MSGS * 2 ))

# --- Facteur: the bench server (real H2 directory, real maildir store with fsync, default IMAP settings) ---
build() { mvn -B -q "$@" -pl server-imap -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >"$D/build.log" 2>&1; }
build -o || build || { tail -20 "$D/build.log"; exit 1; }   # online only when ~/.m2 lacks an artifact
CP=server-imap/target/test-classes:server-imap/target/classes:$(cat server-imap/target/bench.cp)
mkdir -p "$D/fa"
# bench/smtp's logback.xml: WARN and above, so per-session INFO lines cost neither side anything
"$JAVA_HOME/bin/java" -Xmx1g ${FACTEUR_JAVA_OPTS:-} -Dlogback.configurationFile=bench/smtp/logback.xml -cp "$CP" \
  org.facteur.imap.bench.ImapBenchServer "$D/fa" "$FACTEUR_PORT" testuser@test.local testpass "$HASHING" \
  "$([ "$AUTH_CACHE" = none ] && echo off || echo on)" \
  >"$D/fa/server.log" 2>&1 &
FPID=$!
for _ in $(seq 1 120); do grep -q '^ready' "$D/fa/server.log" && break; sleep 1; done
grep -q '^ready' "$D/fa/server.log" || { cat "$D/fa/server.log"; exit 1; }

# --- Dovecot: IMAPS only, one passwd-file user with the same Argon2id hash, maildir, owned by nobody ---
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$D/key.pem" -out "$D/cert.pem" 2>/dev/null
chmod 644 "$D/key.pem"   # the same key type as Facteur's test PKI (EC P-256)
dovecot_passwd "$D/dv" "$D/fa/server.log"
dovecot_conf "$D/dv" facteur-imap-bench-dovecot ARGON2ID %u
cat >> "$D/dv/dovecot.conf" <<CONF
protocols = imap
ssl = required
ssl_cert = <$D/cert.pem
ssl_key = <$D/key.pem
ssl_min_protocol = TLSv1.2
auth_mechanisms = plain login
first_valid_uid = 1
# Dovecot's "high-performance" login mode (one long-lived imap-login process per CPU, not one per connection),
# its faster setting: Facteur is measured against Dovecot at its best
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $DOVECOT_PORT
    ssl = yes
  }
  service_count = 0
  process_min_avail = $(nproc)
}
service imap {
  process_limit = 1024
}
default_client_limit = 2048
# imaptest's clients are all one user from one address (the default allows 10)
mail_max_userip_connections = 1000
$([ "$AUTH_CACHE" = both ] && printf 'auth_cache_size = 10M\nauth_cache_ttl = 1 hour\n')
CONF
dovecot_start "$D/dv"
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/$DOVECOT_PORT) 2>/dev/null && break; sleep 0.2; done
(exec 3<>/dev/tcp/127.0.0.1/$DOVECOT_PORT) 2>/dev/null || { echo "dovecot did not start:"; cat "$D/dv/dovecot.log"; exit 1; }

# --- the same INBOX on both: the first MSGS messages of the mbox, APPENDed over IMAPS ---
printf 'facteur INBOX: '
python3 bench/imap/imapbench.py fill 127.0.0.1 "$FACTEUR_PORT" testuser@test.local testpass "$D/source.mbox" "$MSGS"
printf 'dovecot INBOX: '
python3 bench/imap/imapbench.py fill 127.0.0.1 "$DOVECOT_PORT" testuser testpass "$D/source.mbox" "$MSGS"

F_ARGS=(port="$FACTEUR_PORT" user=testuser@test.local pass=testpass)
D_ARGS=(port="$DOVECOT_PORT" user=testuser pass=testpass)
echo "# $(date -u +%FT%TZ) $(nproc) cores; imaptest load mode, mailbox of $MSGS messages, ${SECS} s per run, $HASHING Argon2id, AUTH_CACHE=$AUTH_CACHE"
echo "# $(grep '^argon2id' "$D/fa/server.log" | cut -d'$' -f4) on both sides; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
imaptest "$D/warm-f.log" "$WARMUP" clients=10 "${F_ARGS[@]}"
imaptest "$D/warm-d.log" "$WARMUP" clients=10 "${D_ARGS[@]}"
DPID=$(cat "$D/dv/run/master.pid")
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
