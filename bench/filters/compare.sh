#!/usr/bin/env bash
# Facteur's classifier, SpamAssassin 4 (with Bayes, network tests off) and bogofilter on the same k-fold split of
# a labelled corpus (ham/ and spam/ folders) as bench/filters/kfold.sh: FP %, FN % and messages/s for each.
# Usage: bench/filters/compare.sh [CORPUS=../shared/corpus] [FOLDS=5] [THREADS=2]
# Needs the Debian packages spamassassin, spamd, spamc and bogofilter. Set SKIP_FACTEUR=1, SKIP_SA=1 or
# SKIP_BOGO=1 to leave one out; SKIP_BUILD=1 is passed on to kfold.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
CORPUS=$(cd "${1:-../shared/corpus}" && pwd)
FOLDS=${2:-5}
THREADS=${3:-2}
mkdir -p filters/target
WORK=$(mktemp -d "$PWD/filters/target/compare.XXXXXX")
SPAMD_PID=
cleanup() {
  [[ -n "$SPAMD_PID" ]] && kill "$SPAMD_PID" 2>/dev/null && wait "$SPAMD_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# The split: the same files and folds as CorpusBench (the mbox "From " line dropped, fold = Java's
# String.hashCode of the file name * 31 + 7, mod FOLDS), written as one list of files per fold and class.
python3 - "$CORPUS" "$FOLDS" "$WORK" <<'EOF'
import os, sys
corpus, folds, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def java_hash(s):
    h = 0
    for u in s.encode('utf-16-be').hex(' ', 2).split():
        h = (31 * h + int(u, 16)) & 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h
def floor_mod(x, m):
    x = ((x + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)   # Java int overflow
    return x % m
os.makedirs(f"{work}/msg")
lists = {}
for cls in ("ham", "spam"):
    for name in sorted(os.listdir(f"{corpus}/{cls}")):
        src = f"{corpus}/{cls}/{name}"
        if not os.path.isfile(src):
            continue
        data = open(src, "rb").read()
        if data.startswith(b"From "):
            data = data[data.find(b"\n") + 1:] if b"\n" in data else b""
        dst = f"{work}/msg/{cls}-{name}"
        open(dst, "wb").write(data)
        fold = floor_mod(java_hash(name) * 31 + 7, folds)
        lists.setdefault((fold, cls), []).append(dst)
for fold in range(folds):
    for cls in ("ham", "spam"):
        with open(f"{work}/fold{fold}.{cls}", "w") as f:
            f.write("".join(p + "\n" for p in lists.get((fold, cls), [])))
EOF

train_list() { # fold class -> the files of the other folds
  for ((g = 0; g < FOLDS; g++)); do [[ $g != "$1" ]] && cat "$WORK/fold$g.$2"; done; true
}
row() { # name fp ham fn spam seconds cpu_seconds
  awk -v n="$1" -v fp="$2" -v h="$3" -v fn="$4" -v s="$5" -v t="$6" -v c="$7" -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
    printf "RESULT %-12s FP %d/%d = %.2f %% | FN %d/%d = %.2f %% | %.1f msgs/s wall | %.2f ms CPU/msg | load %s\n",
      n, fp, h, 100 * fp / h, fn, s, 100 * fn / s, (h + s) / t, 1000 * c / (h + s), l }'
}
cpu_of() { # pid -> utime+stime of it, its live children and its reaped children, in seconds
  { echo "$1"; pgrep -P "$1" || true; } | while read -r p; do cat "/proc/$p/stat" 2>/dev/null; done |
    awk '{ c += $14 + $15 + $16 + $17 } END { print c / 100 }'
}

if [[ -z "${SKIP_FACTEUR:-}" ]]; then
  echo "== Facteur (bench/filters/kfold.sh $CORPUS $FOLDS $THREADS)"
  bench/filters/kfold.sh "$CORPUS" "$FOLDS" "$THREADS" | tee "$WORK/facteur.out"
  grep TOTAL "$WORK/facteur.out" | sed 's/^TOTAL/RESULT Facteur     /'
fi

if [[ -z "${SKIP_SA:-}" ]]; then
  echo "== SpamAssassin $(spamassassin -V | head -1 | awk '{print $3}'), Bayes, local tests only, spamd + spamc -P $THREADS"
  PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  SA_USER=$(id -un); [[ $(id -u) == 0 ]] && SA_USER=nobody   # spamd will not serve as root
  fp=0; fn=0; secs=0; cpu=0; nham=0; nspam=0
  for ((f = 0; f < FOLDS; f++)); do
    conf="$WORK/sa$f"; mkdir -p "$conf/home"
    # A private site config: Bayes on in its own path, no auto-learning, no network tests.
    cp -r /etc/spamassassin/. "$conf/site/"
    printf 'use_bayes 1\nbayes_auto_learn 0\nbayes_path %s/bayes\nbayes_learn_to_journal 0\nskip_rbl_checks 1\nlock_method flock\n' \
      "$conf" >> "$conf/site/local.cf"
    t0=$(date +%s.%N)
    train_list "$f" ham | xargs -r sa-learn -L --siteconfigpath "$conf/site" --dbpath "$conf" --no-sync --ham >/dev/null
    train_list "$f" spam | xargs -r sa-learn -L --siteconfigpath "$conf/site" --dbpath "$conf" --no-sync --spam >/dev/null
    sa-learn -L --siteconfigpath "$conf/site" --dbpath "$conf" --sync >/dev/null
    t1=$(date +%s.%N)
    chmod -R a+rwX "$WORK"
    # spamd (taint mode) keeps its preload home in /tmp: when that is not world-writable, give it a private one.
    PRIVATE_TMP=(); [[ $(id -u) == 0 ]] && PRIVATE_TMP=(unshare -m sh -c 'mount -t tmpfs -o mode=1777 none /tmp && exec "$@"' sh)
    HOME="$conf/home" "${PRIVATE_TMP[@]}" spamd -L -x -i 127.0.0.1 -p "$PORT" -m "$THREADS" --min-children "$THREADS" \
      --siteconfigpath "$conf/site" -u "$SA_USER" --helper-home-dir "$conf/home" -s stderr 2>"$conf/spamd.log" &
    SPAMD_PID=$!
    for _ in $(seq 100); do spamc -p "$PORT" -K >/dev/null 2>&1 && break; sleep 0.5; done
    t2=$(date +%s.%N)
    # spamc -c prints "score/required"; a score at or over the required one is spam.
    for cls in ham spam; do
      xargs -r -P "$THREADS" -I{} sh -c "spamc -p $PORT -c < {} || true" < "$WORK/fold$f.$cls" > "$conf/$cls.out"
    done
    t3=$(date +%s.%N)
    c=$(cpu_of "$SPAMD_PID")
    kill "$SPAMD_PID"; wait "$SPAMD_PID" 2>/dev/null || true; SPAMD_PID=
    ffp=$(awk -F/ '$1 + 0 >= $2 + 0' "$conf/ham.out" | wc -l)
    ffn=$(awk -F/ '$1 + 0 < $2 + 0' "$conf/spam.out" | wc -l)
    h=$(wc -l < "$WORK/fold$f.ham"); s=$(wc -l < "$WORK/fold$f.spam")
    echo "fold $f: trained in $(echo "$t1 - $t0" | bc)s, tested $((h + s)) in $(echo "$t3 - $t2" | bc)s, FP $ffp FN $ffn"
    fp=$((fp + ffp)); fn=$((fn + ffn)); nham=$((nham + h)); nspam=$((nspam + s))
    secs=$(echo "$secs + $t3 - $t2" | bc); cpu=$(echo "$cpu + $c" | bc)
  done
  # CPU: spamd's children (the workers) as reaped by spamd; spamc's own time is not counted.
  row SpamAssassin "$fp" "$nham" "$fn" "$nspam" "$secs" "$cpu"
fi

if [[ -z "${SKIP_BOGO:-}" ]]; then
  echo "== bogofilter $(bogofilter -V 2>&1 | head -1 | awk '{print $3}'), default options (Unsure counts as ham)"
  fp=0; fn=0; secs=0; cpu=0; nham=0; nspam=0
  for ((f = 0; f < FOLDS; f++)); do
    db="$WORK/bogo$f"; mkdir -p "$db"
    train_list "$f" ham | bogofilter -d "$db" -n -b || true
    train_list "$f" spam | bogofilter -d "$db" -s -b || true
    t0=$(date +%s.%N)
    for cls in ham spam; do
      # -b: file names on standard input; -T: "name S|H|U score" per message. One process per thread.
      split -n "r/$THREADS" "$WORK/fold$f.$cls" "$db/part.$cls."
      for p in "$db"/part.$cls.*; do
        /usr/bin/time -a -o "$db/cpu" -f '%U %S' bogofilter -d "$db" -b -T < "$p" > "$p.out" || true &
      done
      wait
      cat "$db"/part.$cls.*.out > "$db/$cls.out"
    done
    t1=$(date +%s.%N)
    ffp=$(awk '$2 == "S"' "$db/ham.out" | wc -l)
    ffn=$(awk '$2 != "S"' "$db/spam.out" | wc -l)
    h=$(wc -l < "$WORK/fold$f.ham"); s=$(wc -l < "$WORK/fold$f.spam")
    echo "fold $f: tested $((h + s)) in $(echo "$t1 - $t0" | bc)s, FP $ffp FN $ffn"
    fp=$((fp + ffp)); fn=$((fn + ffn)); nham=$((nham + h)); nspam=$((nspam + s))
    secs=$(echo "$secs + $t1 - $t0" | bc)
    cpu=$(awk -v c="$cpu" '{ c += $1 + $2 } END { print c }' "$db/cpu")
  done
  row bogofilter "$fp" "$nham" "$fn" "$nspam" "$secs" "$cpu"
fi
uptime
