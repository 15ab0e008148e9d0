#!/usr/bin/env bash
# k-fold accuracy and speed of Facteur's content filters on a labelled corpus (ham/ and spam/ folders).
# Usage: bench/filters/kfold.sh [CORPUS=../shared/corpus] [FOLDS=5] [THREADS=2]
# Set SKIP_BUILD=1 to reuse the last build. Add -Dbench.errors=1 in JAVA_OPTS to list each FP/FN.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -B -q -pl filters -am test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test >/dev/null
fi
CP=filters/target/test-classes:filters/target/classes:config/target/classes:net/target/classes
CP=$CP:auth/target/classes:storage/target/classes:$(cat filters/target/cp.txt)
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -cp "$CP" org.facteur.filters.bench.CorpusBench \
     "${1:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/corpus}" "${2:-5}" "${3:-2}"
