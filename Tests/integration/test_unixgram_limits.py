"""`bpagent unixgram` at its limits: frames from 0 bytes to 1 MB (delivered whole or dropped
whole and counted, never cut), random frames, 100,000 flows beyond --max-flows, socket paths
that are too long or taken, and failed starts that must leave no socket file behind."""
import os
import random
import socket
import subprocess
from pathlib import Path

import pytest

from frames import Rig, direction_totals, v4_udp, wait_for_frames
from harness import bpagent_path, value
from test_relay_faults import rss_kb

SO_SNDBUFFORCE = 32
MAX_FRAME = 256 * 1024


def big_socket(sock):
    """Room for a 1 MB datagram (root may exceed net.core.wmem_max)."""
    sock.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, 4 << 20)
    return sock


def totals(s):
    """(frames in, out, dropped, bytes in, out, dropped) over every stream-direction."""
    names = ("bpagent_frames_received_total", "bpagent_writes_total", "bpagent_drops_total",
             "bpagent_received_bytes_total", "bpagent_bytes_total", "bpagent_dropped_bytes_total")
    return tuple(sum(v for n, _, v in s if n == name) for name in names)


def test_frames_are_delivered_whole_or_dropped_whole(tmp_path):
    """0 B … 1,000,000 B: up to 256 KiB each arrives whole; longer ones are dropped whole and
    counted (reason too_large) with their real length, so frames and bytes balance exactly."""
    sizes = [0, 1, 60, 65_535, 100_000, MAX_FRAME, MAX_FRAME + 1, 500_000, 1_000_000]
    rng = random.Random(8)
    frames = [rng.randbytes(n) for n in sizes]
    with Rig(tmp_path) as rig:
        big_socket(rig.vmm)
        for f in frames:
            rig.to_helper(f)
        delivered = [f for f in frames if len(f) <= MAX_FRAME]
        got = [rig.helper.recv(2 << 20) for _ in delivered]
        assert [len(g) for g in got] == [len(f) for f in delivered]
        assert got == delivered
        wait_for_frames(rig, len(frames))
        s = rig.samples()
        too_large = [f for f in frames if len(f) > MAX_FRAME]
        assert totals(s) == (len(frames), len(delivered), len(too_large),
                             sum(sizes), sum(map(len, delivered)), sum(map(len, too_large)))
        assert sum(v for n, l, v in s if n == "bpagent_drops_total" and l["reason"] == "too_large") == len(too_large)
        assert sum(v for n, l, v in s if n == "bpagent_dropped_bytes_total" and l["reason"] == "too_large") \
            == sum(map(len, too_large))
    code, log = rig.agent.stop()
    assert code == 0
    assert "a 262145-byte datagram from" in log and "dropped whole (reason too_large)" in log


def test_random_frames_both_ways_balance(tmp_path):
    """2,000 datagrams of random bytes and sizes (0–9,000) each way: unchanged, in order, and
    frames in = out + dropped exactly."""
    rng = random.Random(9)
    out = [rng.randbytes(rng.randrange(0, 9000)) for _ in range(2000)]
    back = [rng.randbytes(rng.randrange(0, 9000)) for _ in range(2000)]
    with Rig(tmp_path) as rig:
        rig.to_helper(out[0])  # the helper learns the agent's address, the agent the VMM's
        got = [rig.helper_receive()]
        for start in range(1, len(out), 8):
            batch = out[start:start + 8]
            for f in batch:
                rig.to_helper(f)
            got += [rig.helper.recv(1 << 16) for _ in batch]
        assert got == out
        got = []
        for start in range(0, len(back), 8):
            batch = back[start:start + 8]
            for f in batch:
                rig.to_vmm(f)
            got += [rig.vmm.recv(1 << 16) for _ in batch]
        assert got == back
        wait_for_frames(rig, 4000)
        n = len(out) + len(back)
        size = sum(map(len, out)) + sum(map(len, back))
        assert totals(rig.samples()) == (n, n, 0, size, size, 0)


