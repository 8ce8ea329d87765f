"""The seed's own failure mode: after a buffer-full failure the writable event never comes
(libkrun's kqueue on macOS after ENOBUFS). `--inject no-writable` withholds it; the `wait`
policy must still deliver every byte and frame (the retry timer does it), the export says
how each episode ended (`bpagent_wait_recoveries_total{how}`), and the longest stall stays
bounded by the timer. Run with both pollers, so poll(2) — the macOS path — is covered here."""
import random

import pytest

from frames import Rig, direction_totals, streams_by_flow, v4_udp, wait_for_frames
from harness import Agent, free_port, stream_for_peer_port, stream_state, value, wait_until
from relay_scenarios import Sink, exchange_exact

POLLERS = ["epoll", "poll"]


def recoveries(s, stream, d):
    return {how: value(s, "bpagent_wait_recoveries_total", stream=stream, dir=d, how=how) for how in ("event", "timer")}


def episodes(s, stream, d):
    return sum(value(s, "bpagent_buffer_full_total", stream=stream, dir=d, errno=e) for e in ("EAGAIN", "ENOBUFS"))


@pytest.mark.parametrize("poller", POLLERS)
@pytest.mark.parametrize("withheld", [True, False])
def test_tcp_wait_survives_a_missing_writable_event(tmp_path, poller, withheld):
    """Injected ENOBUFS on every 5th write; with the writable event withheld every episode is
    ended by the retry timer, without it by the event (the socket was writable all along)."""
    inject = ["--inject", "enobufs:every=5,burst=1"] + (["--inject", "no-writable"] if withheld else [])
    with Sink(echo=True) as sink:
        with Agent(tmp_path, free_port(), sink.port, "--poller", poller, "--copy", "buffer", *inject) as agent:
            local = exchange_exact(agent.listen_port, 8_000_000, seed=3)
            sid = stream_for_peer_port(agent.samples(), local)
            wait_until(lambda: stream_state(agent.samples(), sid) == "closed", what="stream closed")
            s = agent.samples()
            for d in ("c2s", "s2c"):
                assert value(s, "bpagent_bytes_total", stream=sid, dir=d) == 8_000_000
                writes = int(value(s, "bpagent_writes_total", stream=sid, dir=d))
                enobufs = value(s, "bpagent_buffer_full_total", stream=sid, dir=d, errno="ENOBUFS")
                assert enobufs == writes // 5 > 0
                how = recoveries(s, sid, d)
                assert how["event"] + how["timer"] == episodes(s, sid, d), "every episode ended in a write, counted once"
                if withheld:
                    assert how["event"] == 0, how
                else:
                    # Mostly the event; the timer may still win where a TCP socket had some room
                    # but less than epoll's writable threshold (a third of its buffer).
                    assert how["event"] > 0, how
                assert value(s, "bpagent_stall_max_seconds", stream=sid, dir=d) < 5.0, "bounded by the timer (generous: the machine may be loaded)"
        code, log = agent.stop()
        assert code == 0, log
        assert f"poller {poller}" in log


FRAMES = 203


@pytest.mark.parametrize("poller", POLLERS)
@pytest.mark.parametrize("withheld", [True, False])
def test_unixgram_wait_survives_a_missing_writable_event(tmp_path, poller, withheld):
    """Injected ENOBUFS on every 7th frame each way. Towards the helper (a connected socket,
    whose POLLOUT means room) the event ends the episodes, or the timer when it is withheld;
    towards the VMM (a listening socket, whose POLLOUT means nothing) the timer always does.
    Every frame arrives, in order, and the books balance."""
    rng = random.Random(poller)
    out = [v4_udp("10.0.0.1", 40000, "10.0.0.9", 9000, rng.randbytes(rng.randrange(0, 1400))) for _ in range(FRAMES)]
    back = [v4_udp("10.0.0.9", 9000, "10.0.0.1", 40000, rng.randbytes(rng.randrange(0, 1400))) for _ in range(FRAMES)]
    inject = ["--inject", "enobufs:every=7,burst=1"] + (["--inject", "no-writable"] if withheld else [])
    with Rig(tmp_path, "--poller", poller, *inject) as rig:
        # In batches of 8 the receiver's queue (10 datagrams) never fills: every event is injected.
        for frames, send, receive in ((out, rig.to_helper, rig.helper_receive), (back, rig.to_vmm, rig.vmm_receive)):
            got = []
            for start in range(0, FRAMES, 8):
                batch = frames[start:start + 8]
                for f in batch:
                    send(f)
                got += [receive() for _ in batch]
            assert got == frames, "every frame, unchanged and in order"
        wait_for_frames(rig, 2 * FRAMES)
        s = rig.samples()
        (info,) = streams_by_flow(s).values()
        sid = info["stream"]
        events = FRAMES // 7
        for d, towards_helper in (("c2s", True), ("s2c", False)):
            frames_in, frames_out, dropped = direction_totals(s, sid, d)[:3]
            assert (frames_in, frames_out, dropped) == (FRAMES, FRAMES, 0)
            assert value(s, "bpagent_buffer_full_total", stream=sid, dir=d, errno="ENOBUFS") == events
            how = recoveries(s, sid, d)
            if towards_helper and not withheld:
                assert how == {"event": events, "timer": 0}
            else:
                assert how == {"event": 0, "timer": events}
            assert value(s, "bpagent_stall_max_seconds", stream=sid, dir=d) < 5.0, "bounded by the timer (generous: the machine may be loaded)"


def test_a_withheld_event_that_comes_late(tmp_path):
    """`no-writable:for=20ms`: the event comes 20 ms after each failure, after the 1 ms timer,
    so the timer still ends every injected episode; the data arrives byte-exact."""
    with Sink(echo=True) as sink:
        with Agent(tmp_path, free_port(), sink.port, "--copy", "buffer", "--inject", "enobufs:every=5,burst=1",
                   "--inject", "no-writable:for=20ms") as agent:
            local = exchange_exact(agent.listen_port, 2_000_000, seed=4)
            sid = stream_for_peer_port(agent.samples(), local)
            wait_until(lambda: stream_state(agent.samples(), sid) == "closed", what="stream closed")
            s = agent.samples()
            for d in ("c2s", "s2c"):
                how = recoveries(s, sid, d)
                assert how["event"] + how["timer"] == episodes(s, sid, d)
                assert how["timer"] >= value(s, "bpagent_buffer_full_total", stream=sid, dir=d, errno="ENOBUFS") > 0
        assert agent.stop()[0] == 0
