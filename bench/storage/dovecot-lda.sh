#!/bin/sh
# The peer of the delivery figures: Dovecot's LDA (Debian dovecot-lmtpd/dovecot-core) delivering into a maildir
# with mail_fsync=always, at 1 and 10 concurrent deliveries (one dovecot-lda process each, as Postfix would run
# it). Run as root (the LDA drops to the mail user). Usage: bench/storage/dovecot-lda.sh [MESSAGES]
set -eu
N=${1:-200}
LDA=/usr/lib/dovecot/dovecot-lda
[ -x "$LDA" ] && [ -x /usr/sbin/dovecot ] || { echo "dovecot-lda: not installed, skipped"; exit 0; }
[ "$(id -u)" = 0 ] || { echo "dovecot-lda: needs root, skipped"; exit 0; }
W=$(mktemp -d /tmp/dovecot-lda-bench.XXXXXX)
chmod 755 "$W"
mkdir -p "$W/home" && chown 65534:65534 "$W/home"
cat > "$W/dovecot.conf" <<CONF
protocols =
ssl = no
base_dir = $W/run
log_path = $W/log
mail_location = maildir:$W/home/Maildir
mail_fsync = always
default_login_user = nobody
default_internal_user = root
passdb {
  driver = static
  args = password=x
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$W/home
}
CONF
printf 'From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: peer\r\n\r\n%s\r\n' \
    "$(head -c 2000 /dev/zero | tr '\0' 'x')" > "$W/m.eml"
/usr/sbin/dovecot -F -c "$W/dovecot.conf" > "$W/daemon.out" 2>&1 &
DOVECOT=$!
trap 'kill $DOVECOT 2>/dev/null; wait $DOVECOT 2>/dev/null; rm -rf "$W"' EXIT
sleep 1
"$LDA" -c "$W/dovecot.conf" -f alice@example.org -d bob < "$W/m.eml" # warm-up, creates the maildir
for P in 1 10; do
    START=$(date +%s.%N)
    seq "$N" | xargs -P "$P" -I{} sh -c "'$LDA' -c '$W/dovecot.conf' -f alice@example.org -d bob < '$W/m.eml'"
    END=$(date +%s.%N)
    echo "dovecot-lda (peer), $P concurrent: $(echo "$N / ($END - $START)" | bc -l | cut -d. -f1) msg/s"
done
