#!/usr/bin/env python3
"""Holds N IMAP sessions in IDLE on a server and reports the server JVM's heap after a full GC.

Usage: bench/imap/idle-memory.py HOST PORT USER PASS N [JVM_PID]
Each session: implicit TLS, LOGIN, SELECT INBOX, IDLE. With JVM_PID (a Facteur JVM on this machine), runs
`jcmd PID GC.run` and `jcmd PID GC.heap_info` before the sessions open and once all are idle, and prints the
heap used per session. Then checks that every session still answers DONE, and closes them.
"""
import re
import socket
import ssl
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

host, port, user, password, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
pid = sys.argv[6] if len(sys.argv) > 6 else None
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE


def heap_used_kb():
    if not pid:
        return None
    subprocess.run(["jcmd", pid, "GC.run"], check=True, capture_output=True)
    time.sleep(1)
    info = subprocess.run(["jcmd", pid, "GC.heap_info"], check=True, capture_output=True, text=True).stdout
    m = re.search(r"used (\d+)K", info)
    return int(m.group(1)) if m else None


def until(f, tag):
    while True:
        line = f.readline()
        if not line:
            raise IOError("connection closed")
        if line.startswith(tag + b" ") or (tag == b"+" and line.startswith(b"+")):
            return line


def open_idle(i):
    s = ctx.wrap_socket(socket.create_connection((host, port), timeout=60))
    f = s.makefile("rb")
    f.readline()
    s.sendall(b'a LOGIN "%s" "%s"\r\n' % (user.encode(), password.encode()))
    if b" OK" not in until(f, b"a"):
        raise IOError("login refused")
    s.sendall(b"b SELECT INBOX\r\n")
    until(f, b"b")
    s.sendall(b"c IDLE\r\n")
    until(f, b"+")
    return s, f


before = heap_used_kb()
start = time.time()
with ThreadPoolExecutor(16) as pool:
    sessions = list(pool.map(open_idle, range(n)))
opened = time.time() - start
time.sleep(5)
after = heap_used_kb()
print(f"{n} sessions in IDLE, opened in {opened:.1f} s ({n / opened:.0f}/s)")
if before is not None and after is not None:
    print(f"heap used after full GC: {before / 1024:.1f} MB before, {after / 1024:.1f} MB with the sessions, "
          f"{(after - before) / n:.1f} KB per session")
alive = 0
for s, f in sessions:
    s.sendall(b"DONE\r\n")
for s, f in sessions:
    if b" OK" in until(f, b"c"):
        alive += 1
    s.close()
print(f"{alive}/{n} sessions answered DONE")
