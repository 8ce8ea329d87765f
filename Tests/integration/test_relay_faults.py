"""Relay faults, short versions of Scripts/relay-faults: either side killed mid-transfer, a
server that never reads, connection churn, a target that is down. The agent keeps serving,
its memory and descriptors stay bounded, and every count is exact."""
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from harness import Agent, free_port, stream_for_peer_port, stream_state, value, wait_until


class Sink:
    """A TCP server on loopback: echoes (`echo`), discards, or accepts and never reads (`read=False`)."""

    def __init__(self, port=0, echo=False, read=True):
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", port))
        self.server.listen(1024)
        self.port = self.server.getsockname()[1]
        self.echo, self.read = echo, read
        self.conns = []
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopped:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.conns.append(conn)
            if self.read:
                threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            while data := conn.recv(1 << 16):
                if self.echo:
                    conn.sendall(data)
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def close(self):
        self.stopped = True
        self.server.close()
        for c in self.conns:
            c.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def exchange_exact(port, size, seed=7):
    """Sends `size` seeded bytes through the relay to an echo sink and checks every byte comes back."""
    payload = random.Random(seed).randbytes(size)
    with socket.create_connection(("127.0.0.1", port), timeout=20) as c:
        t = threading.Thread(target=lambda: (c.sendall(payload), c.shutdown(socket.SHUT_WR)))
        t.start()
        got = bytearray()
        while chunk := c.recv(1 << 16):
            got += chunk
        t.join()
    assert bytes(got) == payload, f"{len(got)} of {size} bytes came back, or not the same ones"


def refuse_once(port):
    """One connection through a relay whose target is down: it ends at once (a reset, or EOF)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
            assert c.recv(1) == b""
    except ConnectionResetError:
        pass


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


PEER_SCRIPT = r"""
import socket, sys
role, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
block = b"k" * 65536
if role == "server":
    srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port)); srv.listen(1)
    print("ready", flush=True)
    conn, _ = srv.accept()
    while True:
        conn.sendall(block)
else:
    import threading
    c = socket.create_connection(("127.0.0.1", port))
    threading.Thread(target=lambda: [None for _ in iter(lambda: c.recv(65536), b"")], daemon=True).start()
    print("ready", flush=True)
    while True:
        c.sendall(block)
"""


@pytest.mark.parametrize("victim", ["client", "server"])
def test_either_side_killed_mid_transfer(tmp_path, victim):
    """A peer process streaming through the relay is SIGKILLed: its stream ends as a reset, the
    other peer sees it end, and the agent relays the next connection byte-exact."""
    with Sink(echo=victim == "client") as sink:
        if victim == "server":
            port = free_port()
            peer = subprocess.Popen([sys.executable, "-c", PEER_SCRIPT, "server", str(port), "0"], stdout=subprocess.PIPE)
            assert peer.stdout.readline() == b"ready\n"
        else:
            port = sink.port
        with Agent(tmp_path, free_port(), port) as agent:
            if victim == "server":
                c = socket.create_connection(("127.0.0.1", agent.listen_port), timeout=20)
                got = 0
                while got < 5_000_000:
                    got += len(c.recv(1 << 16))
            else:
                peer = subprocess.Popen([sys.executable, "-c", PEER_SCRIPT, "client", str(agent.listen_port), "0"],
                                        stdout=subprocess.PIPE)
                assert peer.stdout.readline() == b"ready\n"
                wait_until(lambda: sum(v for n, l, v in agent.samples()
                                       if n == "bpagent_bytes_total" and l["dir"] == "c2s") > 5_000_000,
                           what="5 MB relayed")
            peer.send_signal(signal.SIGKILL)
            peer.wait()
            if victim == "server":
                with pytest.raises((ConnectionResetError, AssertionError)):
                    while c.recv(1 << 16):
                        pass
                    raise AssertionError("ended without a reset")
                c.close()
            wait_until(lambda: stream_state(agent.samples(), "1") in ("reset", "closed"), what="the stream ended")
            s = agent.samples()
            assert value(s, "bpagent_streams_open") == 0
            if victim == "server":
                with Sink(port=port, echo=True):  # a new server where the killed one was
                    exchange_exact(agent.listen_port, 2_000_000)
            else:
                exchange_exact(agent.listen_port, 2_000_000)
            assert all(v == 0 for n, _, v in agent.samples() if n == "bpagent_queued_bytes")
        assert agent.stop()[0] == 0


def test_a_server_that_never_reads_bounds_queue_and_memory(tmp_path):
    """The client pushes for 3 s into a server that never reads: the agent queues at most its
    buffer per direction, its RSS stays flat, and the client is held back by TCP."""
    with Sink(read=False) as sink:
        with Agent(tmp_path, free_port(), sink.port, "--buffer-size", "256k", "--copy", "buffer") as agent:
            c = socket.create_connection(("127.0.0.1", agent.listen_port))
            c.setblocking(False)
            block = b"n" * 65536
            sent = 0
            rss = []
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                try:
                    sent += c.send(block)
                except BlockingIOError:
                    time.sleep(0.01)
                rss.append(rss_kb(agent.proc.pid))
            s = agent.samples()
            queued = value(s, "bpagent_queued_bytes", stream="1", dir="c2s")
            assert 0 < queued <= 256 * 1024
            assert value(s, "bpagent_buffer_full_total", stream="1", dir="c2s", errno="EAGAIN") >= 1
            assert sent < 64 << 20, "TCP held the client back"
            assert max(rss) - rss[len(rss) // 4] < 4096, f"RSS grew {max(rss) - rss[len(rss) // 4]} kB"
            c.close()
        assert agent.stop()[0] == 0


CHURN_SCRIPT = r"""
import socket, sys, time
port, rate, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
ok = failed = 0
start = time.monotonic()
for i in range(int(rate * seconds)):
    target = start + i / rate
    now = time.monotonic()
    if target > now:
        time.sleep(target - now)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
            c.sendall(b"ping")
            c.shutdown(socket.SHUT_WR)
            if c.recv(16) == b"ping":
                ok += 1
            else:
                failed += 1
    except OSError:
        failed += 1
