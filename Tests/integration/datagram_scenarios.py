"""Load scenarios for `bpagent unixgram`, each run against a real agent in a `Rig` and
returning its figures as a dict. test_unixgram_limits.py runs them short and asserts on the
figures; Scripts/datagram-limits runs them long and prints them."""
import random
import socket
import time

from frames import Rig, v4_udp, wait_for_frames
from harness import value
from relay_scenarios import Sampler, cpu_seconds, rss_kb

SO_SNDBUFFORCE = 32
MAX_FRAME = 256 * 1024
BOOKS = ("bpagent_frames_received_total", "bpagent_writes_total", "bpagent_drops_total",
         "bpagent_received_bytes_total", "bpagent_bytes_total", "bpagent_dropped_bytes_total")


def books(s):
    """(frames in, out, dropped, bytes in, out, dropped) summed over every stream-direction."""
    return tuple(int(sum(v for n, _, v in s if n == name)) for name in BOOKS)


def balanced(b):
    return b[0] == b[1] + b[2] and b[3] == b[4] + b[5]


def frame_sizes(tmp, sizes, seed=8):
    """One datagram of random bytes per size, VMM → helper; returns what arrived and the books."""
    rng = random.Random(seed)
    frames = [rng.randbytes(n) for n in sizes]
    with Rig(tmp) as rig:
        rig.vmm.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, 4 << 20)  # room for a 1 MB datagram
        for f in frames:
            rig.to_helper(f)
        expected = [f for f in frames if len(f) <= MAX_FRAME]
        arrived = [rig.helper.recv(2 << 20) for _ in expected]
        wait_for_frames(rig, len(frames))
        s = rig.samples()
        figures = {"sent": len(frames), "arrived_whole": sum(a == f for a, f in zip(arrived, expected)),
                   "expected": len(expected), "books": books(s),
                   "too_large": int(sum(v for n, l, v in s if n == "bpagent_drops_total" and l["reason"] == "too_large")),
                   "too_large_bytes": int(sum(v for n, l, v in s if n == "bpagent_dropped_bytes_total" and l["reason"] == "too_large"))}
    figures["log"] = rig.agent.stop()[1]
    return figures


def exchange_batches(frames, send, receive):
    """Sends in batches of 8 and reads each batch back (a receiver's queue holds 10 datagrams)."""
    got = []
    for start in range(0, len(frames), 8):
        batch = frames[start:start + 8]
        for f in batch:
            send(f)
        got += [receive() for _ in batch]
    return got


def random_frames(tmp, count, max_flows=64, seed=9):
    """`count` datagrams of random bytes and sizes (0–9,000) each way; random bytes make random
    "flows", so the table is kept small and the rest counts under the overflow stream."""
    rng = random.Random(seed)
    out = [rng.randbytes(rng.randrange(0, 9000)) for _ in range(count)]
    back = [rng.randbytes(rng.randrange(0, 9000)) for _ in range(count)]
    with Rig(tmp, "--max-flows", str(max_flows)) as rig:
        rig.to_helper(out[0])  # the helper learns the agent's address, the agent the VMM's
        got_out = [rig.helper_receive()] + exchange_batches(out[1:], rig.to_helper, lambda: rig.helper.recv(1 << 16))
        got_back = exchange_batches(back, rig.to_vmm, lambda: rig.vmm.recv(1 << 16))
        wait_for_frames(rig, 2 * count)
        figures = {"frames": 2 * count, "unchanged_in_order": got_out == out and got_back == back,
                   "bytes": sum(map(len, out)) + sum(map(len, back)), "books": books(rig.samples())}
    return figures


def many_flows(tmp, flows, table):
    """`flows` distinct UDP flows (one frame each) into a flow table of `table`."""
    with Rig(tmp, "--max-flows", str(table)) as rig:
        pid = rig.agent.proc.pid
        rss_before = rss_kb(pid)
        sampler = Sampler(pid, interval=0.2)
        start, cpu_start = time.monotonic(), cpu_seconds(pid)
        frames = (v4_udp(f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}", 1000 + i % 50000, "10.255.0.1", 9)
                  for i in range(flows))
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
        wait_for_frames(rig, flows, timeout=600)
        seconds = time.monotonic() - start
        s = rig.samples()
        sampler.stop()
        overflow = [l["stream"] for n, l, _ in s if n == "bpagent_stream_info" and l["proto"] == "overflow"]
        figures = {"flows": flows, "table": table, "seconds": round(seconds, 1), "frames_per_s": round(flows / seconds),
                   "agent_cpu_s": round(cpu_seconds(pid) - cpu_start, 2),
                   "overflow_frames": value(s, "bpagent_flows_overflow_frames_total"),
                   "overflow_streams": len(overflow),
                   "streams": sum(1 for n, _, _ in s if n == "bpagent_stream_info"),
                   "books": books(s), "rss_before_kb": rss_before, "rss_max_kb": max(sampler.rss)}
    return figures
