"""Bad input: a clear one-line error, a non-zero exit, and files left as they were."""
import os
import socket
import subprocess

import pytest

from harness import Agent, bpagent_path, free_port, http_get


def run_agent(*args):
    return subprocess.run([bpagent_path(), *args], capture_output=True, text=True, timeout=20)


def relay_args(*extra, metrics=None):
    args = ["relay", "--listen", f"127.0.0.1:{free_port()}", "--connect", "127.0.0.1:9"]
    return args + (["--metrics", metrics] if metrics else ["--no-metrics"]) + list(extra)


@pytest.mark.parametrize("extra, message", [
    (["--proto", "tcp", "--on-full", "drop"], 'Error: invalid --on-full "drop": this policy drops data, which would corrupt a TCP stream; use wait, spin or sleep=DURATION without max'),
    (["--proto", "tcp", "--on-full", "sleep=50us,max=10"], 'Error: invalid --on-full "sleep=50us,max=10": this policy drops data'),
    (["--on-full", "yield"], 'Error: invalid --on-full "yield": expected wait, spin, drop or sleep=DURATION[,max=N]'),
    (["--inject", "enobufs:every=0"], 'Error: invalid --inject "enobufs:every=0": "every=0" must be every=N or burst=K with N, K ≥ 1'),
    (["--socket-mode", "999"], 'Error: invalid --socket-mode "999": expected an octal mode such as 600 or 660'),
    (["--log-level", "loud"], 'Error: invalid --log-level "loud": expected trace, debug, info, notice, warning, error or critical'),
    (["--copy", "mmap"], 'Error: invalid --copy "mmap": expected splice or buffer'),
    (["--buffer-size", "1"], 'Error: invalid --buffer-size "1": expected 4k to 64m'),
    (["--metrics", "ftp:x"], 'Error: invalid --metrics "ftp:x": expected unix:PATH or tcp:HOST:PORT'),
    (["--metrics", "tcp:127.0.0.1:0"], "Error: --no-metrics and --metrics cannot be combined"),
    (["--proto", "sctp"], "Error: The value 'sctp' is invalid for '--proto <proto>'. Please provide one of 'tcp', 'udp' or 'both'."),
    (["--max-udp-streams", "0"], "Error: invalid --max-udp-streams 0: expected 1 to 100000"),
    (["--udp-idle", "0"], "Error: invalid --udp-idle 0: expected seconds above 0, at most a day"),
    (["--udp-rcvbuf", "1"], 'Error: invalid --udp-rcvbuf "1": expected 4k to 64m'),
    (["--udp-sndbuf", "100m"], 'Error: invalid --udp-sndbuf "100m": expected 4k to 64m'),
])
def test_bad_options(extra, message):
    r = run_agent(*relay_args(*extra))
    assert r.returncode == 64
    assert r.stderr.splitlines()[0].startswith(message), r.stderr


def test_bad_addresses():
    r = run_agent("relay", "--listen", "127.0.0.1", "--connect", "127.0.0.1:9", "--no-metrics")
    assert (r.returncode, r.stderr.splitlines()[0]) == (64, 'Error: invalid address "127.0.0.1": expected HOST:PORT')
    r = run_agent("relay", "--listen", "127.0.0.1:1", "--connect", "127.0.0.1:70000", "--no-metrics")
    assert r.stderr.splitlines()[0] == 'Error: invalid address "127.0.0.1:70000": port must be a number from 0 to 65535'


def last_line(r):
    return r.stderr.strip().splitlines()[-1]


def test_listen_port_in_use():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = run_agent("relay", "--listen", f"127.0.0.1:{port}", "--connect", "127.0.0.1:9", "--no-metrics")
    assert r.returncode == 1
    assert last_line(r) == f"bpagent: error: listen on 127.0.0.1:{port}: Address already in use"


def udp_port_whose_tcp_twin_is_free():
    """A bound UDP socket whose port number is free for TCP too: the relay listens on TCP first,
    so a TCP port taken by another test would make it fail on TCP instead."""
    for _ in range(50):
        busy = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        busy.bind(("127.0.0.1", 0))
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as twin:
            try:
                twin.bind(("127.0.0.1", busy.getsockname()[1]))
                return busy
            except OSError:
                busy.close()
    raise RuntimeError("no UDP port with a free TCP twin in 50 tries")


def test_udp_listen_port_in_use():
    with udp_port_whose_tcp_twin_is_free() as busy:
        port = busy.getsockname()[1]
        r = run_agent("relay", "--listen", f"127.0.0.1:{port}", "--connect", "127.0.0.1:9", "--no-metrics")
    assert r.returncode == 1
    assert last_line(r) == f"bpagent: error: listen on udp 127.0.0.1:{port}: Address already in use"


def test_metrics_path_that_is_a_file_is_left_alone(tmp_path):
    path = tmp_path / "agent.sock"
    path.write_text("precious\n")
    os.chmod(path, 0o640)
    r = run_agent(*relay_args(metrics=f"unix:{path}"))
    assert r.returncode == 1
    assert last_line(r) == f"bpagent: error: cannot listen on unix:{path}: {path} exists and is not a socket; refusing to replace it"
    assert path.read_text() == "precious\n"
    assert os.stat(path).st_mode & 0o777 == 0o640


def test_metrics_directory_missing(tmp_path):
    path = tmp_path / "nope" / "agent.sock"
    r = run_agent(*relay_args(metrics=f"unix:{path}"))
    assert r.returncode == 1
    assert last_line(r) == f"bpagent: error: cannot listen on unix:{path}: directory {tmp_path}/nope does not exist"
    assert not (tmp_path / "nope").exists()


def test_socket_in_use_by_another_agent(tmp_path):
    with Agent(tmp_path, free_port(), 9) as first:
        r = run_agent(*relay_args(metrics=f"unix:{first.sock}"))
        assert r.returncode == 1
        assert "already in use" in last_line(r)
        assert http_get(f"unix:{first.sock}", "/healthz")[0] == 200, "the first agent keeps serving"


def test_stale_socket_is_replaced(tmp_path):
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(tmp_path / "bpagent.sock"))
    stale.close()
    with Agent(tmp_path, free_port(), 9) as agent:
        assert http_get(f"unix:{agent.sock}", "/healthz") == (200, b"ok\n")
    assert agent.stop()[0] == 0
    assert not os.path.exists(agent.sock)
