"""Streams that go wrong are counted per stream while the agent keeps serving the rest."""
import socket
import struct
import threading

from harness import Agent, free_port, stream_for_peer_port, stream_state, value, wait_until


def test_connect_target_down_is_counted_and_agent_keeps_serving(tmp_path):
    dead = free_port()
    with Agent(tmp_path, free_port(), dead) as agent:
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", agent.listen_port)) as c:
                c.settimeout(10)
                try:
                    assert c.recv(10) == b""
                except ConnectionResetError:
                    pass
        wait_until(lambda: value(agent.samples(), "bpagent_connect_failures_total") == 3, what="3 failures")
        s = agent.samples()
        assert [stream_state(s, l["stream"]) for n, l, _ in s if n == "bpagent_stream_info"] == ["failed"] * 3
        assert value(s, "bpagent_streams_open") == 0
    code, log = agent.stop()
    assert code == 0
    assert log.count("ECONNREFUSED") == 3


def test_client_reset_mid_transfer_leaves_other_streams_intact(tmp_path):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)

    def sink():
        for _ in range(2):
            conn, _ = srv.accept()
            threading.Thread(target=drain, args=(conn,), daemon=True).start()

    def drain(conn):
        with conn:
            try:
                while conn.recv(65536):
                    pass
            except ConnectionResetError:
                pass

    threading.Thread(target=sink, daemon=True).start()
    with Agent(tmp_path, free_port(), srv.getsockname()[1]) as agent:
        good = socket.create_connection(("127.0.0.1", agent.listen_port))
        bad = socket.create_connection(("127.0.0.1", agent.listen_port))
        bad.sendall(b"y" * 50_000)
        bad_port = bad.getsockname()[1]

        def bad_relayed():
            s = agent.samples()
            ids = [l["stream"] for n, l, _ in s if n == "bpagent_stream_info" and l["peer"].endswith(f":{bad_port}")]
            return ids and value(s, "bpagent_bytes_total", stream=ids[0], dir="c2s") == 50_000
        wait_until(bad_relayed, what="the first stream relayed")
        # SO_LINGER 0: close() sends a reset, as a crashed client would.
        bad.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        bad.close()
        good.sendall(b"z" * 3_000_000)
        good.shutdown(socket.SHUT_WR)
        assert good.recv(10) == b""
        good_port = good.getsockname()[1]
        good.close()
        s = agent.samples()
        good_id, bad_id = stream_for_peer_port(s, good_port), stream_for_peer_port(s, bad_port)
        wait_until(lambda: stream_state(agent.samples(), good_id) == "closed", what="good stream closed")
        wait_until(lambda: stream_state(agent.samples(), bad_id) == "reset", what="bad stream reset")
        s = agent.samples()
        assert value(s, "bpagent_bytes_total", stream=good_id, dir="c2s") == 3_000_000
        assert value(s, "bpagent_stream_errors_total") == 1
    assert agent.stop()[0] == 0
    srv.close()
