#!/bin/sh
# CPU per delivery after a long warm-up, with the JIT compiler threads counted apart (by default fsync off, one deliverer).
# Usage: bench/delivery-cpu/run.sh [WARMUP] [ROUNDS] [PER_ROUND]   (defaults 30000 6 3000; about 3 minutes)
# FSYNC=true: with fsync, to see what waiting for the disk costs the other threads; DELIVERERS=N: N at once
set -eu
cd "$(dirname "$0")/../.."
. bench/lib/storage-java.sh
storage_bench_compile bench/delivery-cpu/DeliveryCpu.java
uptime
"$JAVA_HOME/bin/java" -Xmx1g -Dfsync="${FSYNC:-false}" -Ddeliverers="${DELIVERERS:-1}" -cp "$CLASSES:$CP" DeliveryCpu "$@"
uptime
