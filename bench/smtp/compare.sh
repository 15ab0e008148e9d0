#!/usr/bin/env bash
# One run, same machine, same load generator: Facteur's SMTP (delivering into its maildir with fsync) against
# Postfix 3.7 delivering to Dovecot 2.3 over LMTP into maildir. Figures are messages LANDED in maildir per second,
# end to end: the clock stops when the last file of the run is in new/ (for Postfix after its queue drains).
# Then the TLS accept rates of both (STARTTLS on the MTA port in passes; implicit TLS with AUTH) with
# bench/smtp/load.py, each with the CPU time the server side used per landed message.
#
# Usage (from the worktree root, as root: Postfix and Dovecot need it to start their own instances):
#   bench/smtp/compare.sh [MSGS=1000] [TLS_MSGS=300]   (env: CONNS="1 10 50", TLS_PASSES=5, STEP_TIMEOUT=180,
#   WARMUP=20: plain messages sent to Facteur (10 connections) before the first measured run; WARMUP_TLS=0: STARTTLS
#   messages sent to Facteur before the STARTTLS passes. With the defaults the figures are those of a fresh JVM:
#   the 1-connection run comes first, and C2 compiling Lucene, H2 and JSSE takes 30-45 % of the server's CPU for
#   the first 10,000 messages or so; WARMUP=20000 WARMUP_TLS=5000 measures a server that has been running a while;
#   AOT=1 first makes a JDK AOT cache in a training run of Facteur, and starts the measured server with it: the
#   mechanism of `FACTEUR_AOT=record ./facteur start`, a recorded run stopped with SIGTERM, then -XX:AOTCache)
# Ports (this engineer's range 21000-21999): Facteur 21025 (SMTP+STARTTLS), 21465 (implicit TLS);
# Postfix 21125 (SMTP+STARTTLS), 21165 (implicit TLS); Dovecot LMTP 21024. Everything is written to a temp dir
# and every process started here is stopped on exit. Bounded: every load step has a timeout.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib/dovecot.sh
MSGS=${1:-1000}
TLS_MSGS=${2:-300}
TLS_PASSES=${TLS_PASSES:-5}
WARMUP=${WARMUP:-20}
WARMUP_TLS=${WARMUP_TLS:-0}
CONNS=${CONNS:-"1 10 50"}
STEP_TIMEOUT=${STEP_TIMEOUT:-180}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}
for t in smtp-source postfix postconf dovecot openssl python3 bc; do
  command -v $t >/dev/null || { echo "missing $t (Debian: postfix dovecot-lmtpd openssl python3 bc)"; exit 2; }
done

D=$(mktemp -d /tmp/facteur-smtp-compare.XXXXXX)
chmod 755 "$D"
FPID=
cleanup() {
  set +e
  [ -n "$FPID" ] && { kill "$FPID" 2>/dev/null; wait "$FPID" 2>/dev/null; }
  [ -f "$D/pf/etc/main.cf" ] && postfix -c "$D/pf/etc" stop >/dev/null 2>&1
  dovecot_stop "$D/dv"
  rm -rf "$D"
}
trap cleanup EXIT

# --- one TLS key type for both servers: Facteur's test PKI issues EC P-256, so Postfix gets P-256 too ---
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$D/key.pem" -out "$D/cert.pem" 2>/dev/null
chmod 644 "$D/key.pem"

