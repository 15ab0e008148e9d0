# One Dovecot 2.3 instance for the bench scripts that measure Facteur against it (bench/imap/compare.sh,
# bench/smtp/compare.sh). Sourced, bash. What they share lives here: the directory layout, the one passwd-file
# user with Facteur's Argon2id hash, the common part of dovecot.conf, the start and the stop. Each script appends
# to dovecot.conf only what differs: protocols, TLS, listeners, services, limits. (bench/storage/dovecot-lda.sh
# does not use it: a POSIX sh script with a static passdb, no passwd-file user and a master in the foreground.)
#
# Layout of DIR (the script's temp dir, removed by the script): DIR/dovecot.conf, DIR/passwd, DIR/dovecot.log,
# DIR/start.log, DIR/run (base_dir: sockets and master.pid), DIR/mail (the user's home, owned by nobody, into which
# Dovecot drops its privileges).

# dovecot_passwd DIR FACTEUR_LOG: makes DIR/run and DIR/mail, and writes DIR/passwd with one user, testuser, whose
# password hash is the one the Facteur bench server logged (its line "argon2id $argon2id$v=19$m=...$salt$hash"):
# the same Argon2id parameters on both sides, so a login costs the same
dovecot_passwd() {
  local dir=$1 log=$2
  mkdir -p "$dir/run" "$dir/mail"
  chown nobody:nogroup "$dir/mail"
  echo "testuser:{ARGON2ID}$(sed -n 's/^argon2id //p' "$log"):$(id -u nobody):$(id -g nobody)::$dir/mail/testuser" \
    > "$dir/passwd"
}

# dovecot_conf DIR INSTANCE SCHEME USERNAME_FORMAT: writes the common part of DIR/dovecot.conf (the script appends
# the rest): its own base_dir and instance name (so it runs beside any system Dovecot), loopback only, maildir, and
# DIR/passwd as passdb (default scheme SCHEME) and userdb, with user names looked up as USERNAME_FORMAT (%u, %Ln)
dovecot_conf() {
  local dir=$1 instance=$2 scheme=$3 format=$4
  cat > "$dir/dovecot.conf" <<CONF
base_dir = $dir/run
instance_name = $instance
listen = 127.0.0.1
log_path = $dir/dovecot.log
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=$scheme username_format=$format $dir/passwd
}
userdb {
  driver = passwd-file
  args = username_format=$format $dir/passwd
}
CONF
}

# dovecot_start DIR: starts the master process (it forks into the background and writes DIR/run/master.pid);
# on failure prints what it said and exits the script
dovecot_start() {
  dovecot -c "$1/dovecot.conf" </dev/null >"$1/start.log" 2>&1 || { cat "$1/start.log"; exit 1; }
}

# dovecot_stop DIR: stops the master process if it started (SIGTERM: it stops its children) and waits up to 5 s
# for it to go; for the scripts' exit traps, so it never fails
dovecot_stop() {
  local p
  [ -f "$1/run/master.pid" ] || return 0
  p=$(cat "$1/run/master.pid"); kill "$p" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  return 0
}
