#!/usr/bin/env bash
# One run, same machine, same load generator: Facteur's SMTP (delivering into its maildir with fsync) against
# Postfix 3.7 delivering to Dovecot 2.3 over LMTP into maildir. Figures are messages LANDED in maildir per second,
# end to end: the clock stops when the last file of the run is in new/ (for Postfix after its queue drains).
# Then the TLS accept rates of both (STARTTLS on the MTA port, implicit TLS) with bench/smtp/load.py.
#
# Usage (from the worktree root, as root: Postfix and Dovecot need it to start their own instances):
#   bench/smtp/compare.sh [MSGS=1000] [TLS_MSGS=300]
# Ports (this engineer's range 21000-21999): Facteur 21025 (SMTP+STARTTLS), 21465 (implicit TLS);
# Postfix 21125 (SMTP+STARTTLS), 21165 (implicit TLS); Dovecot LMTP 21024. Everything is written to a temp dir
# and every process started here is stopped on exit. Bounded: every load step has a timeout.
set -euo pipefail
cd "$(dirname "$0")/../.."
MSGS=${1:-1000}
TLS_MSGS=${2:-300}
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
  if [ -f "$D/dv/run/master.pid" ]; then
    p=$(cat "$D/dv/run/master.pid"); kill "$p" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  fi
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
CP=server-smtp/target/test-classes:server-smtp/target/classes:$(cat server-smtp/target/bench.cp)
mkdir -p "$D/fa"
"$JAVA_HOME/bin/java" -Xmx1g ${FACTEUR_JAVA_OPTS:-} -Dlogback.configurationFile=bench/smtp/logback.xml -cp "$CP" \
  org.facteur.smtp.bench.SmtpBenchServer "$D/fa" 21025 21465 >"$D/fa/server.log" 2>&1 &
FPID=$!

for _ in $(seq 1 120); do grep -q '^ready' "$D/fa/server.log" && break; sleep 1; done
grep -q '^ready' "$D/fa/server.log" || { cat "$D/fa/server.log"; exit 1; }
# --- Dovecot: LMTP (and SASL auth over TCP for Postfix), one passwd-file user, maildir, owned by nobody ---
mkdir -p "$D/dv/run" "$D/dv/mail"
chown nobody:nogroup "$D/dv/mail"
# the same Argon2id hash parameters as Facteur's, so AUTH costs the same on both sides
echo "testuser:{ARGON2ID}$(sed -n 's/^argon2id //p' "$D/fa/server.log"):$(id -u nobody):$(id -g nobody)::$D/dv/mail/testuser" > "$D/dv/passwd"
cat > "$D/dv/dovecot.conf" <<CONF
base_dir = $D/dv/run
instance_name = facteur-bench-dovecot
listen = 127.0.0.1
protocols = lmtp
log_path = $D/dv/dovecot.log
ssl = no
mail_location = maildir:~/Maildir
first_valid_uid = 100
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Ln $D/dv/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%Ln $D/dv/passwd
}
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
dovecot -c "$D/dv/dovecot.conf" </dev/null >"$D/dv/start.log" 2>&1 || { cat "$D/dv/start.log"; exit 1; }

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
smtp-source -s 2 -m 20 -l 5120 -f load@remote.test -t testuser@test.local 127.0.0.1:21025 # JIT warm-up
for c in $CONNS; do
  run_landed "facteur" 21025 "$D/fa/mail" "$c"
  run_landed "postfix->dovecot-lmtp" 21125 "$D/dv/mail" "$c"
done
echo "## TLS accept rates (bench/smtp/load.py, 10 connections, $TLS_MSGS messages, one per connection)"
for mode in starttls smtps; do
  # implicit TLS is submission (RFC 8314): both sides AUTH PLAIN there, Postfix through Dovecot SASL, each
  # verifying an Argon2id hash with the same parameters
  fp=21025; pp=21125; auth=(); [ $mode = smtps ] && { fp=21465; pp=21165; auth=(--auth testuser@test.local:testpass); }
  printf 'facteur  %s ' $mode; timeout "$STEP_TIMEOUT" python3 bench/smtp/load.py 127.0.0.1 $fp --tls $mode \
    --conns 10 --msgs "$TLS_MSGS" --size 5120 "${auth[@]}" || true
  printf 'postfix  %s ' $mode; timeout "$STEP_TIMEOUT" python3 bench/smtp/load.py 127.0.0.1 $pp --tls $mode \
    --conns 10 --msgs "$TLS_MSGS" --size 5120 "${auth[@]}" || true
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E 'ERROR|Exception' "$D/fa/server.log" | head -5 || true
