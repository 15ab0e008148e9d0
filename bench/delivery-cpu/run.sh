#!/bin/sh
# CPU per delivery after a long warm-up, with the JIT compiler threads counted apart (fsync off, one deliverer).
# Usage: bench/delivery-cpu/run.sh [WARMUP] [ROUNDS] [PER_ROUND]   (defaults 30000 6 3000; about 3 minutes)
set -eu
cd "$(dirname "$0")/../.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
CP_FILE=$(mktemp)
CLASSES=$(mktemp -d)
trap 'rm -rf "$CP_FILE" "$CLASSES"' EXIT
mvn -B -q -o -pl storage -am compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="storage/target/classes:config/target/classes:$(cat "$CP_FILE")"
# StorageBench's messages and delivery loop, compiled beside this bench
"$JAVA_HOME/bin/javac" -d "$CLASSES" -cp "$CP" bench/storage/StorageBench.java bench/delivery-cpu/DeliveryCpu.java
uptime
"$JAVA_HOME/bin/java" -Xmx1g -cp "$CLASSES:$CP" DeliveryCpu "$@"
uptime
