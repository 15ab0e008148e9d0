#!/bin/sh
# Per-account costs: an account's first delivery against its second (FirstUse, ~1 minute), and many accounts at
# a low rate each (ManyAccounts: 200 accounts, 200 msg/s, two 40 s rounds, ~2 minutes). Both reuse StorageBench's
# messages and store set-up. Usage: bench/storage/accounts.sh
set -eu
cd "$(dirname "$0")/../.."
. bench/lib/storage-java.sh
storage_bench_compile bench/storage/FirstUse.java bench/storage/ManyAccounts.java
uptime
"$JAVA_HOME/bin/java" -Xmx1g -cp "$CLASSES:$CP" FirstUse 2>&1 | grep '^round'
"$JAVA_HOME/bin/java" -Xmx1g -cp "$CLASSES:$CP" ManyAccounts 2>&1 | grep '^many'
uptime
