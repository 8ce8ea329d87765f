"""`bpagent observe`: the kernel's view of sockets nobody relays — real iperf3 streams on
loopback (one receiver paused), a unix datagram pair whose receiver stops reading, a --pid
target that exits, and the one-line errors (a missing process, no root)."""
import json
import re
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from harness import bpagent_path, free_port, http_get, parse_metrics, stop_process, wait_listening, wait_until
from tui import Tmux, bptop_path


class Observer:
    """A running `bpagent observe` serving on a unix socket in `tmp`."""

    def __init__(self, tmp, *selection, rate=20):
        self.sock = str(Path(tmp) / "observe.sock")
        self.log_path = Path(tmp) / "observe.log"
        self.proc = subprocess.Popen([bpagent_path(), "observe", *selection, "--rate", str(rate),
                                      "--metrics", f"unix:{self.sock}"],
                                     stdout=subprocess.DEVNULL, stderr=open(self.log_path, "wb"))
        wait_until(lambda: self.proc.poll() is not None or http_get(f"unix:{self.sock}", "/healthz", 1)[0] == 200,
                   what="bpagent observe to serve")
        assert self.proc.poll() is None, self.log()

    def samples(self):
        return parse_metrics(http_get(f"unix:{self.sock}", "/metrics")[1].decode())

    def log(self):
        return self.log_path.read_text(errors="replace")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        stop_process(self.proc)


def by_stream(samples, name):
    """{(stream, dir): value} of one family."""
    return {(l["stream"], l.get("dir")): v for n, l, v in samples if n == name}


def info(samples):
    return {l["stream"]: l for n, l, _ in samples if n == "bpagent_stream_info"}


