"""The helpers' own stats as bptop sources, end to end through `bptop --once --json` and each
helper's dashboard: served the way each helper serves them — gvproxy's Go HTTP server (chunked)
and cloud-hypervisor's (Content-Length) on unix sockets, vmnet-helper's log (a file that grows,
or standard input), Firecracker's metrics FIFO written once per flush. Fixtures:
Tests/FeedsTests/Fixtures/helpers, each citing the helper's source file and commit."""
import json
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

from tui import bptop_path

FIXTURES = Path(__file__).resolve().parents[1] / "FeedsTests" / "Fixtures" / "helpers"


def fixture(name):
    return [l for l in (FIXTURES / name).read_text().splitlines(keepends=True) if not l.startswith("# ")]


class UnixHTTPServer:
    """Answers GET `path` on a unix socket with `respond(n)` (n: the request's number), one
    connection at a time; records the request lines."""

    def __init__(self, sock_path, respond):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.bind(sock_path)
        self.sock.listen()
        self.requests = []
        self.respond = respond
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            with c:
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = c.recv(4096)
                    if not chunk:
                        break
                    head += chunk
                self.requests.append(head.split(b"\r\n", 1)[0].decode())
                c.sendall(self.respond(len(self.requests)))

    def close(self):
        self.sock.close()


def once(*args, stdin=None, interval="300ms"):
    r = subprocess.run([bptop_path(), *args, "--once", "--json", "-i", interval], capture_output=True, text=True,
                       timeout=30, stdin=stdin)
    assert (r.returncode, r.stderr) == (0, ""), r.stderr
    return json.loads(r.stdout)


def go_chunked(body):
    """net/http's answer for a handler that wrote more than 2 KiB without a length."""
    b = body.encode()
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nDate: Wed, 02 Dec 2026 16:00:00 GMT\r\nTransfer-Encoding: chunked\r\n\r\n"
    return head + b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in (b[:4096], b[4096:])) + b"0\r\n\r\n"


def test_gvproxy_stats(tmp_path):
    first = json.loads(fixture("gvproxy-stats.txt")[0])
    later = json.loads(json.dumps(first))
    later["NICs"]["TxPacketsDroppedNoBufferSpace"] += 40
    later["TCP"]["Retransmits"] += 7
    later["BytesSent"] += 1_000_000
    bodies = [first, later]

    def respond(n):
        return go_chunked(json.dumps(bodies[min(n, 2) - 1], sort_keys=True, separators=(",", ":")) + "\n")
    server = UnixHTTPServer(str(tmp_path / "gvproxy.sock"), respond)
    try:
        out = once("--source", f"gvproxy+unix:{tmp_path}/gvproxy.sock", "--dashboard", "gvproxy")
    finally:
        server.close()
    assert set(server.requests) == {"GET /stats HTTP/1.1"}
    rows = {r["series"].split(" ", 1)[-1]: r for r in out["streams"]}
    moving = {s for s, r in rows.items() if r["rate_per_second"]}
    assert moving == {"gvproxy_nics_tx_packets_dropped_no_buffer_space_total", "gvproxy_tcp_retransmits_total",
                      "gvproxy_bytes_sent_total"}, moving
    assert rows["gvproxy_nics_tx_packets_dropped_no_buffer_space_total"]["total"] == 57
    assert rows["gvproxy_tcp_retransmits_total"]["total"] == 318


def test_cloud_hypervisor_counters(tmp_path):
    body = fixture("cloud-hypervisor-counters.txt")[0].encode()
    server = UnixHTTPServer(str(tmp_path / "ch.sock"), lambda n: b"HTTP/1.1 200 \r\nServer: Cloud Hypervisor API\r\n"
                            b"Connection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    try:
        out = once("--source", f"cloud-hypervisor+unix:{tmp_path}/ch.sock", "--dashboard", "cloud-hypervisor")
    finally:
        server.close()
    assert set(server.requests) == {"GET /api/v1/vm.counters HTTP/1.1"}
    assert [(r["device"], r["rx_bytes"], r["tx_bytes"], r["rx_frames"], r["tx_frames"]) for r in out["streams"]] == [
        ("_net0", 1048576, 2097152, 1024, 2048)]


def test_vmnet_helper_log_file_and_stdin(tmp_path):
    lines = fixture("vmnet-helper-stats.log")
    log = tmp_path / "helper.log"
    log.write_text("".join(lines[:3]))

    def append_rest():
        time.sleep(0.1)
        with open(log, "a") as f:
            f.write("".join(lines[3:]))
    threading.Thread(target=append_rest).start()
    out = once("--source", f"vmnet-helper:{log}", "--dashboard", "vmnet-helper", interval="500ms")
    rows = {r["from"]: r for r in out["streams"]}
    assert (rows["host"]["packets"], rows["host"]["drops"], rows["vm"]["bytes"], rows["vm"]["slow_path_calls"]) == (5000, 12, 13500000, 9)
    # The helper's stderr piped in: vmnet-helper … 2>&1 | bptop --source vmnet-helper:-
    with open(log) as f:
        out = once("--source", "vmnet-helper:-", "--dashboard", "vmnet-helper", stdin=f)
    assert {r["from"]: r["drops"] for r in out["streams"]} == {"host": 12, "vm": 4}


def test_firecracker_fifo_written_per_flush(tmp_path):
    fifo = tmp_path / "metrics.fifo"
    os.mkfifo(fifo)
    flushes = fixture("firecracker-metrics.txt")

    def firecracker():
        # Firecracker opens its --metrics-path for writing and writes one line per flush.
        with open(fifo, "w") as f:
            for line in flushes:
                f.write(line)
                f.flush()
                time.sleep(0.1)
    writer = threading.Thread(target=firecracker)
    writer.start()
    out = once("--source", f"firecracker:{fifo}", "--dashboard", "firecracker", interval="600ms")
    writer.join()
    rows = {r["iface"]: r for r in out["streams"]}
    assert set(rows) == {"eth0", "eth1"}
    assert (rows["eth0"]["rx_bytes"], rows["eth0"]["tap_write_fails"], rows["eth0"]["no_tx_avail_buffer"]) == (6_000_000, 6, 7)
    assert (rows["eth1"]["tx_bytes"], rows["eth1"]["tap_write_fails"]) == (24_000_000, 12)


def test_bad_helper_sources_are_one_line():
    r = subprocess.run([bptop_path(), "--source", "vmnet-helper:-", "--iperf3", "-"], capture_output=True, text=True,
                       timeout=30, stdin=subprocess.DEVNULL)
    assert r.returncode == 64 and "standard input can feed only one of --iperf3 - and --source vmnet-helper:-" in r.stderr
    for source, reason in [("gvproxy:/x", "expected gvproxy+unix:SOCKET"), ("firecracker+unix:/x", "expected firecracker:FIFO")]:
        r = subprocess.run([bptop_path(), "--source", source, "--once"], capture_output=True, text=True, timeout=30)
        assert r.returncode == 64 and f'invalid --source "{source}": {reason}' in r.stderr, r.stderr
