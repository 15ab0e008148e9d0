#!/bin/sh
# CPU per delivery after a long warm-up, with the JIT compiler threads counted apart (fsync off, one deliverer).
# Usage: bench/delivery-cpu/run.sh [WARMUP] [ROUNDS] [PER_ROUND]   (defaults 30000 6 3000; about 3 minutes)
set -eu
cd "$(dirname "$0")/../.."
. bench/lib/storage-java.sh
storage_bench_compile bench/delivery-cpu/DeliveryCpu.java
uptime
"$JAVA_HOME/bin/java" -Xmx1g -cp "$CLASSES:$CP" DeliveryCpu "$@"
uptime
