"""Drives Facteur's POP3 server with Python's poplib; prints one JSON object with what it saw.

usage: poplib_client.py ssl|stls PORT CAFILE USER PASSWORD
Retrieves every message, deletes the first, and quits (the UPDATE state).
"""
import json
import poplib
import ssl
import sys

mode, port, cafile, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
context = ssl.create_default_context(cafile=cafile)
result = {}
if mode == "ssl":
    pop = poplib.POP3_SSL("localhost", port, context=context, timeout=10)
else:
    pop = poplib.POP3("localhost", port, timeout=10)
    result["capa_before_tls"] = sorted(pop.capa().keys())
    pop.stls(context=context)
result["greeting"] = pop.getwelcome().decode()
result["capa"] = sorted(pop.capa().keys())
try:
    pop.utf8()
    result["utf8"] = True
except poplib.error_proto:
    result["utf8"] = False
pop.user(user)
pop.pass_(password)
count, size = pop.stat()
result["stat"] = [count, size]
result["uidl"] = [line.decode().split(" ")[1] for line in pop.uidl()[1]]
result["subjects"] = []
result["bodies"] = []
for n in range(1, count + 1):
    lines = pop.retr(n)[1]
    text = [l.decode("utf-8") for l in lines]
    result["subjects"] += [l[9:] for l in text if l.startswith("Subject: ")]
    result["bodies"].append(text[text.index("") + 1:])
result["top"] = [l.decode() for l in pop.top(1, 0)[1]]
try:
    pop.retr(count + 1)
except poplib.error_proto as e:
    result["retr_missing"] = e.args[0].decode()
pop.dele(1)
result["quit"] = pop.quit().decode()
print(json.dumps(result))
