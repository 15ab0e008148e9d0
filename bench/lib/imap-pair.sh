# Facteur's IMAP bench server and Dovecot 2.3 side by side, for the bench scripts that measure one against the
# other (bench/imap/compare.sh, bench/imap/fetch.sh). Sourced, bash, from the repository root. imap_pair_start makes a temp dir D, starts both servers over implicit TLS on loopback with
# the same Argon2id hash, and APPENDs the same MSGS generated messages to both INBOXes; the caller's exit trap runs
# imap_pair_stop. Knobs (set by the caller): MSGS, HASHING (production|cheap), AUTH_CACHE (facteur|both|none),
# FACTEUR_PORT, DOVECOT_PORT, FACTEUR_JAVA_OPTS. Sets D, FPID (Facteur's JVM), DPID (Dovecot's master), F_ARGS
# and D_ARGS (imaptest's port/user/pass for each); D/source.mbox holds 2 x MSGS messages.
. bench/lib/dovecot.sh
FPID=
D=

imap_pair_stop() {
  set +e
  [ -n "$FPID" ] && { kill "$FPID" 2>/dev/null; wait "$FPID" 2>/dev/null; }
  [ -n "$D" ] && { dovecot_stop "$D/dv"; rm -rf "$D"; }
}

imap_pair_start() {
  local t p
  for t in dovecot openssl python3 mvn; do
    command -v $t >/dev/null || { echo "missing $t (Debian: dovecot-imapd openssl python3 maven)"; exit 2; }
  done
  for p in "$FACTEUR_PORT" "$DOVECOT_PORT"; do
    if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "port $p is in use: set FACTEUR_PORT/DOVECOT_PORT"; exit 2; fi
  done
  D=$(mktemp -d /tmp/facteur-imap-pair.XXXXXX)
  chmod 755 "$D"

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
  DPID=$(cat "$D/dv/run/master.pid")
}