def test_100000_flows_beyond_the_table(tmp_path):
    """100,000 distinct flows into a table of 1,000: 99,000 frames counted under the overflow
    stream, frames in = out + dropped exactly, and memory bounded."""
    flows = 100_000
    with Rig(tmp_path, "--max-flows", "1000") as rig:
        rss_before = rss_kb(rig.agent.proc.pid)
        frames = (v4_udp(f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}", 1000 + i % 50000, "10.255.0.1", 9) for i in range(flows))
        batch = []
        for f in frames:
            rig.to_helper(f)
            batch.append(f)
            if len(batch) == 8:
                for _ in batch:
                    rig.helper.recv(1 << 16)
                batch.clear()
        for _ in batch:
            rig.helper.recv(1 << 16)
        wait_for_frames(rig, flows, timeout=60)
        s = rig.samples()
        assert value(s, "bpagent_flows_overflow_frames_total") == flows - 1000
        overflow = [l["stream"] for n, l, _ in s if n == "bpagent_stream_info" and l["proto"] == "overflow"]
        assert len(overflow) == 1
        assert direction_totals(s, overflow[0], "c2s")[:3] == (flows - 1000, flows - 1000, 0)
        t = totals(s)
        assert t[0] == flows and t[0] == t[1] + t[2] and t[3] == t[4] + t[5]
        assert rss_kb(rig.agent.proc.pid) - rss_before < 48 * 1024, "memory bounded by the table"


def run_agent(*args, timeout=20):
    return subprocess.run([bpagent_path(), *args], capture_output=True, text=True, timeout=timeout)


def long_path(tmp_path, length):
    """A path of exactly `length` bytes inside tmp_path."""
    base = str(tmp_path) + "/"
    return base + "s" * (length - len(base))


@pytest.mark.parametrize("option", ["--listen", "--connect", "--bind", "--metrics"])
def test_a_socket_path_too_long_is_one_clear_line(tmp_path, option):
    path = long_path(tmp_path, 107)
    helper = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    helper.bind(str(tmp_path / "h.sock"))
    paths = {"--listen": str(tmp_path / "a.sock"), "--connect": str(tmp_path / "h.sock")}
    args = ["unixgram"]
    for o in ("--listen", "--connect", "--bind"):
        if o == option:
            args += [o, path]
        elif o in paths:
            args += [o, paths[o]]
    args += ["--metrics", f"unix:{path}" if option == "--metrics" else f"unix:{tmp_path}/m.sock"]
    r = run_agent(*args)
    helper.close()
    assert r.returncode == 64, r.stderr
    name = "--metrics" if option == "--metrics" else option
    shown = f"unix:{path}" if option == "--metrics" else path
    assert r.stderr.splitlines()[0] == (
        f'Error: invalid {name} "{shown}": a socket path may have at most 103 bytes; this one has 107'), r.stderr
    assert sorted(os.listdir(tmp_path)) == ["h.sock"], "nothing created"


def test_a_live_socket_of_the_other_type_is_named(tmp_path):
    """A live datagram socket at the --metrics path, a live stream socket at --listen, and a
    stream socket as the helper: each one clear line, exit 1, nothing touched."""
    dgram = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    dgram.bind(str(tmp_path / "dgram.sock"))
    stream = socket.socket(socket.AF_UNIX)
    stream.bind(str(tmp_path / "stream.sock"))
    stream.listen()
    r = run_agent("relay", "--listen", "127.0.0.1:0", "--connect", "127.0.0.1:9", "--metrics", f"unix:{tmp_path}/dgram.sock")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1] == (
        f"bpagent: error: cannot listen on unix:{tmp_path}/dgram.sock: already in use by another process (a datagram socket)")
    r = run_agent("unixgram", "--listen", f"{tmp_path}/stream.sock", "--connect", f"{tmp_path}/dgram.sock", "--no-metrics")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1] == (
        f"bpagent: error: cannot bind {tmp_path}/stream.sock: already in use by another process (a stream socket)")
    r = run_agent("unixgram", "--listen", f"{tmp_path}/vm.sock", "--connect", f"{tmp_path}/stream.sock", "--no-metrics")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1] == (
        f"bpagent: error: cannot connect to {tmp_path}/stream.sock: it is a stream socket; the helper's must be a datagram socket")
    assert sorted(os.listdir(tmp_path)) == ["dgram.sock", "stream.sock"]
    dgram.close()
    stream.close()


def test_a_failed_start_leaves_no_socket_file(tmp_path):
    """Helper missing, --bind in use, bad --metrics: exit 1 and no --listen (or --bind) file left."""
    helper = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    helper.bind(str(tmp_path / "h.sock"))
    taken = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    taken.bind(str(tmp_path / "taken.sock"))
    listen = str(tmp_path / "vm.sock")
    cases = [
        (["--connect", str(tmp_path / "none.sock"), "--no-metrics"], "cannot connect to"),
        (["--connect", str(tmp_path / "h.sock"), "--bind", str(tmp_path / "taken.sock"), "--no-metrics"],
         "already in use by another process"),
        (["--connect", str(tmp_path / "h.sock"), "--bind", str(tmp_path / "out.sock"),
          "--metrics", f"unix:{tmp_path}/missing/m.sock"], "does not exist"),
    ]
    for extra, message in cases:
        r = run_agent("unixgram", "--listen", listen, *extra)
        assert r.returncode == 1 and message in r.stderr.strip().splitlines()[-1], r.stderr
        assert sorted(os.listdir(tmp_path)) == ["h.sock", "taken.sock"], (extra, os.listdir(tmp_path))
    helper.close()
    taken.close()
