#!/bin/sh
# Storage benchmark: fsync rate, deliveries/s with fsync, index rebuild, search latency on an N-message mailbox.
# Usage: bench/storage/run.sh [N] [WORKDIR_PARENT]  (N default 100000, needs ~1.5 GB free for 100k; N=0: fsync and
# delivery figures only). WARMUP=N deliveries warm the JIT up before anything is measured (default 20000;
# WARMUP=0 measures a fresh JVM). SLICES=N alternated slices of bare protocol and deliveries per deliverer count (default 6)
set -eu
cd "$(dirname "$0")/../.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
CP_FILE=$(mktemp)
mvn -B -q -o -pl storage -am compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="storage/target/classes:config/target/classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
uptime
"$JAVA_HOME/bin/java" -Xmx1g -Dwarmup="${WARMUP:-20000}" -Dslices="${SLICES:-6}" -cp "$CP" bench/storage/StorageBench.java "$@"
bench/storage/dovecot-lda.sh 200   # the peer, in the same run
uptime