# --- Facteur: the bench server (real H2 directory, real maildir store with fsync) ---
build() { mvn -B -q "$@" -pl server-smtp -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >"$D/build.log" 2>&1; }
build -o || build || { tail -20 "$D/build.log"; exit 1; }   # online only when ~/.m2 lacks an artifact
# Jars only: a JDK AOT cache (AOT=1 below) refuses class directories on the class path.
"$JAVA_HOME/bin/jar" cf "$D/server-smtp-bench.jar" -C server-smtp/target/test-classes .
CP=$D/server-smtp-bench.jar:$(ls server-smtp/target/server-smtp-*.jar | grep -v -e -tests -e -sources | head -1):$(cat server-smtp/target/bench.cp)
start_facteur() { # DIR [JVM options...]: starts the bench server in the background (FPID)
  local dir=$1; shift
  mkdir -p "$dir"
  "$JAVA_HOME/bin/java" -Xmx1g ${FACTEUR_JAVA_OPTS:-} "$@" -Dlogback.configurationFile=bench/smtp/logback.xml -cp "$CP" \
    org.facteur.smtp.bench.SmtpBenchServer "$dir" 21025 21465 >"$dir/server.log" 2>&1 &
  FPID=$!
  for _ in $(seq 1 120); do grep -q '^ready' "$dir/server.log" && break; sleep 1; done
  grep -q '^ready' "$dir/server.log" || { cat "$dir/server.log"; exit 1; }
}
AOT_OPTS=()
if [ "${AOT:-0}" = 1 ]; then
  # JDK 25 AOT cache (JEP 483 class loading and linking, JEP 515 method profiles), made by a training run of its
  # own (JEP 514: written when the JVM exits): plain SMTP, STARTTLS and implicit TLS with AUTH, then a clean stop.
  start_facteur "$D/train" -XX:AOTCacheOutput="$D/facteur.aot"
  smtp-source -s 10 -m 3000 -l 5120 -f load@remote.test -t testuser@test.local 127.0.0.1:21025
  python3 bench/smtp/load.py 127.0.0.1 21025 --tls starttls --conns 10 --msgs 1500 --size 5120 >/dev/null
  python3 bench/smtp/load.py 127.0.0.1 21465 --tls smtps --conns 5 --msgs 50 --size 5120 \
    --auth testuser@test.local:testpass >/dev/null
  kill "$FPID"; wait "$FPID" || true; FPID=
  [ -f "$D/facteur.aot" ] || { tail -5 "$D/train/server.log"; exit 1; }
  echo "# AOT cache: $(du -h "$D/facteur.aot" | cut -f1) from a training run of 3000 plain, 1500 STARTTLS, 50 implicit TLS+AUTH"
  AOT_OPTS=(-XX:AOTCache="$D/facteur.aot")
fi
start_facteur "$D/fa" "${AOT_OPTS[@]}"

# --- Dovecot: LMTP (and SASL auth over TCP for Postfix), one passwd-file user, maildir, owned by nobody ---
# the same Argon2id hash parameters as Facteur's, so AUTH costs the same on both sides
dovecot_passwd "$D/dv" "$D/fa/server.log"
dovecot_conf "$D/dv" facteur-bench-dovecot PLAIN %Ln
cat >> "$D/dv/dovecot.conf" <<CONF
protocols = lmtp
ssl = no
first_valid_uid = 100
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = 21024
  }
  process_limit = 100
}
service auth {
  inet_listener {
    address = 127.0.0.1
    port = 21026
  }
}
auth_mechanisms = plain login
disable_plaintext_auth = no
protocol lmtp {
  auth_username_format = %Ln
}
CONF
dovecot_start "$D/dv"

