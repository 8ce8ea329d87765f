"""Hostile Prometheus sources for bptop, shared by test_bptop_hostile_sources.py (short, in CI)
and Scripts/hostile-sources (long).

`HostileServer` is a real HTTP/1.1 server on a free loopback port whose every answer is
written by a function of the request number, so a test can serve malformed HTTP, endless
bodies, huge or garbage expositions, or refuse and come back. `run_bptop` runs bptop to its
end and returns its exit status, output and peak RSS (from wait4, so it is bptop's own).
"""
import os
import random
import signal
import socket
import subprocess
import tempfile
import threading

from tui import bptop_path


class HostileServer:
    """Answers every request on 127.0.0.1 with `respond(conn, n)` (n counts requests from 0).
    The request heads are kept in `requests`. Use as a context manager."""

    def __init__(self, respond, port=0):
        self.respond = respond
        self.requests = []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/metrics"
        self.lock = threading.Lock()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def handle(self, conn):
        with conn:
            conn.settimeout(30)
            try:
                head = b""
                while b"\r\n\r\n" not in head and len(head) < 65536:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    head += chunk
                with self.lock:
                    n = len(self.requests)
                    self.requests.append(head.decode("latin1"))
                self.respond(conn, n)
            except OSError:
                pass  # bptop gave up on the response (a limit or its deadline): expected here

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def ok(body, chunked=False):
    """A 200 response carrying `body` (bytes), with Content-Length or chunked."""
    if chunked:
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 65536]), body[i:i + 65536])
                          for i in range(0, len(body), 65536))
        return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: %d\r\n\r\n" % len(body) + body


def serving(responses):
    """A `respond` that sends responses[n] (the last one again after the list ends)."""
    def respond(conn, n):
        conn.sendall(responses[min(n, len(responses) - 1)])
    return respond


def endless(conn, n):
    """A 200 whose close-delimited body of valid samples never ends."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n# TYPE endless_total counter\n")
    line = b'endless_total{i="%d"} 1\n'
    block = b"".join(line % i for i in range(4096))
    while True:
        conn.sendall(block)


def counters(series, scrape, pad=0, name="hostile_total"):
    """`series` counter lines, series i growing by 1000 + i per scrape, each about `pad`
    bytes longer through a padding label."""
    padding = "p" * pad
    out = [f"# HELP {name} Series of a hostile source.\n# TYPE {name} counter\n"]
    for i in range(series):
        out.append(f'{name}{{series="{i:07d}",pad="{padding}"}} {scrape * (1000 + i)}\n')
    return "".join(out).encode()


def counters_of_size(nbytes, scrape):
    """Valid counter lines adding up to about `nbytes` (lines of ~100 bytes)."""
    return counters(nbytes // 100, scrape, pad=60)


def random_binary(nbytes, seed):
    return random.Random(seed).randbytes(nbytes)


def run_bptop(*args, timeout=120):
    """(exit status, stdout, stderr, peak RSS in KiB) of bptop with `args`; killed after `timeout` s.

    The peak RSS comes from GNU time, which runs bptop as its own child: a process started
    straight from this one would inherit this process's peak (Linux keeps it across exec)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as rss:
        proc = subprocess.Popen(["/usr/bin/time", "-q", "-f", "%M", "-o", rss.name, bptop_path(), *args],
                                stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        try:
            status = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            # bptop first (time's child, by pid), then time.
            with open(f"/proc/{proc.pid}/task/{proc.pid}/children") as children:
                for pid in children.read().split():
                    os.kill(int(pid), signal.SIGKILL)
            proc.kill()
            proc.wait()
            raise
        out.seek(0)
        err.seek(0)
        lines = rss.read().split()
        return status, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"), int(lines[-1])
