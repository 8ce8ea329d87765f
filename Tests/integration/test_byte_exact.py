"""256 MiB each way at once through the relay, byte-exact, under every policy, with and
without injected ENOBUFS; the export must show exactly what the injection implies."""
import hashlib
import random
import socket
import threading

import pytest

from harness import Agent, free_port, stream_for_peer_port, stream_state, value, wait_until

SIZE = 256 << 20
CHUNK = 1 << 20


def send_seeded(sock, seed, digest):
    rng = random.Random(seed)
    for _ in range(SIZE // CHUNK):
        block = rng.randbytes(CHUNK)
        digest.update(block)
        sock.sendall(block)
    sock.shutdown(socket.SHUT_WR)


def receive_all(sock, digest, counter):
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    while n := sock.recv_into(buf):
        digest.update(view[:n])
        counter[0] += n


def exchange(sock, seed, results, key):
    """Sends SIZE seeded bytes and receives until EOF at the same time."""
    sent, got, count = hashlib.sha256(), hashlib.sha256(), [0]
    t = threading.Thread(target=send_seeded, args=(sock, seed, sent))
    t.start()
    receive_all(sock, got, count)
    t.join()
    results[key] = (sent.hexdigest(), got.hexdigest(), count[0])


@pytest.mark.parametrize("copy", ["splice", "buffer"])
@pytest.mark.parametrize("inject", [None, "enobufs:every=97,burst=3"])
@pytest.mark.parametrize("policy", ["wait", "spin", "sleep=50us"])
def test_byte_exact_both_ways(tmp_path, policy, inject, copy):
    byte_exact(tmp_path, policy, inject, copy)


def test_byte_exact_with_poll(tmp_path):
    """The same on the poll(2) poller (what macOS uses), the writable event withheld too."""
    byte_exact(tmp_path, "wait", "enobufs:every=97,burst=3", "splice", "--poller", "poll", "--inject", "no-writable")


def byte_exact(tmp_path, policy, inject, copy, *more):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    results = {}

    def serve():
        conn, _ = server.accept()
        with conn:
            exchange(conn, 2, results, "server")

    extra = ["--on-full", policy, "--copy", copy, *more] + (["--inject", inject] if inject else [])
    with Agent(tmp_path, free_port(), server.getsockname()[1], *extra) as agent:
        st = threading.Thread(target=serve)
        st.start()
        client = socket.create_connection(("127.0.0.1", agent.listen_port))
        client_port = client.getsockname()[1]
        exchange(client, 1, results, "client")
        client.close()
        st.join()
        server.close()

        c_sent, c_got, c_count = results["client"]
        s_sent, s_got, s_count = results["server"]
        assert (c_count, s_count) == (SIZE, SIZE)
        assert s_got == c_sent, "client→server bytes differ"
        assert c_got == s_sent, "server→client bytes differ"

        sid = stream_for_peer_port(agent.samples(), client_port)
        wait_until(lambda: stream_state(agent.samples(), sid) == "closed", what="stream closed")
        s = agent.samples()
        for d in ("c2s", "s2c"):
            assert value(s, "bpagent_bytes_total", stream=sid, dir=d) == SIZE
            assert value(s, "bpagent_queued_bytes", stream=sid, dir=d) == 0
            writes = int(value(s, "bpagent_writes_total", stream=sid, dir=d))
            enobufs = value(s, "bpagent_buffer_full_total", stream=sid, dir=d, errno="ENOBUFS")
            retries = value(s, "bpagent_retries_total", stream=sid, dir=d, errno="ENOBUFS")
            if inject:
                assert enobufs == writes // 97 and enobufs > 0
                assert retries == 3 * (writes // 97)
                assert value(s, "bpagent_retries_per_event_max", stream=sid, dir=d) >= 3
            else:
                assert (enobufs, retries) == (0, 0)
            eagain = value(s, "bpagent_buffer_full_total", stream=sid, dir=d, errno="EAGAIN")
            events = value(s, "bpagent_stall_seconds_count", stream=sid, dir=d)
            assert events == enobufs + eagain, "every event's stall is measured"
    code, log = agent.stop()
    assert code == 0, log
