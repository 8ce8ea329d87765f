"""What the host can do to the agent: a stderr nobody reads (defect 6) and running out of file
descriptors (defect 7). The relay must keep relaying and /healthz must keep answering."""
import resource
import socket
import subprocess
import time
from pathlib import Path

from harness import bpagent_path, free_port, http_get, parse_metrics, value, wait_until
from test_relay_faults import Sink, exchange_exact, refuse_once


def cpu_seconds(pid):
    """User + system CPU time of a process so far, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime, stime in clock ticks (USER_HZ = 100)


def open_fds(pid):
    return len(list(Path(f"/proc/{pid}/fd").iterdir()))


def start_agent(tmp, listen_port, connect_port, *extra, stderr, preexec_fn=None):
    sock = str(Path(tmp) / "agent.sock")
    proc = subprocess.Popen([bpagent_path(), "relay", "--listen", f"127.0.0.1:{listen_port}",
                             "--connect", f"127.0.0.1:{connect_port}", "--metrics", f"unix:{sock}", *extra],
                            stdout=subprocess.DEVNULL, stderr=stderr, preexec_fn=preexec_fn)
    wait_until(lambda: http_get(f"unix:{sock}", "/healthz", timeout=1)[0] == 200, what="the agent")
    return proc, f"unix:{sock}"


def samples(endpoint):
    status, body = http_get(endpoint, "/metrics")
    assert status == 200
    return parse_metrics(body.decode())


def test_a_stderr_nobody_reads_never_stops_the_relay(tmp_path):
    """2,500 refused connections log about 500 KB, more than a pipe (64 KiB) and the agent's
    log queue (256 KiB) hold: the relay goes on, byte-exact, /healthz answers, the lines that
    did not fit are counted, and SIGTERM still ends it."""
    target = free_port()
    listen = free_port()
    proc, endpoint = start_agent(tmp_path, listen, target, stderr=subprocess.PIPE)
    try:
        for _ in range(2500):
            refuse_once(listen)
        wait_until(lambda: value(samples(endpoint), "bpagent_connect_failures_total") == 2500, what="2500 failures")
        with Sink(port=target, echo=True) as sink:
            exchange_exact(listen, 3_000_000)
        assert http_get(endpoint, "/healthz") == (200, b"ok\n")
        assert value(samples(endpoint), "bpagent_log_lines_dropped_total") > 0
        proc.terminate()
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()


def test_out_of_descriptors_neither_thread_spins(tmp_path):
    """With 128 descriptors (soft = hard, so the agent cannot raise it), 300 relay connections
    held open and scrapes waiting to be accepted, neither the relay's thread nor the export's
    spins, /healthz answers, and once the connections close the relay relays again."""
    limit = 128
    with Sink(echo=True) as sink:
        listen = free_port()
        log = open(tmp_path / "agent.log", "wb")
        proc, endpoint = start_agent(tmp_path, listen, sink.port, "--copy", "buffer", stderr=log,
                                     preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit)))
        held = []
        try:
            for _ in range(300):
                s = socket.socket()
                s.setblocking(False)
                s.connect_ex(("127.0.0.1", listen))
                held.append(s)
            time.sleep(1)  # the agent meets its limit
            for _ in range(3):  # scrapes the export has to accept
                s = socket.socket(socket.AF_UNIX)
                s.setblocking(False)
                s.connect_ex(endpoint[5:])
                held.append(s)
            before = cpu_seconds(proc.pid)
            time.sleep(3)
            used = cpu_seconds(proc.pid) - before
            assert used < 0.6, f"{used:.2f} s of CPU in 3 s while out of descriptors"
            assert http_get(endpoint, "/healthz") == (200, b"ok\n")
            assert open_fds(proc.pid) <= limit
            for s in held:
                s.close()
            held.clear()
            wait_until(lambda: value(samples(endpoint), "bpagent_streams_open") == 0, what="streams closed")
            exchange_exact(listen, 1_000_000)
            assert "descriptors" in (tmp_path / "agent.log").read_text()
            proc.terminate()
            assert proc.wait(timeout=20) == 0
        finally:
            for s in held:
                s.close()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            log.close()
