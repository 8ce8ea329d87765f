"""The export as scripts and Prometheus read it: curl, promtool, JSON, TCP, file hygiene."""
import json
import os
import socket
import stat
import subprocess
import threading

from harness import Agent, curl_unix, free_port, http_get, parse_metrics, stream_for_peer_port, value, wait_until


def echo_server():
    """A TCP server that echoes one connection; returns (port, thread)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)

    def run():
        with srv:
            conn, _ = srv.accept()
            with conn:
                while data := conn.recv(65536):
                    conn.sendall(data)
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return srv.getsockname()[1], t


def test_curl_promtool_and_json_agree(tmp_path):
    port, _ = echo_server()
    tcp = f"tcp:127.0.0.1:{free_port()}"
    with Agent(tmp_path, free_port(), port, metrics=[f"unix:{tmp_path}/bpagent.sock", tcp]) as agent:
        with socket.create_connection(("127.0.0.1", agent.listen_port)) as c:
            c.sendall(b"x" * 100_000)
            got = 0
            while got < 100_000:
                got += len(c.recv(65536))
            local_port = c.getsockname()[1]
            text = curl_unix(agent.sock)
            check = subprocess.run(["promtool", "check", "metrics"], input=text.encode(), capture_output=True)
            assert (check.returncode, check.stdout, check.stderr) == (0, b"", b"")

            s = parse_metrics(text)
            sid = stream_for_peer_port(s, local_port)
            assert value(s, "bpagent_bytes_total", stream=sid, dir="c2s") == 100_000
            assert value(s, "bpagent_bytes_total", stream=sid, dir="s2c") == 100_000
            assert value(s, "bpagent_streams_open") == 1

            doc = json.loads(curl_unix(agent.sock, "/metrics.json"))
            js = [x for x in doc["streams"] if x["stream"] == sid][0]
            assert (js["c2s"]["bytes"], js["s2c"]["bytes"], js["state"]) == (100_000, 100_000, "open")
            assert js["peer"] == f"127.0.0.1:{local_port}"

            # The TCP endpoint serves the same counters, and reads never reset them.
            status, body = http_get(tcp, "/metrics")
            assert status == 200
            assert value(parse_metrics(body.decode()), "bpagent_bytes_total", stream=sid, dir="c2s") == 100_000
            assert value(agent.samples(), "bpagent_bytes_total", stream=sid, dir="c2s") == 100_000

        wait_until(lambda: value(agent.samples(), "bpagent_streams_open") == 0, what="stream closed")
        mode = stat.S_IMODE(os.stat(agent.sock).st_mode)
        assert mode == 0o600
        assert http_get(f"unix:{agent.sock}", "/nope")[0] == 404
        assert curl_unix(agent.sock, "/healthz") == "ok\n"
    code, log = agent.stop()
    assert code == 0
    assert not os.path.exists(agent.sock), "socket removed on exit"
    assert "bpagent summary: 1 stream," in log
    assert "c2s: 100000 bytes in" in log