# --- Postfix: a separate instance (own config and queue dirs), test.local -> Dovecot LMTP, nothing leaves ---
mkdir -p "$D/pf/etc" "$D/pf/queue" "$D/pf/data"
chown postfix "$D/pf/data"
cat > "$D/pf/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $D/pf/queue
data_directory = $D/pf/data
maillog_file = $D/pf/maillog
maillog_file_prefixes = /tmp
myhostname = mail.test.local
mydomain = test.local
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtp_dns_support_level = disabled
lmtp_dns_support_level = disabled
virtual_mailbox_domains = test.local
virtual_transport = lmtp:inet:127.0.0.1:21024
default_transport = error:outbound mail disabled in this bench instance
relay_transport = error:outbound mail disabled in this bench instance
notify_classes =
alias_maps =
alias_database =
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_tls_cert_file = $D/cert.pem
smtpd_tls_key_file = $D/key.pem
smtpd_tls_security_level = may
default_process_limit = 200
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
message_size_limit = 52428800
CF
# Debian's master.cf services (pickup, cleanup, qmgr, lmtp...) without its public listeners, plus ours
grep -v -E '^(smtp|submission|smtps)[[:space:]]+inet' /etc/postfix/master.cf > "$D/pf/etc/master.cf"
cat >> "$D/pf/etc/master.cf" <<'MF'
127.0.0.1:21125 inet n - n - - smtpd
127.0.0.1:21165 inet n - n - - smtpd -o syslog_name=postfix/smtps -o smtpd_tls_wrappermode=yes -o smtpd_sasl_auth_enable=yes -o smtpd_sasl_type=dovecot -o smtpd_sasl_path=inet:127.0.0.1:21026
MF
postconf -c "$D/pf/etc" -F "*/*/chroot = n"   # no chroot: the temp queue dir has no copy of /etc
# postfix prints fatal start errors only to a terminal; script(1) gives it one
script -qc "postfix -c $D/pf/etc start" /dev/null >"$D/pf/start.log" 2>&1 || true

for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/21125) 2>/dev/null && break; sleep 0.2; done
(exec 3<>/dev/tcp/127.0.0.1/21125) 2>/dev/null || { echo "postfix did not start:"; cat "$D/pf/start.log"; exit 1; }
(exec 3<>/dev/tcp/127.0.0.1/21024) 2>/dev/null || { echo "dovecot did not start:"; cat "$D/dv/dovecot.log"; exit 1; }

landed() { find "$1" -path '*/new/*' -type f 2>/dev/null | wc -l; }
now() { date +%s.%N; }
rate() { echo "scale=1; $1 / ($2 - $3)" | bc -l; }

