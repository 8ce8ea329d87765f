"""Logging, signals and the final summary of a real agent."""
import re
import signal
import socket
import threading

from harness import Agent, free_port, stream_for_peer_port, stream_state, value, wait_until
from test_export import echo_server

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z ")


def test_one_debug_line_per_episode_with_microsecond_timestamps(tmp_path):
    port, _ = echo_server()
    with Agent(tmp_path, free_port(), port, "--log-level", "debug", "--inject", "enobufs:every=5,burst=2") as agent:
        with socket.create_connection(("127.0.0.1", agent.listen_port)) as c:
            local = c.getsockname()[1]
            payload = b"q" * 2_000_000
            threading.Thread(target=c.sendall, args=(payload,), daemon=True).start()
            got = 0
            while got < len(payload):
                got += len(c.recv(1 << 20))
        sid = stream_for_peer_port(agent.samples(), local)
        wait_until(lambda: stream_state(agent.samples(), sid) == "closed", what="stream closed")
        s = agent.samples()
        events = sum(value(s, "bpagent_buffer_full_total", stream=sid, dir=d, errno=e)
                     for d in ("c2s", "s2c") for e in ("EAGAIN", "ENOBUFS"))
        enobufs = sum(value(s, "bpagent_buffer_full_total", stream=sid, dir=d, errno="ENOBUFS") for d in ("c2s", "s2c"))
    code, log = agent.stop()
    assert code == 0
    episodes = [l for l in log.splitlines() if f"stream {sid} " in l and " episode " in l]
    assert len(episodes) == events
    assert sum("ENOBUFS episode written after 2 retries" in l for l in episodes) == enobufs > 0
    assert all(TIMESTAMP.match(l) for l in log.splitlines() if not l.startswith(("bpagent summary", "stream ", "  ")))


def test_sigint_stops_cleanly_with_summary(tmp_path):
    port, _ = echo_server()
    agent = Agent(tmp_path, free_port(), port)
    with socket.create_connection(("127.0.0.1", agent.listen_port)) as c:
        c.sendall(b"hello")
        assert c.recv(5) == b"hello"
        agent.proc.send_signal(signal.SIGINT)
        code, log = agent.stop()
    assert code == 0
    assert "bpagent summary: 1 stream, 0 connect failures, 0 stream errors" in log
    assert "  c2s: 5 bytes in 1 write, 0 buffer-full events, 0 retries, most in one event 0, longest stall 0 µs" in log
