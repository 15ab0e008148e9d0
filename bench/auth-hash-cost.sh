#!/usr/bin/env bash
# Measures the cost of password checks and changes with the default Argon2id/SCRAM parameters.
# Usage: bench/auth-hash-cost.sh [runs]   (builds auth without tests first)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# One reactor run so that config and net resolve from the reactor, not from ~/.m2.
mvn -B -q -pl auth -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/bench.classpath
"$JAVA_HOME/bin/java" -cp "auth/target/classes:$(cat auth/target/bench.classpath)" bench/auth/HashCost.java "${1:-15}"
