#!/usr/bin/env python3
"""trickle.py - slow clients for tests/http/t_deadline.sh.

Opens connections to 127.0.0.1:PORT and keeps each alive by sending one
byte every --interval seconds, never finishing its request:
  --keepalive K  K connections that first send a whole request and read its
                 answer, then trickle the headers of the next one;
  --body B       B connections that send the headers of a POST to the public
                 credential route (a small body) and trickle its body;
  --upload U     U connections that send the headers of a signed-in roster
                 upload (--auth, a large body) and trickle its body;
  --count N      then N connections that trickle the headers of a GET.
Connections past the server's per-address cap are closed by it at once.
Once all are open it writes --ready FILE, then trickles for --run seconds
(and lives that long, whether its connections were closed or not).  A connection the
server closes within --deadline / 2 seconds of opening counts as refused
(over the cap), a later close as cut.  Prints one "name value" line each:
opened, refused, held (kept past the refusals), cut (held and then closed
by the server while still sending), upload_open (uploads still open at the
end), first_cut and last_cut (seconds after opening, for the record).
"""
import argparse
import errno
import select
import socket
import time


class Conn:
    def __init__(self, kind, sock, opened):
        self.kind = kind
        self.sock = sock
        self.opened = opened
        self.closed = None


def read_answer(sock):
    """Read one whole answer (headers and Content-Length bytes)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise SystemExit("trickle.py: the server closed before answering")
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    while len(rest) < length:
        chunk = sock.recv(4096)
        if not chunk:
            break
        rest += chunk


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--keepalive", type=int, default=0)
    p.add_argument("--body", type=int, default=0)
    p.add_argument("--upload", type=int, default=0)
    p.add_argument("--auth", default="")
    p.add_argument("--interval", type=float, default=0.5)
    p.add_argument("--run", type=float, required=True)
    p.add_argument("--deadline", type=float, required=True)
    p.add_argument("--ready", required=True)
    a = p.parse_args()

    starts = {
        "headers": b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ",
        "keepalive": b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ",
        "body": b"POST /api/v1/verify/credential HTTP/1.1\r\nHost: t\r\n"
                b"Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n{\"payload\":\"",
        "upload": b"POST /api/v1/verify/roster HTTP/1.1\r\nHost: t\r\n"
                  b"Content-Type: text/csv\r\nContent-Length: 100000\r\n"
                  + ("Authorization: %s\r\n" % a.auth).encode() + b"\r\n",
    }
    plan = (["keepalive"] * a.keepalive + ["body"] * a.body + ["upload"] * a.upload
            + ["headers"] * a.count)
    conns = []
    for kind in plan:
        s = socket.create_connection(("127.0.0.1", a.port))
        try:
            if kind == "keepalive":
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
                read_answer(s)
            s.sendall(starts[kind])
        except OSError:
            pass  # refused: seen below as closed at once
        s.setblocking(False)
        conns.append(Conn(kind, s, time.monotonic()))
    with open(a.ready, "w") as f:
        f.write("ready\n")

    end = time.monotonic() + a.run
    while time.monotonic() < end:
        live = [c for c in conns if c.closed is None]
        if not live:
            time.sleep(a.interval)
            continue
        readable, _, _ = select.select([c.sock for c in live], [], [], a.interval)
        now = time.monotonic()
        for c in live:
            gone = False
            if c.sock in readable:
                try:
                    gone = c.sock.recv(4096) == b""
                except OSError as e:
                    gone = e.errno != errno.EAGAIN
            if not gone:
                try:
                    c.sock.send(b"a")
                except OSError as e:
                    gone = e.errno != errno.EAGAIN
            if gone:
                c.closed = now
                c.sock.close()

    refused = [c for c in conns if c.closed is not None and c.closed - c.opened < a.deadline / 2]
    held = [c for c in conns if c not in refused]
    cut = [c for c in held if c.closed is not None and c.kind != "upload"]
    times = sorted(c.closed - c.opened for c in cut)
    print("opened", len(conns))
    print("refused", len(refused))
    print("held", len(held))
    print("held_small", len([c for c in held if c.kind != "upload"]))
    print("cut", len(cut))
    print("upload_open", len([c for c in conns if c.kind == "upload" and c.closed is None]))
    print("first_cut", "%.2f" % times[0] if times else "-")
    print("last_cut", "%.2f" % times[-1] if times else "-")
    for c in conns:
        if c.closed is None:
            c.sock.close()


if __name__ == "__main__":
    main()
