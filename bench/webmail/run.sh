#!/usr/bin/env bash
# Webmail benchmark: time to the first rows of a large and a small folder in headless Chromium, and server heap
# per logged-in session; then the switch to the threaded list ("Conversations"), the opening of its first
# conversation and the switch back, in both folders. Needs chromium and chromium-driver. Usage: bench/webmail/run.sh [bigFolderSize] [sessions]
# Run it on an idle machine: it first fills a real maildir store (fsync on) with the messages.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -B -pl webmail -am verify -Dtest=FirstPageBench -Dsurefire.failIfNoSpecifiedTests=false \
    -Dwebmail.bench.size="${1:-100000}" -Dwebmail.bench.sessions="${2:-5}" \
  | grep -E 'filled|first page|threaded list|heap per session|Tests run|ERROR'
