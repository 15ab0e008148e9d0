#!/usr/bin/env bash
# POP3 RETR throughput and login latency over POP3S on loopback, against the real maildir store and H2 directory.
# usage: bench/pop3-retr.sh [messages=200] [size-kb=50] [big-mb=20]   (results go in docs/pop3.md)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# One reactor run so that sibling modules resolve to their target/ folders (nothing is installed in ~/.m2).
mvn -B -q -pl server-pop3 -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
CP="server-pop3/target/test-classes:server-pop3/target/classes:$(cat server-pop3/target/bench.classpath)"
"$JAVA_HOME/bin/java" -Xmx256m -cp "$CP" org.facteur.pop3.bench.RetrBench "$@" 2>&1 | grep -v " INFO \| WARN \| DEBUG "
