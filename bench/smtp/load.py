#!/usr/bin/env python3
"""Bounded SMTP load (stdlib only): N connections sending M messages of SIZE bytes, one message per connection
by default; prints accepted messages per second (Facteur answers 250 only after the maildir fsync, so accepted =
landed) and latency percentiles.
Usage: load.py HOST PORT --conns 10 --msgs 1000 --size 5000 [--tls none|starttls|smtps] [--per-conn 1]"""
import argparse, itertools, smtplib, ssl, threading, time

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host"); ap.add_argument("port", type=int)
    ap.add_argument("--conns", type=int, default=10); ap.add_argument("--msgs", type=int, default=1000)
    ap.add_argument("--size", type=int, default=5000); ap.add_argument("--per-conn", type=int, default=1)
    ap.add_argument("--tls", default="none", choices=["none", "starttls", "smtps"])
    ap.add_argument("--rcpt", default="testuser@test.local"); ap.add_argument("--secs", type=float, default=120)
    ap.add_argument("--auth", help="USER:PASS, also used as the sender")
    a = ap.parse_args()
    ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    body = ("x" * 76 + "\r\n") * max(1, a.size // 78)
    counter = itertools.count(); lock = threading.Lock(); lat = []; errors = []
    deadline = time.time() + a.secs
    def worker():
        while time.time() < deadline:
            try:
                s = (smtplib.SMTP_SSL(a.host, a.port, context=ctx, timeout=30) if a.tls == "smtps"
                     else smtplib.SMTP(a.host, a.port, timeout=30))
                s.ehlo("load.remote.test")
                if a.tls == "starttls":
                    s.starttls(context=ctx); s.ehlo("load.remote.test")
                sender = "load@remote.test"
                if a.auth:
                    user, pw = a.auth.split(":", 1); s.login(user, pw); sender = user
                for _ in range(a.per_conn):
                    i = next(counter)
                    if i >= a.msgs or time.time() > deadline:
                        s.quit(); return
                    msg = (f"From: <{sender}>\r\nTo: <{a.rcpt}>\r\nSubject: load {i}\r\n"
                           f"Message-ID: <load{i}.{time.time()}@remote.test>\r\n\r\n{body}")
                    t0 = time.time(); s.sendmail(sender, [a.rcpt], msg)
                    with lock: lat.append(time.time() - t0)
                s.quit()
            except Exception as e:
                with lock: errors.append(repr(e))
                if len(errors) > 50: return
    t0 = time.time()
    threads = [threading.Thread(target=worker) for _ in range(a.conns)]
    [t.start() for t in threads]; [t.join() for t in threads]
    dt = time.time() - t0; lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else 0
    print(f"conns={a.conns} tls={a.tls} size={a.size} sent={len(lat)} errors={len(errors)} secs={dt:.2f} "
          f"msgs_per_s={len(lat)/dt:.1f} p50_ms={pct(.5):.1f} p95_ms={pct(.95):.1f}")
    for e in errors[:3]: print("error:", e)

if __name__ == "__main__":
    main()
