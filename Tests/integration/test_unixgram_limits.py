"""`bpagent unixgram` at its limits: frames from 0 bytes to 1 MB (delivered whole or dropped
whole and counted, never cut), random frames, 100,000 flows beyond --max-flows, socket paths
that are too long or taken, and failed starts that must leave no socket file behind."""
import os
import socket
import subprocess

import pytest

from datagram_scenarios import MAX_FRAME, balanced, frame_sizes, many_flows, random_frames
from harness import bpagent_path

def test_frames_are_delivered_whole_or_dropped_whole(tmp_path):
    """0 B … 1,000,000 B: up to 256 KiB each arrives whole; longer ones are dropped whole and
    counted (reason too_large) with their real length, so frames and bytes balance exactly."""
    sizes = [0, 1, 60, 65_535, 100_000, MAX_FRAME, MAX_FRAME + 1, 500_000, 1_000_000]
    f = frame_sizes(tmp_path, sizes)
    small = [n for n in sizes if n <= MAX_FRAME]
    large = [n for n in sizes if n > MAX_FRAME]
    assert f["arrived_whole"] == f["expected"] == len(small)
    assert f["books"] == (len(sizes), len(small), len(large), sum(sizes), sum(small), sum(large))
    assert (f["too_large"], f["too_large_bytes"]) == (len(large), sum(large))
    assert "a 262145-byte datagram from" in f["log"] and "dropped whole (reason too_large)" in f["log"]


def test_random_frames_both_ways_balance(tmp_path):
    """1,000 datagrams of random bytes and sizes each way: unchanged, in order, and frames in =
    out + dropped exactly (Scripts/datagram-limits sends 100,000)."""
    f = random_frames(tmp_path, 1000)
    assert f["unchanged_in_order"]
    assert f["books"] == (2000, 2000, 0, f["bytes"], f["bytes"], 0)


def test_flows_beyond_the_table(tmp_path):
    """20,000 distinct flows into a table of 1,000 (Scripts/datagram-limits: 100,000): 19,000
    frames under the one overflow stream, frames in = out + dropped exactly, memory bounded."""
    f = many_flows(tmp_path, 20_000, 1000)
    assert (f["overflow_frames"], f["overflow_streams"], f["streams"]) == (19_000, 1, 1001)
    assert f["books"][:3] == (20_000, 20_000, 0) and balanced(f["books"])
    assert f["rss_max_kb"] - f["rss_before_kb"] < 48 * 1024, "memory bounded by the table"


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
