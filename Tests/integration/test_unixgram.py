"""`bpagent unixgram` end to end with synthetic frames: exact per-flow counts, every frame
delivered unchanged, frames in = out + dropped under every policy with injected ENOBUFS."""
import os
import random
import socket
import subprocess

import pytest

from frames import (Rig, arp, direction_totals, ethernet, ipv4, streams_by_flow, v4_tcp, v4_udp, v6_tcp, v6_udp,
                    wait_for_frames)
from harness import bpagent_path, stream_state, value, wait_until


def test_per_flow_counts_are_exact(tmp_path):
    ab = [v4_tcp("10.0.0.1", 40000, "10.0.0.2", 5201, b"x" * n) for n in (0, 100, 1400, 7, 60)]
    ba = [v4_tcp("10.0.0.2", 5201, "10.0.0.1", 40000, b"y" * n) for n in (0, 10, 20)]
    v6 = [v6_udp("fd00::1", 5353, "fd00::2", 53, b"q" * n) for n in (30, 31, 32, 33)]
    vlan = [v4_udp("10.1.0.1", 1000, "10.1.0.2", 2000, b"v" * 50, vlan=100)] * 2
    v6t = [v6_tcp("fd00::2", 33000, "fd00::1", 22, b"s")]
    arps = [arp("10.0.0.1", "10.0.0.2")] * 2
    arp_reply = arp("10.0.0.2", "10.0.0.1")
    cut = ethernet(0x0800, ipv4("10.0.0.1", "10.0.0.2", 6, b"")[:10])
    with Rig(tmp_path) as rig:
        outbound = ab + v6 + vlan + v6t + arps + [cut, cut]
        for frame in outbound:
            rig.to_helper(frame)
            assert rig.helper_receive() == frame, "forwarded unchanged, in order"
        for frame in ba + [arp_reply]:
            rig.to_vmm(frame)
            assert rig.vmm_receive() == frame
        wait_for_frames(rig, len(outbound) + len(ba) + 1)
        s = rig.samples()
        flows = streams_by_flow(s)
        expected = {
            # flow label: (proto, peer, local, c2s (frames, bytes), s2c (frames, bytes))
            "tcp 10.0.0.1:40000 → 10.0.0.2:5201": ("tcp", "10.0.0.1:40000", "10.0.0.2:5201", ab, ba),
            "udp [fd00::1]:5353 → [fd00::2]:53": ("udp", "[fd00::1]:5353", "[fd00::2]:53", v6, []),
            "vlan 100 udp 10.1.0.1:1000 → 10.1.0.2:2000": ("udp", "10.1.0.1:1000", "10.1.0.2:2000", vlan, []),
            "tcp [fd00::2]:33000 → [fd00::1]:22": ("tcp", "[fd00::2]:33000", "[fd00::1]:22", v6t, []),
            "arp": ("arp", "", "", arps, [arp_reply]),
            "truncated ipv4": ("ipv4", "", "", [cut, cut], []),
        }
        assert set(flows) == set(expected)
        for flow, (proto, peer, local, c2s, s2c) in expected.items():
            info = flows[flow]
            assert (info["proto"], info["peer"], info["local"]) == (proto, peer, local), flow
            assert stream_state(s, info["stream"]) == "open", flow
            for d, frames in (("c2s", c2s), ("s2c", s2c)):
                n, size = len(frames), sum(map(len, frames))
                assert direction_totals(s, info["stream"], d) == (n, n, 0, size, size, 0), (flow, d)
        cut_stream = flows["truncated ipv4"]["stream"]
        assert value(s, "bpagent_frames_malformed_total", stream=cut_stream, dir="c2s", defect="truncated") == 2
        assert sum(v for n, _, v in s if n == "bpagent_frames_malformed_total") == 2
        assert value(s, "bpagent_streams_total") == len(expected)
    code, log = rig.agent.stop()
    assert code == 0, log
    assert "tcp 10.0.0.1:40000 → 10.0.0.2:5201 [closed]" in log


# (policy, burst): the sleep budget is spent by 1 + 10 failed attempts; drop gives up at the first.
POLICIES = [("wait", 3), ("spin", 3), ("sleep=50us,max=10", 11), ("drop", 1)]
EVERY = 7
FRAMES = 203


