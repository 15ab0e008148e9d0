#!/bin/sh
# One flag changed on one message of an N-message mailbox (StoreOne: N deliveries with fsync off, then 20 changes
# spread over the mailbox, three rounds). Usage: bench/storage/store-one.sh [N]   (default 100000, ~1 minute)
set -eu
cd "$(dirname "$0")/../.."
. bench/lib/storage-java.sh
storage_bench_compile bench/storage/StoreOne.java
uptime
"$JAVA_HOME/bin/java" -Xmx2g -cp "$CLASSES:$CP" StoreOne "$@" 2>&1 | grep '^store-one'
uptime
