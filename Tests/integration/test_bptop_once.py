"""bptop --once [--json] against a live agent, and its error exits."""
import json
import re
import os
import socket
import subprocess
import threading

import pytest

from harness import Agent, free_port, stream_for_peer_port, value, wait_until
from tui import bptop_path

N = 123_457  # bytes the client sends, exactly


class Sink:
    """A TCP server that reads and discards everything, keeping connections open."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.port = self.server.getsockname()[1]
        self.conns = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.conns.append(conn)
            threading.Thread(target=self.drain, args=(conn,), daemon=True).start()

    @staticmethod
    def drain(conn):
        try:
            while conn.recv(65536):
                pass
        except OSError:
            pass

    def close(self):
        self.server.close()
        for c in self.conns:
            c.close()


@pytest.fixture(scope="module")
def one_stream(tmp_path_factory):
    """A live agent carrying one open stream that has delivered exactly N bytes c2s."""
    tmp = tmp_path_factory.mktemp("once")
    sink = Sink()
    try:
        with Agent(tmp, free_port(), sink.port) as agent:
            client = socket.create_connection(("127.0.0.1", agent.listen_port))
            try:
                client.sendall(b"\xa5" * N)
                wait_until(lambda: any(n == "bpagent_bytes_total" and l["dir"] == "c2s" and v == N
                                       for n, l, v in agent.samples()), what=f"{N} bytes through the agent")
                samples = agent.samples()
                stream = stream_for_peer_port(samples, client.getsockname()[1])
                assert value(samples, "bpagent_bytes_total", stream=stream, dir="c2s") == N
                yield agent, stream, client.getsockname()[1]
            finally:
                client.close()
    finally:
        sink.close()


def bptop(*args, env=None):
    return subprocess.run([bptop_path(), *args], capture_output=True, text=True, timeout=30,
                          env={**os.environ, **(env or {})})


def test_once_prints_the_stream_table(one_stream):
    agent, stream, client_port = one_stream
    out = bptop("--source", f"unix:{agent.sock}", "--once", "--interval", "200ms")
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["stream", "local", "→", "peer", "dir", "now", "avg", "full/s", "retry/s",
                                "p50", "p99", "max", "queued", "state"]
    endpoints = f"127.0.0.1:{agent.listen_port} → 127.0.0.1:{client_port}"
    rows = {tuple(line.split()[:1] + line.split()[4:5]): line for line in lines[1:]}
    assert set(rows) == {(stream, "c2s"), (stream, "s2c")}, out.stdout
    for d in ("c2s", "s2c"):
        # Nothing moves between the two scrapes: rates 0, no events, nothing queued, open.
        words = rows[(stream, d)].split()
        assert words[:5] == [stream, *endpoints.split(), d], rows[(stream, d)]
        assert words[5:] == ["0", "b/s", "0", "b/s", "0/s", "0/s", "–", "–", "0", "s", "0", "B", "open"], rows[(stream, d)]


def test_once_json_has_base_unit_numbers(one_stream):
    agent, stream, client_port = one_stream
    out = bptop("--source", f"unix:{agent.sock}", "--once", "--json", "--interval", "200ms")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["schema"] == 1 and doc["interval_seconds"] == 0.2
    assert doc["sources"] == [{"source": f"unix:{agent.sock}", "name": "bpagent.sock", "status": "ok", "error": None}]
    rows = doc["streams"]
    assert [(r["stream"], r["dir"]) for r in rows] == [(stream, "c2s"), (stream, "s2c")]
    assert all(r["source"] == "bpagent.sock" for r in rows)
    for r in rows:
        assert r["endpoints"] == f"127.0.0.1:{agent.listen_port} → 127.0.0.1:{client_port}"
        assert r["state"] == "open"
        for key in ("throughput_now_bytes_per_second", "throughput_avg_bytes_per_second", "buffer_full_per_second", "retries_per_second",
                    "stall_max_seconds", "queued_bytes"):
            assert r[key] == 0 and type(r[key]) in (int, float), (key, r[key])
        # No stall ever happened: the quantiles have no value.
        assert r["stall_p50_seconds"] is None and r["stall_p99_seconds"] is None


def test_once_rates_are_bytes_per_second(tmp_path):
    """One stream sending during the interval: the JSON rate is in bytes/s, the text in bits/s."""
    sink = Sink()
    try:
        with Agent(tmp_path, free_port(), sink.port) as agent:
            client = socket.create_connection(("127.0.0.1", agent.listen_port))
            stop = threading.Event()

            def send():  # about 1 MB/s in 10 ms steps
                while not stop.wait(0.01):
                    client.sendall(b"\0" * 10_000)
            threading.Thread(target=send, daemon=True).start()
            try:
                out = bptop("--source", f"unix:{agent.sock}", "--once", "--json", "--interval", "1s")
            finally:
                stop.set()
                client.close()
    finally:
        sink.close()
    assert out.returncode == 0, out.stderr
    c2s = [r for r in json.loads(out.stdout)["streams"] if r["dir"] == "c2s"]
    assert len(c2s) == 1
    # 1e6 bytes/s nominal (sleep granularity makes it a little less); bits/s would be 8e6.
    assert 3e5 < c2s[0]["throughput_now_bytes_per_second"] < 1.5e6, c2s[0]


def test_no_agent_answering_exits_1():
    out = bptop("--source", "unix:/nonexistent.sock", "--once", "--interval", "100ms")
    assert out.returncode == 1
    assert out.stdout == ""
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("bptop: error: unix:/nonexistent.sock: "), out.stderr


def test_no_default_socket_gives_a_hint(tmp_path):
    empty = tmp_path / "run"
    empty.mkdir()
    for args in (["--once"], []):
        out = bptop(*args, env={"XDG_RUNTIME_DIR": str(empty)})
        assert out.returncode == 1, (args, out)
        lines = out.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("bptop: error: ") and "bpagent relay" in lines[0], out.stderr
        assert str(empty / "bpagent.sock") in lines[0]


def test_bad_interval_exits_64():
    out = bptop("--source", "unix:/nonexistent.sock", "--once", "--interval", "5ms")
    assert out.returncode == 64
    assert out.stderr.startswith('Error: invalid --interval "5ms"'), out.stderr


def test_json_without_once_exits_64():
    out = bptop("--source", "unix:/nonexistent.sock", "--json")
    assert out.returncode == 64
    assert out.stderr.startswith("Error: --json needs --once"), out.stderr


def test_some_sources_down_is_exit_2_with_their_status(one_stream):
    agent, stream, _ = one_stream
    out = bptop("--source", f"unix:{agent.sock}", "--source", "unix:/nonexistent.sock", "--once", "--json",
                "--interval", "200ms")
    assert out.returncode == 2, out.stderr
    doc = json.loads(out.stdout)
    assert [(s["name"], s["status"]) for s in doc["sources"]] == [("bpagent.sock", "ok"), ("nonexistent.sock", "failed")]
    assert "No such file" in doc["sources"][1]["error"] and doc["sources"][0]["error"] is None
    assert {r["source"] for r in doc["streams"]} == {"bpagent.sock"}
    assert out.stderr.splitlines() == ["bptop: error: " + doc["sources"][1]["error"]]
    text = bptop("--source", f"unix:{agent.sock}", "--source", "unix:/nonexistent.sock", "--once", "--interval", "200ms")
    assert text.returncode == 2 and text.stdout.startswith("stream "), text


def test_json_lines_prints_an_object_per_interval_without_drift(one_stream):
    agent, stream, _ = one_stream
    proc = subprocess.Popen([bptop_path(), "--source", f"unix:{agent.sock}", "--json-lines", "--interval", "200ms"],
                            stdout=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(6)]
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0
    docs = [json.loads(line) for line in lines]
    assert all(d["schema"] == 1 and len(d["streams"]) == 2 for d in docs)
    assert all(line.count("\n") == 1 for line in lines)
    times = [d["time_seconds"] for d in docs]
    # Scheduled on a fixed grid: five intervals take 1.0 s, whatever each scrape cost.
    assert abs((times[-1] - times[0]) - 1.0) < 0.15, times


def test_version_and_a_bad_dashboard_before_any_source():
    out = bptop("--version")
    assert out.returncode == 0 and re.fullmatch(r"bptop \d+\.\d+\.\d+, revision [0-9a-f]{12}(-dirty)?|bptop \d+\.\d+\.\d+, revision unknown",
                                                 out.stdout.strip()), out
    bad = bptop("--dashboard", "nosuch", "--source", "unix:/nonexistent.sock", "--once")
    assert bad.returncode == 64
    assert bad.stderr.splitlines()[0] == ('Error: no dashboard named "nosuch"; built-in: backpressure, cloud-hypervisor, '
                                          'firecracker, gvproxy, iperf3, observe, prometheus-generic, vmnet-helper, '
                                          'or give a path to a .json file')


def test_a_body_that_is_not_an_exposition_is_a_failed_source(one_stream):
    """A JSON API answer at the URL is the wrong URL, not an empty source: by its Content-Type,
    and, without one, by a body in which no line is a sample."""
    from hostile import HostileServer
    agent, _, _ = one_stream
    body = b'{"status":"success","data":{"resultType":"vector","result":[]}}\n'

    def json_api(conn, n):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body)

    def untyped(conn, n):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)

    with HostileServer(json_api) as typed, HostileServer(untyped) as bare:
        out = bptop("--source", f"unix:{agent.sock}", "--source", typed.url, "--source", bare.url, "--once", "--json",
                    "--interval", "200ms")
        assert out.returncode == 2, out.stderr
        doc = json.loads(out.stdout)
        assert [(s["status"], s["error"]) for s in doc["sources"]] == [
            ("ok", None),
            ("failed", f"{typed.url}: not a metrics exposition (Content-Type: application/json)"),
            ("failed", f"{bare.url}: not a metrics exposition (no sample in it; 1 line could not be read)"),
        ]
        alone = bptop("--source", typed.url, "--once", "--json", "--interval", "200ms")
        assert alone.returncode == 1 and json.loads(alone.stdout)["streams"] == [], alone


def test_a_bad_source_is_a_usage_error_with_the_commands_usage():
    r = bptop("--source", "ftp://x", "--once")
    assert r.returncode == 64
    assert r.stderr.splitlines()[0] == 'Error: invalid --source "ftp://x": expected unix:PATH or http://HOST:PORT/PATH'
    assert "See 'bptop live --help'" in r.stderr, r.stderr