@pytest.mark.parametrize("policy, burst", POLICIES)
def test_frames_in_equal_out_plus_dropped(tmp_path, policy, burst):
    """Injected ENOBUFS on every 7th send: the export's books balance per flow, the helper gets
    exactly the frames not dropped, unchanged and in order. The VMM sends in batches of 8 and
    waits for the helper to read them, so the helper's queue (10 datagrams) never fills and
    every buffer-full event is an injected one."""
    rng = random.Random(policy)
    flows = [(f"10.0.0.{i}", 40000 + i) for i in range(1, 4)]
    sent = []
    for k in range(FRAMES):
        src, port = flows[k % 3]
        sent.append(v4_udp(src, port, "10.0.0.9", 9000, rng.randbytes(rng.randrange(0, 1400))))
    with Rig(tmp_path, "--on-full", policy, "--inject", f"enobufs:every={EVERY},burst={burst}") as rig:
        received = []
        dropped_indices = {k for k in range(FRAMES) if (k + 1) % EVERY == 0} if policy in ("drop", "sleep=50us,max=10") else set()
        for start in range(0, FRAMES, 8):
            batch = range(start, min(start + 8, FRAMES))
            for k in batch:
                rig.to_helper(sent[k])
            for _ in range(sum(1 for k in batch if k not in dropped_indices)):
                received.append(rig.helper_receive())
        wait_for_frames(rig, FRAMES)
        assert received == [f for k, f in enumerate(sent) if k not in dropped_indices]
        s = rig.samples()
        events = FRAMES // EVERY
        totals = [0] * 6
        for flow, info in streams_by_flow(s).items():
            t = direction_totals(s, info["stream"], "c2s")
            assert t[0] == t[1] + t[2] and t[3] == t[4] + t[5], f"{flow}: in = out + dropped"
            totals = [a + b for a, b in zip(totals, t)]
        assert totals[0] == FRAMES and totals[3] == sum(map(len, sent))
        assert totals[2] == len(dropped_indices)
        enobufs = sum(v for n, l, v in s if n == "bpagent_buffer_full_total" and l["errno"] == "ENOBUFS")
        eagain = sum(v for n, l, v in s if n == "bpagent_buffer_full_total" and l["errno"] == "EAGAIN")
        retries = sum(v for n, l, v in s if n == "bpagent_retries_total")
        assert (enobufs, eagain) == (events, 0)
        assert retries == {"drop": 0, "sleep=50us,max=10": 10}.get(policy, burst) * events
        reason = {"drop": "policy", "sleep=50us,max=10": "retry_budget"}.get(policy)
        by_reason = {r: sum(v for n, l, v in s if n == "bpagent_drops_total" and l["reason"] == r)
                     for r in ("policy", "retry_budget", "send_error")}
        assert by_reason == {r: (events if r == reason else 0) for r in by_reason}
        assert sum(v for n, _, v in s if n == "bpagent_stall_seconds_count") == events
        how = {"wait": "wait", "spin": "spin", "sleep=50us,max=10": "sleep"}.get(policy)
        if how == "sleep":
            assert sum(v for n, l, v in s if n == "bpagent_retry_seconds_total" and l["how"] == "sleep") >= events * 10 * 50e-6
        others = [v for n, l, v in s if n == "bpagent_retry_seconds_total" and l["how"] != how]
        assert not any(others), "time is booked under the policy's own kind only"
        assert all(v == 0 for n, _, v in s if n == "bpagent_queued_bytes")


def test_vfkit_magic_is_forwarded_and_not_counted(tmp_path):
    frame = v4_udp("10.0.0.1", 1, "10.0.0.2", 2, b"after")
    with Rig(tmp_path) as rig:
        rig.to_helper(b"VFKT")
        assert rig.helper_receive() == b"VFKT"
        rig.to_helper(frame)
        assert rig.helper_receive() == frame
        wait_for_frames(rig, 1)
        s = rig.samples()
        assert value(s, "bpagent_streams_total") == 1
        assert sum(v for n, _, v in s if n == "bpagent_frames_received_total") == 1


def test_idle_flows_are_evicted_and_closed(tmp_path):
    with Rig(tmp_path, "--flow-idle", "0.2") as rig:
        rig.to_helper(v4_udp("10.0.0.1", 1, "10.0.0.2", 2))
        rig.helper_receive()
        wait_until(lambda: value(rig.samples(), "bpagent_flows_evicted_total") == 1, what="an eviction")
        s = rig.samples()
        (info,) = streams_by_flow(s).values()
        assert stream_state(s, info["stream"]) == "closed"
        assert direction_totals(s, info["stream"], "c2s")[:3] == (1, 1, 0), "a closed flow keeps its counts"


