"""Starts real bpagent processes and reads their export, for the end-to-end tests.

Everything runs on loopback with free ports and paths under a temporary directory; every
process started here is stopped by pid when the test ends.
"""
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def bpagent_path():
    path = Path(os.environ.get("BPAGENT", ROOT / ".build" / "debug" / "bpagent"))
    assert path.exists(), f"{path} missing: build first (swift build)"
    return str(path)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(endpoint, path, timeout=5):
    """(status, body) of a GET over `unix:PATH` or `tcp:HOST:PORT`; (0, b"") when nothing answers."""
    try:
        if endpoint.startswith("unix:"):
            s = socket.socket(socket.AF_UNIX)
            s.settimeout(timeout)
            s.connect(endpoint[5:])
        else:
            host, port = endpoint[4:].rsplit(":", 1)
            s = socket.create_connection((host, int(port)), timeout=timeout)
        with s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            data = bytearray()  # not bytes: += on bytes copies everything so far, per chunk
            while chunk := s.recv(65536):
                data += chunk
            data = bytes(data)
    except OSError:
        return 0, b""
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.1 ") else 0
    return status, body


def curl_unix(sock, path="/metrics", extra=()):
    out = subprocess.run(["curl", "-sS", "--max-time", "10", "--unix-socket", sock, *extra,
                          f"http://localhost{path}"], capture_output=True, check=True)
    return out.stdout.decode()


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text):
    """Samples as a list of (name, labels dict, float). Only what bpagent writes."""
    samples = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        assert m, f"unparsable line: {line!r}"
        labels = dict(LABEL.findall(m.group(2) or ""))
        samples.append((m.group(1), labels, float(m.group(3))))
    return samples


def value(samples, name, **labels):
    """The one sample of `name` whose labels include `labels`."""
    found = [v for n, l, v in samples if n == name and all(l.get(k) == str(x) for k, x in labels.items())]
    assert len(found) == 1, f"{name}{labels}: {len(found)} samples"
    return found[0]


class Agent:
    """A running `bpagent relay`; use as a context manager."""

    def __init__(self, tmp, listen_port, connect_port, *extra, metrics=None):
        self.sock = str(Path(tmp) / "bpagent.sock")
        self.listen_port = listen_port
        self.metrics = metrics or [f"unix:{self.sock}"]
        args = [bpagent_path(), "relay", "--listen", f"127.0.0.1:{listen_port}",
                "--connect", f"127.0.0.1:{connect_port}", *extra]
        for m in self.metrics:
            args += ["--metrics", m]
        self.stderr_path = Path(tmp) / f"bpagent-{listen_port}.log"
        self.stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.stderr)
        self.wait_ready()

    def wait_ready(self):
        """Until /healthz answers: the relay listener is bound before the exporter starts."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"bpagent exited {self.proc.returncode}: {self.log()}"
            if http_get(self.metrics[0], "/healthz", timeout=1)[0] == 200:
                return
            time.sleep(0.05)
        raise AssertionError(f"bpagent did not come up: {self.log()}")

    def scrape(self, path="/metrics"):
        return curl_unix(self.sock, path)

    def samples(self):
        return parse_metrics(self.scrape())

    def log(self):
        self.stderr.flush()
        return self.stderr_path.read_text(errors="replace")

    def stop(self):
        """SIGTERM; returns (exit code, stderr)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("bpagent ignored SIGTERM")
        self.stderr.close()
        return self.proc.returncode, self.stderr_path.read_text(errors="replace")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def stream_for_peer_port(samples, port):
    """The stream id whose client side is 127.0.0.1:port."""
    ids = [l["stream"] for n, l, _ in samples if n == "bpagent_stream_info" and l["peer"].endswith(f":{port}")]
    assert len(ids) == 1, f"peer port {port}: {ids}"
    return ids[0]


STATES = ["connecting", "open", "half-closed", "closed", "reset", "failed"]  # bpagent_stream_state's codes


def stream_state(samples, stream):
    states = [STATES[int(v)] for n, l, v in samples if n == "bpagent_stream_state" and l["stream"] == stream]
    assert len(states) == 1, f"stream {stream}: {states}"
    return states[0]


def wait_until(predicate, timeout=20, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def wait_listening(port, timeout=20):
    """Until something listens on TCP `port` (read from /proc, so no probe connection is made:
    iperf3 -s would take a probe for a client)."""
    def listening():
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                rows = open(table).read().splitlines()[1:]
            except OSError:
                continue
            for row in rows:
                fields = row.split()
                if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    return True
        return False
    wait_until(listening, timeout=timeout, what=f"a listener on port {port}")


def iperf_server(tmp, port):
    """`iperf3 -s` on `port`, listening when this returns (its stderr in tmp)."""
    server = subprocess.Popen(["iperf3", "-s", "-p", str(port)], stdout=subprocess.DEVNULL,
                              stderr=open(Path(tmp) / f"iperf3-s-{port}.log", "wb"))
    wait_listening(port)
    return server


def stop_process(proc):
    """SIGTERM, then SIGKILL after 10 s; a process already gone (or None) is left alone."""
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