# run_landed NAME PORT MAILDIR CONNS: smtp-source MSGS messages (one per connection), then wait until all landed
run_landed() {
  local name=$1 port=$2 dir=$3 c=$4 before t0 t1 n
  before=$(landed "$dir")
  t0=$(now)
  timeout "$STEP_TIMEOUT" smtp-source -s "$c" -m "$MSGS" -l 5120 -f load@remote.test -t testuser@test.local \
    "127.0.0.1:$port" || echo "  ($name: smtp-source exited $?)"
  local until=$(( $(date +%s) + STEP_TIMEOUT ))
  while :; do
    n=$(( $(landed "$dir") - before ))
    [ "$n" -ge "$MSGS" ] || [ "$(date +%s)" -ge "$until" ] && break
    sleep 0.05
  done
  t1=$(now)
  printf '%-28s conns=%-3s landed=%-5s secs=%-6.2f landed_per_s=%s\n' "$name" "$c" "$n" \
    "$(echo "$t1 - $t0" | bc -l)" "$(rate "$n" "$t1" "$t0")"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores; $MSGS messages per run, 5 KB, one message per connection"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## landed in maildir per second (smtp-source)"
echo "# Facteur warm-up: $WARMUP plain messages, then $WARMUP_TLS STARTTLS before the STARTTLS passes"
smtp-source -s 10 -m "$WARMUP" -l 5120 -f load@remote.test -t testuser@test.local 127.0.0.1:21025 # JIT warm-up
for c in $CONNS; do
  run_landed "facteur" 21025 "$D/fa/mail" "$c"
  run_landed "postfix->dovecot-lmtp" 21125 "$D/dv/mail" "$c"
done
# cpu_ticks facteur|postfix: CPU clock ticks one side has used so far: Facteur's JVM; Postfix's and Dovecot's
# masters with the children they reaped (smtpd, cleanup, qmgr, lmtp...), plus their children still alive
cpu_ticks() {
  local pids t=0 p c
  if [ "$1" = facteur ]; then pids=$FPID; else pids="$(tr -d ' ' < "$D/pf/queue/pid/master.pid") $(cat "$D/dv/run/master.pid")"; fi
  for p in $pids; do
    t=$(( t + $(awk '{print $14+$15+$16+$17}' "/proc/$p/stat") ))
    for c in $(pgrep -P "$p"); do t=$(( t + $(awk '{print $14+$15}' "/proc/$c/stat" 2>/dev/null || echo 0) )); done
  done
  echo $t
}

# run_tls NAME LABEL PORT MODE MAILDIR [load.py options]: TLS_MSGS messages at 10 connections, then waits until they
# landed (Postfix delivers after its 250) and prints the accept rate and the CPU time per landed message, which a
# busy machine (other engineers' builds) disturbs far less than the rate
run_tls() {
  local name=$1 label=$2 port=$3 mode=$4 dir=$5 before c0 out n
  shift 5
  before=$(landed "$dir"); c0=$(cpu_ticks "$name")
  out=$(timeout "$STEP_TIMEOUT" python3 bench/smtp/load.py 127.0.0.1 "$port" --tls "$mode" --conns 10 \
    --msgs "$TLS_MSGS" --size 5120 "$@" || true)
  local until=$(( $(date +%s) + STEP_TIMEOUT ))
  until [ $(( $(landed "$dir") - before )) -ge "$TLS_MSGS" ] || [ "$(date +%s)" -ge "$until" ]; do sleep 0.05; done
  n=$(( $(landed "$dir") - before ))
  printf '%-8s %-11s %s cpu_ms_per_landed=%s\n' "$name" "$label" "$out" \
    "$( [ "$n" -gt 0 ] && echo "scale=1; ($(cpu_ticks "$name") - $c0) * 1000 / $(getconf CLK_TCK) / $n" | bc -l)"
}

# tls_facts NAME PORT: what an OpenSSL client with its default groups negotiates by STARTTLS; two ServerHellos
# would mean a HelloRetryRequest (RFC 8446 §4.1.3)
tls_facts() {
  local out
  out=$( (sleep 1; printf 'QUIT\r\n') | timeout 10 openssl s_client -starttls smtp -connect "127.0.0.1:$2" -msg 2>&1 || true)
  printf '%-8s %s; %s; ServerHellos: %s\n' "$1" "$(grep -m1 -o 'New, .*' <<<"$out")" \
    "$(grep -m1 -o 'Server Temp Key: .*' <<<"$out")" "$(grep -c '^<<< .*Handshake.*, ServerHello$' <<<"$out")"
}

echo "## TLS (bench/smtp/load.py, 10 connections, $TLS_MSGS messages per pass, one per connection)"
tls_facts facteur 21025
tls_facts postfix 21125
# STARTTLS in TLS_PASSES passes, each printed. The first runs the JVM's first TLS handshakes: the plain runs above
# do not reach JSSE, whose code is interpreted or C1-compiled then (a fresh server's first 300 STARTTLS sessions
# cost 2 to 4 times the CPU of later ones, and on a busy machine the JIT needs 1,000-1,500 handshakes to catch
# up). The last pass is further into the warm-up but not past it: C2 still takes a fifth to a third of the CPU
# after 5,000 messages (WARMUP_TLS measures later). Postfix runs every pass too.
[ "$WARMUP_TLS" -gt 0 ] && python3 bench/smtp/load.py 127.0.0.1 21025 --tls starttls --conns 10 --msgs "$WARMUP_TLS" \
  --size 5120 >/dev/null
for pass in $(seq 1 "$TLS_PASSES"); do
  run_tls facteur "starttls#$pass" 21025 starttls "$D/fa/mail"
  run_tls postfix "starttls#$pass" 21125 starttls "$D/dv/mail"
done
# implicit TLS is submission (RFC 8314): both sides AUTH PLAIN there, Postfix through Dovecot SASL, each verifying
# an Argon2id hash with the same parameters. One pass only: TLS_MSGS must stay under the sender rate limit.
run_tls facteur smtps+auth 21465 smtps "$D/fa/mail" --auth testuser@test.local:testpass
run_tls postfix smtps+auth 21165 smtps "$D/dv/mail" --auth testuser@test.local:testpass
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E 'ERROR|Exception' "$D/fa/server.log" | head -5 || true
