#!/usr/bin/env python3
"""Helpers of bench/imap/compare.sh (stdlib only).

  imapbench.py mbox OUT.mbox COUNT [SEED]    a deterministic mbox (CRLF) of COUNT synthetic messages: plain text,
                                              multipart/alternative and a few with a base64 attachment, 0.4-80 KB
  imapbench.py fill HOST PORT USER PASS MBOX [COUNT]
                                              APPENDs the first COUNT (default: all) messages of MBOX to INBOX over
                                              IMAPS (certificate not checked: loopback bench servers with throw-away
                                              certificates)
  imapbench.py fetch HOST PORT USER PASS PID ROUNDS
                                              times each of FETCHES (a whole-folder fetch as clients make them)
                                              ROUNDS times on INBOX: median and least ms, server CPU ms (PID's)
  imapbench.py cpu PID                       CPU seconds (user + system) used so far by PID and its descendants,
                                              reaped ones included: on a shared machine each server is compared
                                              by work per CPU second as well as per wall-clock second
  imapbench.py totals LOG SECS               reads imaptest's output: prints "logins ops errors" where logins and
                                              ops are per second (imaptest's Totals line over SECS) and errors
                                              counts its "Error:" lines (state checking is on in load mode)
"""
import base64
import email.utils
import imaplib
import os
import random
import re
import ssl
import sys
import time
from datetime import datetime, timedelta, timezone

VOCABULARY = ("invoice quarterly release meeting agenda review budget server mailbox folder schedule draft "
              "deploy report customer ticket update backup network storage patch weekly minutes travel "
              "lunch contract offer summary question answer thanks regards tomorrow").split()


def sentence(rnd, words):
    return " ".join(rnd.choice(VOCABULARY) for _ in range(words)).capitalize() + "."


def text(rnd, lines):
    return "\r\n".join(sentence(rnd, rnd.randint(5, 12)) for _ in range(lines))


def message(rnd, n):
    sender = f"sender{rnd.randint(1, 40)}@example.{rnd.choice(('org', 'net', 'com'))}"
    sent = datetime(2026, 11, 1, tzinfo=timezone.utc) + timedelta(hours=7 * n, minutes=n % 60)
    headers = [f"From: Sender {n % 40} <{sender}>",
               "To: testuser@test.local",
               f"Subject: {sentence(rnd, rnd.randint(2, 6))[:-1]}",
               f"Date: {email.utils.format_datetime(sent)}",
               f"Message-ID: <bench.{n}@example.org>",
               "MIME-Version: 1.0"]
    lines = rnd.choice((4, 15, 40, 120, 400))
    shape = rnd.random()
    if shape < 0.6:
        headers.append("Content-Type: text/plain; charset=utf-8")
        body = text(rnd, lines)
    else:
        boundary = f"=_bench{n}"
        plain = text(rnd, lines)
        if shape < 0.85:
            headers.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
            second = ("Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>"
                      + plain.replace("\r\n", "</p><p>") + "</p></body></html>")
        else:
            headers.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
            blob = rnd.randbytes(rnd.choice((1500, 12000, 40000)))
            second = (f'Content-Type: application/octet-stream; name="part{n}.bin"\r\n'
                      "Content-Transfer-Encoding: base64\r\n\r\n"
                      + base64.encodebytes(blob).decode().replace("\n", "\r\n").rstrip())
        body = (f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{plain}\r\n"
                f"--{boundary}\r\n{second}\r\n--{boundary}--")
    return "\r\n".join(headers) + "\r\n\r\n" + body + "\r\n"


def write_mbox(out, count, seed):
    """No separator line and no >From quoting: imaptest takes everything up to the next From_ line as the
    message, and no line of these messages starts with "From "."""
    rnd = random.Random(seed)
    with open(out, "w", newline="") as f:
        for n in range(count):
            f.write(f"From bench@example.org Mon Nov  2 10:00:{n % 60:02d} 2026\r\n")
            f.write(message(rnd, n))


def read_mbox(path):
    messages = []
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b"From "):
                messages.append(bytearray())
            else:
                messages[-1] += line
    return [bytes(m) for m in messages]


