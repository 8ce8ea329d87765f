"""Fault scenarios for the TCP relay, each run against a real `bpagent relay` and returning its
figures as a dict. The tests (test_relay_faults.py, test_hostile_host.py) run them short and
assert on the figures; Scripts/relay-faults runs them long and prints them."""
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from harness import Agent, bpagent_path, free_port, http_get, parse_metrics, stream_state, value, wait_until


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
            if not self.read:
                self.conns.append(conn)  # kept open, never read
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        with conn:
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
    """Sends `size` seeded bytes through the relay to an echo sink and checks every byte comes
    back; returns the client's port."""
    payload = random.Random(seed).randbytes(size)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as c:
        local = c.getsockname()[1]
        t = threading.Thread(target=lambda: (c.sendall(payload), c.shutdown(socket.SHUT_WR)))
        t.start()
        got = bytearray()
        while chunk := c.recv(1 << 16):
            got += chunk
        t.join()
    assert bytes(got) == payload, f"{len(got)} of {size} bytes came back, or not the same ones"
    return local


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


def cpu_seconds(pid):
    """User + system CPU time of a process so far, from /proc/PID/stat (in USER_HZ = 1/100 s)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100


class Sampler:
    """Samples RSS (kB) and descriptors of `pid` every `interval` s on a thread until stopped."""

    def __init__(self, pid, interval=0.05):
        self.pid, self.interval = pid, interval
        self.rss, self.fds = [], []
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            self.rss.append(rss_kb(self.pid))
            self.fds.append(fd_count(self.pid))
            time.sleep(self.interval)

    def stop(self):
        self.running = False
        self.thread.join()
        return self


PEER = r"""
import socket, sys, threading
role, port = sys.argv[1], int(sys.argv[2])
block = b"k" * 65536
if role == "server":
    srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port)); srv.listen(1)
    print("ready", flush=True)
    conn, _ = srv.accept()
    while True:
        conn.sendall(block)
else:
    c = socket.create_connection(("127.0.0.1", port))
    threading.Thread(target=lambda: [None for _ in iter(lambda: c.recv(65536), b"")], daemon=True).start()
    print("ready", flush=True)
    while True:
        c.sendall(block)
"""


def start_peer(role, port):
    peer = subprocess.Popen([sys.executable, "-c", PEER, role, str(port)], stdout=subprocess.PIPE)
    assert peer.stdout.readline() == b"ready\n"
    return peer


def kill_mid_transfer(tmp, victim, megabytes=5, *extra):
    """A peer process streaming through the relay (the client into an echo sink, or a server
    towards our client) is SIGKILLed after `megabytes` MB: its stream must end, and the relay
    must carry the next connection (to a new server on the same port) byte-exact."""
    with Sink(echo=True) as sink:
        port = free_port() if victim == "server" else sink.port
        peer = start_peer("server", port) if victim == "server" else None
        with Agent(tmp, free_port(), port, *extra) as agent:
            if victim == "server":
                c = socket.create_connection(("127.0.0.1", agent.listen_port), timeout=20)
                got = 0
                while got < megabytes << 20:
                    got += len(c.recv(1 << 16))
            else:
                peer = start_peer("client", agent.listen_port)
                wait_until(lambda: sum(v for n, l, v in agent.samples()
                                       if n == "bpagent_bytes_total" and l["dir"] == "c2s") > megabytes << 20,
                           what=f"{megabytes} MB relayed")
            peer.send_signal(signal.SIGKILL)
            peer.wait()
            if victim == "server":
                try:
                    while c.recv(1 << 16):
                        pass
                    ended = "closed"
                except ConnectionResetError:
                    ended = "reset"
                c.close()
            wait_until(lambda: stream_state(agent.samples(), "1") in ("reset", "closed"), what="the stream ended")
            state = stream_state(agent.samples(), "1")
            if victim == "server":
                with Sink(port=port, echo=True):  # a new server where the killed one was
                    exchange_exact(agent.listen_port, 2_000_000)
            else:
                exchange_exact(agent.listen_port, 2_000_000)
            s = agent.samples()
            figures = {"state": state, "streams_open": value(s, "bpagent_streams_open"),
                       "queued_bytes": sum(v for n, _, v in s if n == "bpagent_queued_bytes")}
            if victim == "server":
                figures["client_saw"] = ended
        figures["exit"] = agent.stop()[0]
    return figures


def never_reading_server(tmp, seconds, *extra):
    """A client pushes for `seconds` into a server that accepts and never reads."""
    with Sink(read=False) as sink:
        with Agent(tmp, free_port(), sink.port, "--buffer-size", "256k", *extra) as agent:
            c = socket.create_connection(("127.0.0.1", agent.listen_port))
            c.setblocking(False)
            block = b"n" * 65536
            sent = 0
            sampler = Sampler(agent.proc.pid)
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                try:
                    sent += c.send(block)
                except BlockingIOError:
                    time.sleep(0.01)
            sampler.stop()
            s = agent.samples()
            c.close()
            figures = {"sent_bytes": sent, "queued_bytes": value(s, "bpagent_queued_bytes", stream="1", dir="c2s"),
                       "buffer_full_events": value(s, "bpagent_buffer_full_total", stream="1", dir="c2s", errno="EAGAIN"),
                       "retries": value(s, "bpagent_retries_total", stream="1", dir="c2s", errno="EAGAIN"),
                       "rss_start_kb": sampler.rss[len(sampler.rss) // 4], "rss_max_kb": max(sampler.rss),
                       "cpu_s": cpu_seconds(agent.proc.pid)}
        figures["exit"] = agent.stop()[0]
    return figures


CHURN = r"""
import socket, sys, time
port, count, rate = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
ok = failed = 0
start = time.monotonic()
for i in range(count):
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


