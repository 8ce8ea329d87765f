"""Cardinality and totals: streams pruned by --max-streams/--closed-retention keep their counts
in the per-agent totals, --export-streams lists fewer streams, and a TCP stream exports only
series that can be non-zero for it."""
import socket
import threading
from collections import Counter

from harness import Agent, free_port, stream_for_peer_port, stream_state, value, wait_until
from test_export import echo_server


def echo_many(port, count, size):
    """`count` connections one after another through the relay, each echoing `size` bytes."""
    for _ in range(count):
        with socket.create_connection(("127.0.0.1", port)) as c:
            c.sendall(b"z" * size)
            got = 0
            while got < size:
                got += len(c.recv(65536))


def echo_server_forever():
    """An echo server that serves connections one after another (test_export's serves one)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)

    def run():
        while True:
            conn, _ = srv.accept()
            with conn:
                while data := conn.recv(65536):
                    conn.sendall(data)
    threading.Thread(target=run, daemon=True).start()
    return srv.getsockname()[1]


def test_totals_survive_pruning(tmp_path):
    port = echo_server_forever()
    with Agent(tmp_path, free_port(), port, "--max-streams", "3", "--closed-retention", "3600") as agent:
        echo_many(agent.listen_port, 12, 10_000)
        wait_until(lambda: value(agent.samples(), "bpagent_streams_open") == 0, what="all closed")
        # Pruning runs once a second on the relay's loop.
        wait_until(lambda: sum(1 for n, *_ in agent.samples() if n == "bpagent_stream_info") == 3, what="pruned to 3")
        s = agent.samples()
        assert value(s, "bpagent_streams_total") == 12
        for d in ("c2s", "s2c"):
            assert value(s, "bpagent_agent_bytes_total", dir=d) == 120_000
            assert sum(v for n, l, v in s if n == "bpagent_bytes_total" and l["dir"] == d) == 30_000
            assert value(s, "bpagent_agent_writes_total", dir=d) >= 12
            assert value(s, "bpagent_agent_queued_bytes", dir=d) == 0
        # The three kept are the three closed last.
        assert sorted(int(l["stream"]) for n, l, _ in s if n == "bpagent_stream_info") == [10, 11, 12]


def test_export_streams_none_and_open(tmp_path):
    port = echo_server_forever()
    for mode, expect_listed in (("none", 0), ("open", 1)):
        with Agent(tmp_path, free_port(), port, "--export-streams", mode) as agent:
            echo_many(agent.listen_port, 2, 5_000)
            with socket.create_connection(("127.0.0.1", agent.listen_port)) as held:
                held.sendall(b"x")
                assert held.recv(1) == b"x"
                wait_until(lambda: value(agent.samples(), "bpagent_streams_total") == 3, what="3 streams")
                s = agent.samples()
                assert len({l["stream"] for _, l, _ in s if "stream" in l}) == expect_listed, mode
                assert value(s, "bpagent_agent_bytes_total", dir="c2s") == 10_001
                assert value(s, "bpagent_streams_open") == 1
            agent.stop()


def test_a_tcp_stream_exports_eighty_series_and_its_state_as_a_gauge(tmp_path):
    port, _ = echo_server()
    with Agent(tmp_path, free_port(), port) as agent:
        with socket.create_connection(("127.0.0.1", agent.listen_port)) as c:
            c.sendall(b"hello")
            assert c.recv(5) == b"hello"
            s = agent.samples()
            sid = stream_for_peer_port(s, c.getsockname()[1])
            per_stream = Counter(n for n, l, _ in s if l.get("stream") == sid)
            # info and state, then per direction 14 counters and gauges and 25 stall-histogram series.
            assert sum(per_stream.values()) == 80, per_stream
            assert per_stream["bpagent_stall_seconds_bucket"] == 2 * 23, per_stream
            assert not any(n.startswith(("bpagent_drops", "bpagent_dropped", "bpagent_frames_", "bpagent_received"))
                           for n in per_stream)
            info = [l for n, l, _ in s if n == "bpagent_stream_info" and l["stream"] == sid][0]
            assert set(info) == {"stream", "proto", "local", "peer", "upstream_local", "upstream_peer"}
            assert value(s, "bpagent_stream_state", stream=sid) == 1
        wait_until(lambda: stream_state(agent.samples(), sid) == "closed", what="closed")
        assert value(agent.samples(), "bpagent_stream_state", stream=sid) == 3