def connect(host, port, user, password, timeout):
    """An IMAPS session, logged in; the certificate is not checked (loopback bench servers with throw-away
    certificates)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    imap = imaplib.IMAP4_SSL(host, int(port), ssl_context=context, timeout=timeout)
    imap.login(user, password)
    return imap


def fill(host, port, user, password, mbox, count=None):
    imap = connect(host, port, user, password, 60)
    for raw in read_mbox(mbox)[:int(count) if count else None]:
        status, detail = imap.append("INBOX", None, None, raw)
        if status != "OK":
            sys.exit(f"APPEND failed: {detail}")
    status, data = imap.status("INBOX", "(MESSAGES)")
    imap.logout()
    print(data[0].decode())


def totals(log, secs):
    lines = open(log, errors="replace").read().splitlines()
    errors = sum(1 for line in lines if "Error:" in line)
    at = max(i for i, line in enumerate(lines) if line.startswith("Totals:"))
    names = lines[at + 1].split()
    counts = next(line.split() for line in lines[at + 2:] if re.fullmatch(r"[\d ]+", line.strip() or "x"))
    by_name = dict(zip(names, map(int, counts)))
    secs = float(secs)
    print(f"{by_name['Logi'] / secs:.1f} {sum(by_name.values()) / secs:.1f} {errors}")


def cpu(root):
    print(f"{cpu_seconds(root):.2f}")


def cpu_seconds(root):
    """/proc/PID/stat fields 14-17 (utime, stime, cutime, cstime): a process's own CPU time and that of its
    children it has waited for, so a Dovecot imap process that ended during the run is counted in its master."""
    parents, times = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
            times[int(entry)] = sum(int(f) for f in fields[11:15])
    tree, frontier = set(), {int(root)}
    while frontier:
        tree |= frontier
        frontier = {p for p, parent in parents.items() if parent in frontier} - tree
    return sum(times.get(p, 0) for p in tree) / os.sysconf('SC_CLK_TCK')


# What clients ask of a whole folder when they open it: Thunderbird's header fetch (its exact item list), the
# envelope and structure other clients (mutt, Apple Mail, imaptest) cache, a flag resync, and whole messages
FETCHES = (
    ("thunderbird-headers", "UID FETCH", "1:*", "(UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Bcc "
     "Subject Date Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To)])"),
    ("envelope-structure", "FETCH", "1:*", "(FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)"),
    ("flags", "UID FETCH", "1:*", "(FLAGS)"),
    ("bodies-100", "FETCH", "1:100", "(BODY.PEEK[])"),
)


def fetch(host, port, user, password, pid, rounds):
    """Each of FETCHES on the whole INBOX, ROUNDS times over one IMAPS session, then a flag set and cleared 2 x ROUNDS
    times on the middle message: prints per fetch (and for the STORE) the median and least wall-clock ms and the
    server's median CPU ms (its processes, from /proc), one line each."""
    imap = connect(host, port, user, password, 300)
    status, data = imap.select("INBOX", readonly=True)
    count = int(data[0])
    for name, command, items_set, items in FETCHES:
        walls, cpus = [], []
        for _ in range(int(rounds)):
            c0, t0 = cpu_seconds(pid), time.perf_counter()
            if command == "UID FETCH":
                status, detail = imap.uid("FETCH", items_set, items)
            else:
                status, detail = imap.fetch(items_set, items)
            walls.append((time.perf_counter() - t0) * 1000)
            cpus.append((cpu_seconds(pid) - c0) * 1000)
            if status != "OK":
                sys.exit(f"{name}: {status} {detail}")
        report(name, count, walls, cpus)
    # and one flag set then cleared on one message in the middle, as a client marks a message read or flagged
    imap.select("INBOX")
    middle = imap.fetch(str(count // 2), "(UID)")[1][0].decode().split("UID ")[1].rstrip(")")
    walls, cpus = [], []
    for i in range(2 * int(rounds)):
        c0, t0 = cpu_seconds(pid), time.perf_counter()
        status, detail = imap.uid("STORE", middle, "+FLAGS" if i % 2 == 0 else "-FLAGS", "(\\Flagged)")
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((cpu_seconds(pid) - c0) * 1000)
        if status != "OK":
            sys.exit(f"store-one: {status} {detail}")
    report("store-one", count, walls, cpus)
    imap.logout()


def report(name, count, walls, cpus):
    walls.sort()
    cpus.sort()
    print(f"{name} {count} {walls[len(walls) // 2]:.1f} {walls[0]:.1f} {cpus[len(cpus) // 2]:.0f}")


if __name__ == "__main__":
    verb, args = sys.argv[1], sys.argv[2:]
    if verb == "mbox":
        write_mbox(args[0], int(args[1]), int(args[2]) if len(args) > 2 else 1)
    elif verb == "fill":
        fill(*args)
    elif verb == "fetch":
        fetch(*args)
    elif verb == "cpu":
        cpu(*args)
    elif verb == "totals":
        totals(*args)
    else:
        sys.exit(__doc__)
