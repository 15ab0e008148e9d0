#!/usr/bin/env bash
# Messages per second received and landed in maildir (fsync) by Facteur's SMTP server, at 1, 10 and 50
# connections with 5 KB messages, plain and implicit TLS. Uses Postfix's smtp-source when installed (plain
# only), else bench/smtp/load.py (stdlib Python). Bounded: MSGS messages per run. Not part of the test suite.
# Usage: bench/smtp/run.sh [MSGS=2000]
set -euo pipefail
cd "$(dirname "$0")/../.."
MSGS=${1:-2000}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -B -q -o -pl server-smtp -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
CP=server-smtp/target/test-classes:server-smtp/target/classes:$(cat server-smtp/target/bench.cp)
DIR=$(mktemp -d /tmp/facteur-smtp-bench.XXXXXX)
"$JAVA_HOME/bin/java" -Xmx1g -Dlogback.configurationFile=bench/smtp/logback.xml -cp "$CP" org.facteur.smtp.bench.SmtpBenchServer "$DIR" 21225 21265 >"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
for i in $(seq 1 120); do grep -q '^ready' "$DIR/server.log" && break; sleep 1; done
grep -q '^ready' "$DIR/server.log" || { cat "$DIR/server.log"; exit 1; }
echo "# $(date -u +%FT%TZ) $(nproc) cores, $MSGS messages per run, 5 KB"
for c in 1 10 50; do
  if command -v smtp-source >/dev/null; then
    start=$(date +%s.%N)
    smtp-source -s "$c" -m "$MSGS" -l 5000 -f load@remote.test -t testuser@test.local 127.0.0.1:21225
    end=$(date +%s.%N)
    echo "smtp-source conns=$c msgs_per_s=$(echo "$MSGS / ($end - $start)" | bc -l | cut -c1-6)"
  else
    python3 bench/smtp/load.py 127.0.0.1 21225 --conns "$c" --msgs "$MSGS" --size 5000
  fi
  python3 bench/smtp/load.py 127.0.0.1 21265 --conns "$c" --msgs "$MSGS" --size 5000 --tls smtps --auth testuser@test.local:testpass
done
echo "landed in maildir: $(find "$DIR/mail" -path '*/new/*' -type f | wc -l) files"