def churn(tmp, rate, seconds, retention=1, *extra):
    """`rate` connections per second for `seconds` (each: 4 bytes there and back, then close),
    from one client process per 1,000 per second; then waits until finished streams are pruned
    after `retention` s."""
    with Sink(echo=True) as sink:
        with Agent(tmp, free_port(), sink.port, "--closed-retention", str(retention), *extra) as agent:
            pid = agent.proc.pid
            fds_before, rss_before = fd_count(pid), rss_kb(pid)
            sampler = Sampler(pid, interval=0.2)
            clients = -(-rate // 1000)
            total = int(rate * seconds)
            counts = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
            procs = [subprocess.Popen([sys.executable, "-c", CHURN, str(agent.listen_port), str(n), str(rate / clients)],
                                      stdout=subprocess.PIPE, text=True) for n in counts]
            results = [p.communicate(timeout=seconds * 3 + 60)[0].split() for p in procs]
            ok = sum(int(r[0]) for r in results)
            failed = sum(int(r[1]) for r in results)
            elapsed = max(float(r[2]) for r in results)
            wait_until(lambda: value(agent.samples(), "bpagent_streams_open") == 0, what="all streams closed")
            s = agent.samples()
            figures = {"connections": ok + failed, "ok": ok, "failed": failed, "seconds": elapsed,
                       "streams_total": value(s, "bpagent_streams_total"),
                       "stream_errors": value(s, "bpagent_stream_errors_total"),
                       "retained_at_end": sum(1 for n, _, _ in s if n == "bpagent_stream_info")}
            wait_until(lambda: not any(n == "bpagent_stream_info" for n, _, _ in agent.samples()),
                       timeout=retention + 10, what="closed streams pruned")
            sampler.stop()
            figures.update(fds_before=fds_before, fds_max=max(sampler.fds), fds_after=fd_count(pid),
                           rss_before_kb=rss_before, rss_max_kb=max(sampler.rss), rss_after_kb=rss_kb(pid))
        figures["exit"] = agent.stop()[0]
    return figures


def target_down(tmp, connections, *extra):
    """`connections` connections while the target is down, then one once it is up."""
    target = free_port()
    with Agent(tmp, free_port(), target, *extra) as agent:
        for _ in range(connections):
            refuse_once(agent.listen_port)
        wait_until(lambda: value(agent.samples(), "bpagent_connect_failures_total") == connections,
                   what=f"{connections} failures")
        with Sink(port=target, echo=True):
            exchange_exact(agent.listen_port, 1_000_000)
        s = agent.samples()
        figures = {"connect_failures": value(s, "bpagent_connect_failures_total"),
                   "streams_total": value(s, "bpagent_streams_total"),
                   "failed_streams": [v for n, l, v in s if n == "bpagent_stream_state"].count(5)}  # 5: failed
    figures["exit"] = agent.stop()[0]
    return figures


def start_agent(tmp, listen, connect, *extra, stderr, preexec_fn=None):
    """A `bpagent relay` with a custom stderr and limits; returns (process, metrics endpoint)."""
    sock = str(Path(tmp) / "agent.sock")
    proc = subprocess.Popen([bpagent_path(), "relay", "--listen", f"127.0.0.1:{listen}",
                             "--connect", f"127.0.0.1:{connect}", "--metrics", f"unix:{sock}", *extra],
                            stdout=subprocess.DEVNULL, stderr=stderr, preexec_fn=preexec_fn)
    wait_until(lambda: http_get(f"unix:{sock}", "/healthz", timeout=1)[0] == 200, what="the agent")
    return proc, f"unix:{sock}"


def scrape(endpoint):
    status, body = http_get(endpoint, "/metrics")
    assert status == 200, status
    return parse_metrics(body.decode())


def stop(proc, timeout=20):
    """SIGTERM; the exit status, or None when it did not end (then it is killed)."""
    proc.terminate()
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None


def unread_stderr(tmp, failures, *extra):
    """The agent's stderr is a pipe nobody reads; `failures` refused connections log two lines
    each; then a connection to a live target must still be relayed byte-exact."""
    target, listen = free_port(), free_port()
    # Failed streams are forgotten after a second, so scrapes stay small however many fail.
    proc, endpoint = start_agent(tmp, listen, target, "--closed-retention", "1", *extra, stderr=subprocess.PIPE)
    try:
        start = time.monotonic()
        for _ in range(failures):
            refuse_once(listen)
        wait_until(lambda: value(scrape(endpoint), "bpagent_connect_failures_total") == failures,
                   what=f"{failures} failures")
        refused_per_s = failures / (time.monotonic() - start)
        with Sink(port=target, echo=True):
            exchange_exact(listen, 3_000_000)
        figures = {"failures": failures, "refused_per_s": round(refused_per_s),
                   "healthz": http_get(endpoint, "/healthz"),
                   "log_lines_dropped": value(scrape(endpoint), "bpagent_log_lines_dropped_total"),
                   "exit": stop(proc)}
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    return figures


def out_of_descriptors(tmp, limit, connections, seconds, *extra):
    """RLIMIT_NOFILE = `limit` (soft = hard: the agent cannot raise it), `connections` relay
    connections held open and 3 scrapes waiting to be accepted: CPU time of the agent over
    `seconds`; then /healthz, and after the connections close, a relayed exchange."""
    with Sink(echo=True) as sink:
        listen = free_port()
        log_path = Path(tmp) / "agent-fds.log"
        with open(log_path, "wb") as log:
            proc, endpoint = start_agent(tmp, listen, sink.port, *extra, stderr=log,
                                         preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit)))
        held = []
        try:
            for _ in range(connections):
                s = socket.socket()
                s.setblocking(False)
                s.connect_ex(("127.0.0.1", listen))
                held.append(s)
            time.sleep(0.5)  # the agent meets its limit
            for _ in range(3):
                s = socket.socket(socket.AF_UNIX)
                s.setblocking(False)
                s.connect_ex(endpoint[5:])
                held.append(s)
            before = cpu_seconds(proc.pid)
            time.sleep(seconds)
            figures = {"cpu_s": round(cpu_seconds(proc.pid) - before, 2), "seconds": seconds,
                       "fds": fd_count(proc.pid), "limit": limit,
                       "streams_open": value(scrape(endpoint), "bpagent_streams_open"),
                       "healthz": http_get(endpoint, "/healthz")}
            for s in held:
                s.close()
            held.clear()
            wait_until(lambda: value(scrape(endpoint), "bpagent_streams_open") == 0, what="streams closed")
            exchange_exact(listen, 1_000_000)
            figures["recovered"] = True
            figures["exit"] = stop(proc)
            figures["log"] = log_path.read_text()
        finally:
            for s in held:
                s.close()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return figures


def release_agent(root):
    """For the scripts under Scripts/: BPAGENT if set, else a release build made now (its path
    is exported as BPAGENT for the scenarios)."""
    if "BPAGENT" not in os.environ:
        subprocess.run(["swift", "build", "-c", "release", "--product", "bpagent"], cwd=root, check=True,
                       stdout=sys.stderr)
        os.environ["BPAGENT"] = str(Path(root) / ".build" / "release" / "bpagent")
    return os.environ["BPAGENT"]


def print_figures(name, figures):
    """One scenario's figures, one per line, for the scripts."""
    print(f"{name}:")
    for key, value_ in figures.items():
        if key != "log":
            print(f"  {key:>22}  {value_}")
    sys.stdout.flush()
