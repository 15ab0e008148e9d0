# The storage benches' Java set-up, sourced (POSIX sh) from the repository root by bench/delivery-cpu/run.sh and
# bench/storage/accounts.sh: JAVA_HOME, the storage module compiled, CP (its classes and dependencies) and
# CLASSES (a temp dir, removed on exit, into which storage_bench_compile puts the bench's own classes).
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
CP_FILE=$(mktemp)
CLASSES=$(mktemp -d)
trap 'rm -rf "$CP_FILE" "$CLASSES"' EXIT
mvn -B -q -o -pl storage -am compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="storage/target/classes:config/target/classes:$(cat "$CP_FILE")"

# storage_bench_compile FILE...: compiles bench sources beside StorageBench (its messages, store set-up and
# delivery loop) into CLASSES
storage_bench_compile() {
  "$JAVA_HOME/bin/javac" -d "$CLASSES" -cp "$CP" bench/storage/StorageBench.java "$@"
}
