#!/bin/sh
# Is it the code or the disk? The bare maildir protocol (file operations only) and the store's deliveries, each
# pinned to one core then to two (taskset), alternated, at D deliverers into one mailbox: a rate that grows with
# the cores is bound by the CPU, one that stays is bound by the disk. ROUNDS rounds of N per JVM.
# Usage: bench/storage/cores.sh [D] [ROUNDS] [N]   (defaults 50 3 5000; about 4 minutes; needs taskset and 2 cores)
set -eu
cd "$(dirname "$0")/../.."
. bench/lib/storage-java.sh
storage_bench_compile bench/storage/Cores.java
D=${1:-50}
ROUNDS=${2:-3}
N=${3:-5000}
uptime
for pass in 1 2; do
  for cpus in 0 0,1; do
    for mode in bare store; do
      taskset -c "$cpus" "$JAVA_HOME/bin/java" -Xmx1g -cp "$CLASSES:$CP" Cores "$mode" "$D" "$ROUNDS" "$N" 2>&1 | grep -E '^(bare|store),'
    done
  done
done
uptime