print(ok, failed, round(time.monotonic() - start, 2))
"""


def test_connection_churn_keeps_descriptors_and_memory_bounded(tmp_path):
    """2,000 connections per second for 2 s (Scripts/relay-faults does 20 s): every one relayed,
    descriptors back to where they were, RSS bounded, and --closed-retention honoured."""
    with Sink(echo=True) as sink:
        with Agent(tmp_path, free_port(), sink.port, "--closed-retention", "1", "--copy", "buffer") as agent:
            pid = agent.proc.pid
            fds_before, rss_before = fd_count(pid), rss_kb(pid)
            out = subprocess.run([sys.executable, "-c", CHURN_SCRIPT, str(agent.listen_port), "2000", "2"],
                                 capture_output=True, text=True, timeout=60)
            ok, failed, _ = out.stdout.split()
            assert (int(ok), int(failed)) == (4000, 0), out.stdout + out.stderr
            wait_until(lambda: value(agent.samples(), "bpagent_streams_open") == 0, what="all streams closed")
            s = agent.samples()
            assert value(s, "bpagent_streams_total") == 4000
            assert value(s, "bpagent_stream_errors_total") == 0
            # Closed streams are forgotten after --closed-retention (pruned once a second).
            wait_until(lambda: not any(n == "bpagent_stream_info" for n, _, _ in agent.samples()), timeout=10,
                       what="closed streams pruned")
            assert fd_count(pid) <= fds_before + 2
            assert rss_kb(pid) - rss_before < 32 * 1024, "RSS bounded"
        assert agent.stop()[0] == 0


def test_target_down_then_up(tmp_path):
    """Connections to a target that is down fail (counted, reset); once it is up they relay."""
    target = free_port()
    with Agent(tmp_path, free_port(), target) as agent:
        for _ in range(20):
            refuse_once(agent.listen_port)
        wait_until(lambda: value(agent.samples(), "bpagent_connect_failures_total") == 20, what="20 failures")
        with Sink(port=target, echo=True):
            exchange_exact(agent.listen_port, 1_000_000)
        s = agent.samples()
        assert value(s, "bpagent_streams_total") == 21
        assert [l["state"] for n, l, _ in s if n == "bpagent_stream_info"].count("failed") == 20
    assert agent.stop()[0] == 0