def test_a_paused_receiver_limits_its_stream_and_not_the_others(tmp_path):
    """Four iperf3 streams on loopback: three paced at 20 Mbit/s to one server (application
    limited: the kernel sees no buffer or window limit), one unpaced to a second server that is
    paused (SIGSTOP) after a second: only that one is window-limited, for most of the run."""
    fast_port, slow_port = free_port(), free_port()
    servers = [subprocess.Popen(["iperf3", "-s", "-p", str(p), "-1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for p in (fast_port, slow_port)]
    clients = []
    try:
        for p in (fast_port, slow_port):
            wait_listening(p)
        with Observer(tmp_path, "--tcp", f"dport={fast_port}", "--tcp", f"dport={slow_port}") as observer:
            clients = [subprocess.Popen(["iperf3", "-c", "127.0.0.1", "-p", str(fast_port), "-P", "3", "-b", "20M", "-t", "5"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                       subprocess.Popen(["iperf3", "-c", "127.0.0.1", "-p", str(slow_port), "-P", "1", "-t", "5"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
            time.sleep(1)
            servers[1].send_signal(signal.SIGSTOP)
            time.sleep(3)
            samples = observer.samples()
            servers[1].send_signal(signal.SIGCONT)
            streams = info(samples)
            rwnd = by_stream(samples, "bpagent_observed_rwnd_limited_seconds_total")
            sndbuf = by_stream(samples, "bpagent_observed_sndbuf_limited_seconds_total")
            data = {s: l for s, l in streams.items() if by_stream(samples, "bpagent_bytes_total").get((s, "c2s"), 0) > 1_000_000}
            slow = [s for s, l in data.items() if l["local"] == f"127.0.0.1:{slow_port}"]
            fast = [s for s, l in data.items() if l["local"] == f"127.0.0.1:{fast_port}"]
            assert (len(slow), len(fast)) == (1, 3), streams
            assert all(streams[s]["comm"] == "iperf3" and streams[s]["pid"] == str(clients[0 if s in fast else 1].pid)
                       for s in data), streams
            assert rwnd[(slow[0], "c2s")] >= 1.5, (rwnd, sndbuf)
            for s in fast:
                assert rwnd[(s, "c2s")] + sndbuf[(s, "c2s")] < 0.2, (s, rwnd, sndbuf)
            # The paused server reads nothing: the sender's queue holds bytes up to its buffer.
            queued = by_stream(samples, "bpagent_observed_queue_bytes")[(slow[0], "c2s")]
            assert queued > 0
    finally:
        for p in servers:
            p.send_signal(signal.SIGCONT)
        for c in clients:
            stop_process(c)
        for p in servers:
            stop_process(p)


def test_iperf3_joins_observed_streams_unchanged(tmp_path):
    """`bpagent observe --tcp dport=PORT` beside a plain iperf3 client: bptop report joins
    every iperf3 stream to the observed socket that carried it, with the kernel's acked bytes."""
    port = free_port()
    server = subprocess.Popen(["iperf3", "-s", "-p", str(port), "-1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(port)
        rate = 100
        with Observer(tmp_path, "--tcp", f"dport={port}", rate=rate) as observer:
            client = subprocess.run(["iperf3", "-c", "127.0.0.1", "-p", str(port), "-P", "4", "-t", "2", "-b", "100M", "--json"],
                                    capture_output=True, text=True, timeout=30)
            assert client.returncode == 0, client.stdout[-500:]
            (tmp_path / "client.json").write_text(client.stdout)
            # Closed streams stay in the export (--closed-retention): the report can join them.
            r = subprocess.run([bptop_path(), "report", "--iperf3", str(tmp_path / "client.json"),
                                "--source", f"unix:{observer.sock}", "--json"], capture_output=True, text=True, timeout=30)
            assert (r.returncode, r.stderr) == (0, ""), r.stderr
            streams = [s for s in json.loads(r.stdout)["tests"][-1]["streams"] if not s["sum"]]
            assert len(streams) == 4 and all(s["agent"] is not None for s in streams), r.stdout
            for s in streams:
                assert s["agent"]["dir"] == "c2s"
                # The last poll before the socket closed has the figures: what was acked after
                # it (at most two polls of 100 Mbit/s) is missing; the socket also carried iperf3's
                # 37-byte cookie (and the FIN) that iperf3 does not count.
                assert -38 <= s["bytes"] - s["agent"]["bytes"] <= 0.01 * s["bytes"] + 12_500_000 * 2 / rate, s
    finally:
        stop_process(server)


def test_bptop_shows_each_iperf3_stream_with_its_limited_time(tmp_path):
    """`bptop --dashboard observe -- iperf3 …` beside `bpagent observe`: every iperf3 stream joined
    to its socket, with the kernel's acked rate and its send-buffer- and window-limited seconds per second."""
    port = free_port()
    server = subprocess.Popen(["iperf3", "-s", "-p", str(port), "-1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(port)
        with Observer(tmp_path, "--tcp", f"dport={port}") as observer, Tmux(tmp_path) as tmux:
            tmux.start("run", [bptop_path(), "--source", f"unix:{observer.sock}", "--dashboard", "observe", "--",
                               "iperf3", "-c", "127.0.0.1", "-p", str(port), "-P", "3", "-t", "5"], width=140, height=50)
            row = re.compile(r"│(\d+)\s+c2s\s+127\.0\.0\.1:\d+ → 127\.0\.0\.1:" + str(port)
                             + r"\s+[\d.]+ [GMk]?b/s (\d+) c2s\s+[\d.]+ [GMk]?b/s\s+([\d.]+)\s+([\d.]+)\s+\d+\s+│")
            lines = tmux.wait_screen("run", lambda l: sum(1 for x in l if row.search(x)) == 3, timeout=30,
                                     what="three iperf3 streams with their sockets' figures")
            assert any("sndbuf" in x and "rwnd" in x and "acked now" in x for x in lines)
            sockets = {m.group(2) for m in map(row.search, lines) if m}
            assert len(sockets) == 3
            tmux.keys("run", "q")
    finally:
        stop_process(server)


SENDER = r"""
import socket, sys, time, errno
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.connect(sys.argv[1]); s.setblocking(False)
period, seconds = float(sys.argv[2]), float(sys.argv[3])
sent = refused = 0; first = last = None
end = time.monotonic() + seconds
while time.monotonic() < end:
    try:
        s.send(b"x" * 1000); sent += 1
    except BlockingIOError:
        refused += 1; now = time.monotonic(); first = first or now; last = now
    time.sleep(period)
print(sent, refused, (last - first) if first else 0, flush=True)
sys.stdin.readline()  # keep the socket: its queued datagrams are charged to it
"""


def test_a_paused_datagram_receiver_fills_to_max_dgram_qlen(tmp_path):
    """A receiver that stops reading: its queue reaches net.unix.max_dgram_qlen (+1, as the
    kernel counts), the sender's EAGAINs start there, and the time the observer saw the queue
    full matches the time the sender was refused."""
    limit = int(open("/proc/sys/net/unix/max_dgram_qlen").read())
    path = str(tmp_path / "rx.sock")
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(path)
    rate = 50
    with Observer(tmp_path, "--unix", path, rate=rate) as observer:
        sender = subprocess.Popen(["python3", "-c", SENDER, path, "0.005", "3"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True)
        wait_until(lambda: any(n == "bpagent_observed_queue_datagrams" and v == limit + 1 for n, _, v in observer.samples()),
                   what="the queue to fill")
        sent, refused, refused_span = sender.stdout.readline().split()
        samples = observer.samples()
        streams = info(samples)
        rx = [s for s, l in streams.items() if l["local"] == path and l["proto"] == "unixgram"
              and (s, "c2s") in by_stream(samples, "bpagent_observed_queue_datagrams")]
        assert len(rx) == 1, streams
        assert by_stream(samples, "bpagent_observed_queue_datagrams")[(rx[0], "c2s")] == limit + 1
        assert by_stream(samples, "bpagent_observed_queue_limit_datagrams")[(rx[0], "c2s")] == limit
        assert int(sent) == limit + 1 and int(refused) > 100
        full = by_stream(samples, "bpagent_observed_queue_full_seconds_total")[(rx[0], "c2s")]
        # Sampled at 50 Hz: within two polls (and some scheduling slack) of what the sender saw.
        assert abs(full - float(refused_span)) <= 2 / rate + 0.1, (full, refused_span)
        # The sender's side: every datagram it sent is still charged to it.
        tx = [s for s, l in streams.items() if s != rx[0]]
        assert len(tx) == 1 and streams[tx[0]]["peer"] == f"socket:[{streams[tx[0]]['inode']}]"
        for _ in range(limit + 1):
            receiver.recv(2000)
        wait_until(lambda: by_stream(observer.samples(), "bpagent_observed_queue_datagrams").get((rx[0], "c2s")) == 0,
                   what="the queue to drain")
        sender.communicate("\n", timeout=30)
    receiver.close()


def test_unix_stream_unread_bytes_and_the_peers_pair_up(tmp_path):
    """--unix PATH on a stream listener: the accepted socket (named PATH, the server) holds
    exactly the bytes its client wrote and it has not read; the client is named by its inode and
    each names the other as its peer."""
    path = str(tmp_path / "api.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen()
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(path)
    server, _ = listener.accept()
    client.sendall(b"x" * 50_000)
    try:
        with Observer(tmp_path, "--unix", path) as observer:
            samples = observer.samples()
            streams = info(samples)
            assert sorted(l["proto"] for l in streams.values()) == ["unix", "unix"], streams
            inodes = {os.fstat(server.fileno()).st_ino: "server", os.fstat(client.fileno()).st_ino: "client"}
            by_role = {inodes[int(l["inode"])]: (s, l) for s, l in streams.items()}
            (srv, srv_l), (cli, cli_l) = by_role["server"], by_role["client"]
            # Both name the server's path as `local` and the client's socket as `peer`.
            assert srv_l["local"] == cli_l["local"] == path
            assert srv_l["peer"] == cli_l["peer"] == f"socket:[{cli_l['inode']}]"
            queued = by_stream(samples, "bpagent_observed_queue_bytes")
            assert queued[(srv, "c2s")] == 50_000
            assert queued[(cli, "c2s")] > 50_000  # charged to the writer by true size
            assert queued[(srv, "s2c")] == 0
    finally:
        for s_ in (client, server, listener):
            s_.close()


HOLDER = r"""
import socket, sys, time
a, b = socket.socketpair()
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
c = socket.create_connection(l.getsockname()); s, _ = l.accept()
print("ready", flush=True)
time.sleep(60)
"""


def test_a_pid_that_exits_is_a_clear_state(tmp_path):
    holder = subprocess.Popen(["python3", "-c", HOLDER], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "ready\n"
        with Observer(tmp_path, "--pid", str(holder.pid)) as observer:
            samples = observer.samples()
            streams = info(samples)
            assert sorted(l["proto"] for l in streams.values()) == ["tcp", "tcp", "unix", "unix"], streams
            assert all(l["pid"] == str(holder.pid) and l["comm"] == "python3" for l in streams.values())
            assert [v for n, l, v in samples if n == "bpagent_observed_process_running"] == [1]
            holder.kill()
            holder.wait()
            wait_until(lambda: [v for n, l, v in observer.samples() if n == "bpagent_observed_process_running"] == [0],
                       what="the exit to be seen")
            samples = observer.samples()
            states = {l["stream"]: v for n, l, v in samples if n == "bpagent_stream_state"}
            assert set(states) == set(streams) and set(states.values()) == {3}, states
            assert observer.proc.poll() is None
            wait_until(lambda: f"process {holder.pid} has exited; its sockets are closed" in observer.log(),
                       what="the exit to be logged")
    finally:
        stop_process(holder)


def run_observe(*args, **kw):
    return subprocess.run([bpagent_path(), "observe", *args], capture_output=True, text=True, timeout=30, **kw)


def test_a_missing_pid_is_one_line(tmp_path):
    r = run_observe("--pid", "4194304", "--metrics", f"unix:{tmp_path}/o.sock")
    assert (r.returncode, r.stderr) == (1, "bpagent: error: no process 4194304 (--pid 4194304)\n")
    assert not (tmp_path / "o.sock").exists()


def test_not_root_is_one_line(tmp_path):
    os.chmod(tmp_path, 0o777)
    r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", bpagent_path(), "observe",
                        "--tcp", "dport=5201", "--metrics", f"unix:{tmp_path}/o.sock"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.startswith("bpagent: error: bpagent observe needs root")


def test_usage_errors():
    r = run_observe()
    assert r.returncode == 64 and "nothing to observe: give --pid PID, --unix PATH or --tcp" in r.stderr
    r = run_observe("--tcp", "dst=5201")
    assert r.returncode == 64 and "invalid --tcp \"dst=5201\": expected sport=PORT, dport=PORT or port=PORT" in r.stderr
    r = run_observe("--tcp", "dport=5201", "--rate", "0")
    assert r.returncode == 64 and "invalid --rate" in r.stderr
    # A relay's options are not observe's: a usage error, not accepted and ignored.
    for option, value in (("--poller", "epoll"), ("--on-full", "drop"), ("--inject", "enobufs:every=2")):
        r = run_observe("--tcp", "dport=5201", option, value)
        assert r.returncode == 64 and f"Unknown option '{option}'" in r.stderr, (option, r.stderr)
