"""Drives Facteur's IMAP server with Python's imaplib, as a real client would; prints one line per check.

Usage: imaplib_client.py HOST IMAPS_PORT STARTTLS_PORT USER PASSWORD CA_PEM
Exits non-zero on the first failed check.
"""
import imaplib
import ssl
import sys

host, imaps, starttls, user, password, ca = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
context = ssl.create_default_context(cafile=ca)


def check(what, condition, detail=""):
    if not condition:
        print("FAIL", what, detail)
        sys.exit(1)
    print("ok", what)


# Implicit TLS (RFC 8314)
m = imaplib.IMAP4_SSL(host, imaps, ssl_context=context)
check("capability IMAP4rev2", "IMAP4REV2" in m.capabilities)
typ, _ = m.login(user, password)
check("login", typ == "OK")
m.create("Py")
message = b"From: py@example.test\r\nTo: " + user.encode() + b"\r\nSubject: from python\r\n\r\nhello from imaplib\r\n"
typ, data = m.append("Py", r"(\Seen)", imaplib.Time2Internaldate(1700000000), message)
check("append", typ == "OK" and b"APPENDUID" in data[0], data)
typ, data = m.select("Py")
check("select", typ == "OK" and data[0] == b"1", data)
typ, data = m.fetch("1", "(FLAGS RFC822.SIZE INTERNALDATE BODY.PEEK[])")
check("fetch body", typ == "OK" and data[0][1] == message, data)
check("fetch internaldate", b"14-Nov-2023" in data[0][0], data[0][0])
typ, data = m.uid("SEARCH", None, "SUBJECT", '"from python"')
check("uid search subject", typ == "OK" and data[0] == b"1", data)
typ, data = m.search("UTF-8", "BODY", "imaplib")
check("search body", typ == "OK" and data[0] == b"1", data)
typ, data = m.store("1", "+FLAGS", r"(\Flagged $Label1)")
check("store", typ == "OK" and b"\\Flagged" in data[0] and b"$Label1" in data[0], data)
typ, data = m.copy("1", "INBOX")
check("copy", typ == "OK", data)
typ, data = m.status("INBOX", "(MESSAGES UIDNEXT UNSEEN)")
check("status", typ == "OK" and b"MESSAGES" in data[0], data)
typ, data = m.list('""', "*")
check("list", typ == "OK" and any(b"Py" in d for d in data), data)
typ, data = m.store("1", "+FLAGS", r"(\Deleted)")
typ, data = m.expunge()
check("expunge", typ == "OK" and data[0] == b"1", data)
typ, _ = m.close()
check("close", typ == "OK")
m.logout()

# STARTTLS on the cleartext port (RFC 9051 §6.2.1)
s = imaplib.IMAP4(host, starttls)
check("logindisabled before tls", "LOGINDISABLED" in s.capabilities)
s.starttls(ssl_context=context)
check("no logindisabled after tls", "LOGINDISABLED" not in s.capabilities)
typ, _ = s.login(user, password)
check("login after starttls", typ == "OK")
typ, data = s.select("INBOX", readonly=True)
check("examine", typ == "OK", data)
s.logout()
print("done")
