#!/usr/bin/env bash
# How long `./facteur start` takes until it prints "is running" (every listener bound, webmail deployed), and how
# long its stop takes, in the three AOT states of the launcher (docs/architecture.md, "Start-up: the AOT cache"):
#   off     FACTEUR_AOT=off, the JVM as before (also what the default gives when there is no cache)
#   record  FACTEUR_AOT=record: the server records, and writes the cache when it stops (the stop time includes it)
#   cache   the default (FACTEUR_AOT=auto) after that: started from the cache the record run wrote
# Usage (from the worktree root; as root the launcher re-runs the server as nobody, as an admin's start does):
#   bench/start/startup.sh [ROUNDS=3]
# The listeners are on 127.0.0.1 with free ports (LoopbackConfig.java); the data folder is a temp dir, removed on
# exit. It deletes this checkout's AOT cache (app/target/aot), which the next ./facteur start records again.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./facteur build >/dev/null
D=$(mktemp -d /tmp/facteur-startup.XXXXXX)
chmod 755 "$D"
LPID=
cleanup() {
  set +e
  [ -n "$LPID" ] && { kill "$LPID" 2>/dev/null; wait "$LPID" 2>/dev/null; }
  rm -rf "$D"
}
trap cleanup EXIT
RUN_AS=()
[ "$(id -u)" = 0 ] && RUN_AS=(nobody)
"$JAVA_HOME/bin/java" -cp app/target/facteur.jar bench/start/LoopbackConfig.java "$D/data" "${RUN_AS[@]}" >/dev/null

now() { date +%s.%N; }
# one MODE: starts, waits for "is running", stops with SIGTERM, waits for the launcher to end; prints the times
one() {
  local mode=$1 aot=auto t0 t1 t2 t3
  [ "$mode" = off ] && aot=off
  [ "$mode" = record ] && aot=record
  rm -f "$D/$mode.log"
  t0=$(now)
  FACTEUR_AOT=$aot ./facteur start --data "$D/data" >"$D/$mode.log" 2>&1 &
  LPID=$!
  until grep -qs "is running" "$D/$mode.log"; do
    kill -0 "$LPID" 2>/dev/null || { cat "$D/$mode.log"; exit 1; }
    sleep 0.05
  done
  t1=$(now)
  sleep 2
  t2=$(now)
  kill -TERM "$LPID"; wait "$LPID" || true; LPID=
  t3=$(now)
  printf '%-7s start %5.2f s   stop %5.2f s\n' "$mode" "$(echo "$t1 - $t0" | bc)" "$(echo "$t3 - $t2" | bc)"
}
echo "# $(date -u '+%F %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
for _ in $(seq "$ROUNDS"); do
  one off
  one record
  one cache
done
ls -l app/target/aot/