def test_overflow_stream_counts_flows_beyond_the_table(tmp_path):
    with Rig(tmp_path, "--max-flows", "2") as rig:
        frames = [v4_udp("10.0.0.1", p, "10.0.0.2", 9) for p in (1, 2, 3, 3, 4)]
        for f in frames:
            rig.to_helper(f)
            assert rig.helper_receive() == f
        wait_for_frames(rig, len(frames))
        s = rig.samples()
        assert value(s, "bpagent_flows_overflow_frames_total") == 3
        overflow = [l for n, l, _ in s if n == "bpagent_stream_info" and l["proto"] == "overflow"]
        assert len(overflow) == 1
        assert sum(direction_totals(s, overflow[0]["stream"], d)[0] for d in ("c2s", "s2c")) == 3


def test_frames_towards_an_unknown_vmm_are_dropped_as_send_errors(tmp_path):
    """A frame from the helper before the VMM ever sent has nowhere to go: counted, not lost silently."""
    with Rig(tmp_path) as rig:
        rig.to_vmm(v4_udp("10.0.0.2", 9, "10.0.0.1", 1))
        wait_for_frames(rig, 1)
        s = rig.samples()
        # The helper's frame starts the flow, so its sender is the client: c2s.
        assert value(s, "bpagent_drops_total", stream="1", dir="c2s", reason="send_error") == 1
        assert value(s, "bpagent_writes_total", stream="1", dir="c2s") == 0


def run_agent(*args):
    return subprocess.run([bpagent_path(), *args], capture_output=True, text=True, timeout=20)


def test_bad_options(tmp_path):
    base = ["unixgram", "--listen", str(tmp_path / "a.sock"), "--connect", str(tmp_path / "b.sock"), "--no-metrics"]
    for extra, message in [
        (["--sndbuf", "1"], 'Error: invalid --sndbuf "1": expected 4k to 64m'),
        (["--max-flows", "0"], "Error: invalid --max-flows 0: expected 1 to 1000000"),
        (["--on-full", "yield"], 'Error: invalid --on-full "yield"'),
    ]:
        r = run_agent(*base, *extra)
        assert r.returncode == 64 and r.stderr.splitlines()[0].startswith(message), r.stderr
    r = run_agent("tap", "--tap", "x0", "--no-metrics")
    assert r.returncode == 64 and r.stderr.splitlines()[0] == "Error: give exactly one of --listen PATH and --connect PATH"
    r = run_agent("tap", "--tap", "x0", "--listen", "a", "--read-delay", "fast", "--no-metrics")
    assert r.returncode == 64 and "invalid --read-delay" in r.stderr.splitlines()[0]


def test_helper_missing_and_listen_path_taken(tmp_path):
    r = run_agent("unixgram", "--listen", str(tmp_path / "a.sock"), "--connect", str(tmp_path / "none.sock"), "--no-metrics")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1] == f"bpagent: error: cannot connect to {tmp_path}/none.sock: No such file or directory"
    precious = tmp_path / "file"
    precious.write_text("keep\n")
    helper = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    helper.bind(str(tmp_path / "h.sock"))
    r = run_agent("unixgram", "--listen", str(precious), "--connect", str(tmp_path / "h.sock"), "--no-metrics")
    helper.close()
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1] == (
        f"bpagent: error: cannot bind {precious}: {precious} exists and is not a socket; refusing to replace it")
    assert precious.read_text() == "keep\n"


def test_a_restarted_helper_gets_frames_again(tmp_path):
    """The helper's socket closes (frames fail: send_error) and a new one is bound at the same
    path: the agent connects again within a second and frames flow; every frame is accounted for."""
    with Rig(tmp_path) as rig:
        first = v4_udp("10.0.0.1", 1, "10.0.0.2", 2, b"one")
        rig.to_helper(first)
        assert rig.helper_receive() == first
        rig.helper.close()
        os.unlink(rig.helper_path)
        rig.to_helper(first)
        wait_for_frames(rig, 2)
        rig.helper = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        rig.helper.bind(rig.helper_path)
        rig.helper.settimeout(0.2)
        sent = 2
        while True:
            rig.to_helper(first)
            sent += 1
            try:
                assert rig.helper_receive() == first
                break
            except socket.timeout:
                assert sent < 100, "the agent never reconnected"
        wait_for_frames(rig, sent)
        delivered = 2  # the first frame, and the one just read
        rig.helper.setblocking(False)
        while True:  # a frame may arrive after its read timed out
            try:
                assert rig.helper_receive() == first
                delivered += 1
            except BlockingIOError:
                break
        s = rig.samples()
        received, writes, drops = direction_totals(s, "1", "c2s")[:3]
        assert (received, writes, drops) == (sent, delivered, sent - delivered)
        assert value(s, "bpagent_drops_total", stream="1", dir="c2s", reason="send_error") == sent - delivered
