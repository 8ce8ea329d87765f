"""iperf3 -u through the relay: every datagram accounted for, before, inside and after the agent.

Each stream-direction's books, with N datagrams sent by iperf3's sender, H the highest sequence
number its receiver saw and L the ones it counted lost below H (both from iperf3 --json of that
end), and the agent's own counts:
  sender:   N = agent received + K        (K: dropped by the kernel at the agent's socket queue)
  agent:    received = written + P         (P: dropped by the agent's policy)
  receiver: H - L = written - (written datagrams after H: the unread tail at the end of the run)
            L = K + P (below H) + lost beyond the agent (none here: iperf3 runs with -w 4M)
Sequence numbers start at 1; each direction's first datagram is iperf3's 4-byte hello (c2s) or
its reply (s2c), so data datagram s is the direction's write operation s + 1.
"""
import json
import os
import signal
import socket
import subprocess
import time

import pytest

from harness import Agent, free_port, stop_process, value, wait_listening, wait_until
from tui import bptop_path

HELLO = 4
# iperf3's socket buffers, so nothing is lost beyond the agent (its receiver reads in bursts).
WINDOW = ["-w", "4M"]


def iperf3_udp_run(tmp_path, agent_extra=(), client_args=(), during=None, report=None):
    """`iperf3 -s -1 --json` behind a relay started with `agent_extra`, and `iperf3 -c … -u --json`
    through it; `during(agent)` runs while the client does. Returns the agent's samples once its
    books settle and the data stream-directions (see `directions`); with `report`, calls
    `report(agent, client_json_path)` then, while the agent still runs."""
    server_port = free_port()
    with open(tmp_path / "iperf3-s.json", "wb") as out:
        server = subprocess.Popen(["iperf3", "-s", "-1", "--json", "-p", str(server_port)], stdout=out,
                                  stderr=subprocess.DEVNULL)
    try:
        wait_listening(server_port)
        with Agent(tmp_path, free_port(), server_port, *agent_extra) as agent:
            client = subprocess.Popen(["iperf3", "-c", "127.0.0.1", "-p", str(agent.listen_port), "-u", "--json",
                                       *WINDOW, *client_args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if during:
                during(agent)
            out, err = client.communicate(timeout=90)
            assert client.returncode == 0, out.decode()[-2000:] + err.decode()
            server.wait(timeout=30)
            (tmp_path / "iperf3-c.json").write_bytes(out)
            client_report = json.loads(out)
            server_report = json.loads((tmp_path / "iperf3-s.json").read_text())
            streams = directions(agent, client_report, server_report)
            # The agent has read everything once its count plus the kernel's reaches what was sent.
            wait_until(lambda: settled(agent.samples(), streams), what="the agent's books to settle")
            if report:
                report(agent, tmp_path / "iperf3-c.json")
            return agent.samples(), streams
    finally:
        stop_process(server)


def per_socket(report):
    """socket → what that end's iperf3 says: a sender its datagrams and bytes sent (`N`, `bytes`),
    a receiver, from its intervals, the highest sequence number it saw (`H`, the sum of the
    intervals' packets), the datagrams it counted lost below it (`L`) and the bytes it got.
    (A receiver's end summary gives the sender's count as its packets, not what it saw.)"""
    out = {}
    for s in report["end"]["streams"]:
        u = s["udp"]
        out[u["socket"]] = dict(sender=u["sender"], N=u["packets"], bytes=u["bytes"], H=0, L=0, received=0)
    for interval in report["intervals"]:
        for i in interval["streams"]:
            if not i["sender"]:
                r = out[i["socket"]]
                r["H"] += i["packets"]
                r["L"] += i["lost_packets"]
                r["received"] += i["bytes"]
    return out, report["start"]["test_start"]["blksize"]


def directions(agent, client_report, server_report):
    """One entry per data stream-direction: the agent's stream id, direction, and both ends' figures."""
    samples = agent.samples()
    info = [l for n, l, _ in samples if n == "bpagent_stream_info" and l["proto"] == "udp"]
    by_peer = {int(l["peer"].rsplit(":", 1)[1]): l for l in info}
    client, blksize = per_socket(client_report)
    server, _ = per_socket(server_report)
    server_by_port = {c["remote_port"]: c["socket"] for c in server_report["start"]["connected"]}
    result = []
    for c in client_report["start"]["connected"]:
        stream = by_peer[c["local_port"]]
        mine = client[c["socket"]]
        theirs = server[server_by_port[int(stream["upstream_local"].rsplit(":", 1)[1])]]
        sender, receiver, direction = (mine, theirs, "c2s") if mine["sender"] else (theirs, mine, "s2c")
        assert sender["sender"] and not receiver["sender"]
        result.append(dict(stream=stream["stream"], dir=direction, back="s2c" if direction == "c2s" else "c2s",
                           N=sender["N"], sent_bytes=sender["bytes"], H=receiver["H"], L=receiver["L"],
                           received_bytes=receiver["received"], blksize=blksize))
    return result


def figures(samples, stream, direction):
    """The agent's counts for one stream-direction."""
    def v(name, **labels):
        return int(value(samples, name, stream=stream, dir=direction, **labels))
    drops = {r: v("bpagent_drops_total", reason=r) for r in ("policy", "retry_budget", "send_error", "too_large", "no_stream")}
    return dict(received=v("bpagent_frames_received_total"), received_bytes=v("bpagent_received_bytes_total"),
                written=v("bpagent_writes_total"), bytes=v("bpagent_bytes_total"), drops=drops,
                dropped_bytes=sum(v("bpagent_dropped_bytes_total", reason=r) for r in drops),
                kernel=v("bpagent_kernel_drops_total"),
                events=v("bpagent_buffer_full_total", errno="ENOBUFS"), retries=v("bpagent_retries_total", errno="ENOBUFS"))


def settled(samples, streams):
    for s in streams:
        a = figures(samples, s["stream"], s["dir"])
        if a["received"] - 1 + a["kernel"] != s["N"] or a["written"] + sum(a["drops"].values()) != a["received"]:
            return False
    return True


def check_books(samples, streams, dropped_below=lambda s, h: 0, dropped_total=lambda s: 0):
    """The books above, exactly, for every data stream-direction; `dropped_below(s, H)` is the
    number of the agent's policy drops among data datagrams 1..H, `dropped_total(s)` all of them.
    Returns the loss lines: where each direction's loss happened."""
    lines = []
    for s in streams:
        a = figures(samples, s["stream"], s["dir"])
        back = figures(samples, s["stream"], s["back"])
        n, h, lost, blk = s["N"], s["H"], s["L"], s["blksize"]
        # The sender's datagrams: each reached the agent or was dropped at its socket's queue.
        assert s["sent_bytes"] == n * blk
        assert a["received"] - 1 + a["kernel"] == n, (s, a)
        assert a["received_bytes"] - HELLO == (n - a["kernel"]) * blk, (s, a)
        # Inside the agent: each datagram read was written or dropped, whole.
        policy = sum(a["drops"].values())
        assert a["written"] + policy == a["received"] and a["bytes"] + a["dropped_bytes"] == a["received_bytes"], (s, a)
        assert policy == dropped_total(s), (s, a)
        # The receiver got what the agent wrote up to H; what it counts lost is what the kernel
        # and the policy dropped there (kernel drops happen mid-run, never in the tail here).
        tail = (n - h) - (policy - dropped_below(s, h))
        assert h - lost == a["written"] - 1 - tail, (s, a, tail)
        assert s["received_bytes"] == (h - lost) * blk, s
        assert lost == a["kernel"] + dropped_below(s, h), (s, a)
        # Against the data only the hello and its reply travel.
        assert (back["received"], back["written"], back["kernel"]) == (1, 1, 0), (s, back)
        lines.append(f'{s["dir"]}: {lost:,} of {h:,} datagrams lost: {a["kernel"]:,} in the agent\'s receive queue, '
                     f'{dropped_below(s, h):,} dropped by policy, {lost - a["kernel"] - dropped_below(s, h):,} beyond the agent')
    return lines


def test_iperf3_udp_parallel_bidir_every_datagram_accounted(tmp_path):
    samples, streams = iperf3_udp_run(tmp_path, client_args=["-b", "200M", "-P", "4", "--bidir", "-t", "5"])
    assert sorted((s["dir"]) for s in streams) == ["c2s"] * 4 + ["s2c"] * 4
    assert len({s["stream"] for s in streams}) == 8
    info = [l for n, l, _ in samples if n == "bpagent_stream_info"]
    assert sorted(l["proto"] for l in info) == ["tcp"] + ["udp"] * 8, "the control connection stays on TCP"
    lines = check_books(samples, streams)
    assert all(s["N"] > 1000 for s in streams)
    assert all(line.endswith("0 in the agent's receive queue, 0 dropped by policy, 0 beyond the agent") for line in lines), lines


def test_udp_metrics_pass_promtool(tmp_path):
    samples_text = {}

    def scrape(agent):
        time.sleep(1.5)
        samples_text["text"] = agent.scrape()
    iperf3_udp_run(tmp_path, client_args=["-b", "10M", "-t", "2"], during=scrape)
    r = subprocess.run(["promtool", "check", "metrics"], input=samples_text["text"], capture_output=True, text=True)
    assert (r.returncode, r.stdout + r.stderr) == (0, "")
    assert 'proto="udp"' in samples_text["text"] and "bpagent_kernel_drops_total{" in samples_text["text"]


@pytest.mark.parametrize("policy", ["wait", "drop"])
def test_injected_enobufs_exact_counts(tmp_path, policy):
    every, burst = (7, 2) if policy == "wait" else (7, 1)
    samples, streams = iperf3_udp_run(
        tmp_path, agent_extra=["--on-full", policy, "--inject", f"enobufs:every={every},burst={burst}"],
        client_args=["-b", "50M", "-P", "2", "--bidir", "-t", "3"])
    assert len(streams) == 4
    if policy == "wait":
        check_books(samples, streams)
        for s in streams:
            for d in (s["dir"], s["back"]):
                a = figures(samples, s["stream"], d)
                assert (a["events"], a["retries"]) == (a["written"] // every, burst * (a["written"] // every)), (s, d, a)
    else:
        # Operation k of a direction fails when k % every == 0: data datagram s is operation s + 1.
        lines = check_books(samples, streams, dropped_below=lambda s, h: (h + 1) // every,
                            dropped_total=lambda s: (s["N"] + 1) // every)
        for s in streams:
            a = figures(samples, s["stream"], s["dir"])
            assert a["drops"]["policy"] == (s["N"] + 1) // every and a["events"] == a["drops"]["policy"]
            assert a["retries"] == 0
            # iperf3's lost count is the agent's policy drops, but for those after the receiver's last datagram.
            assert s["L"] == a["drops"]["policy"] - ((s["N"] + 1) // every - (s["H"] + 1) // every)
        assert all(" 0 in the agent's receive queue" in line and line.endswith(" 0 beyond the agent") for line in lines), lines


def test_stopping_the_agent_shows_as_kernel_drops(tmp_path):
    """SIGSTOP the agent for 300 ms mid-run: both ways its socket queues overflow, and the
    kernel's count says exactly how many datagrams never reached it."""
    def pause(agent):
        time.sleep(1.5)
        os.kill(agent.proc.pid, signal.SIGSTOP)
        time.sleep(0.3)
        os.kill(agent.proc.pid, signal.SIGCONT)
    printed = {}

    def bptop_report(agent, client_json):
        r = subprocess.run([bptop_path(), "report", "--iperf3", str(client_json), "--source", agent.sock],
                           capture_output=True, text=True, timeout=60, env={**os.environ, "COLUMNS": "200"})
        assert r.returncode == 0, r.stderr
        printed["lines"] = [line for line in r.stdout.splitlines() if "datagrams lost" in line]
    samples, streams = iperf3_udp_run(tmp_path, agent_extra=["--udp-rcvbuf", "256k"],
                                      client_args=["-b", "200M", "--bidir", "-t", "4"], during=pause, report=bptop_report)
    lines = check_books(samples, streams)
    for s in streams:
        assert figures(samples, s["stream"], s["dir"])["kernel"] > 0, s
        assert s["L"] > 0
    assert all(line.endswith("0 dropped by policy, 0 beyond the agent") for line in lines), lines
    # bptop's loss line: iperf3's lost of sent per direction, placed with the agent's exact counts.
    client = json.loads((tmp_path / "iperf3-c.json").read_text())
    expected = []
    for d in ("c2s", "s2c"):
        mine = [s for s in streams if s["dir"] == d]
        kernel = sum(figures(samples, s["stream"], d)["kernel"] for s in mine)
        ends = [e["udp"] for e in client["end"]["streams"] if e["udp"]["sender"] == (d == "c2s")]
        lost, sent = sum(e["lost_packets"] for e in ends), sum(e["packets"] for e in ends)
        expected.append(f"{d}: {lost:,} of {sent:,} datagrams lost: {kernel:,} in the agent's receive queue, "
                        f"0 dropped by policy, {max(0, lost - kernel):,} beyond the agent")
    assert printed["lines"] == expected


def udp_target():
    target = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    target.bind(("127.0.0.1", 0))
    target.settimeout(10)
    return target


def test_a_datagram_larger_than_the_buffer_is_dropped_whole(tmp_path):
    with udp_target() as target, Agent(tmp_path, free_port(), target.getsockname()[1], "--proto", "udp",
                                       "--buffer-size", "32k") as agent:
        client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        with client:
            client.connect(("127.0.0.1", agent.listen_port))
            for size, fill in [(100, b"a"), (65_507, b"b"), (32_768, b"c"), (32_769, b"d"), (1, b"e")]:
                client.send(fill * size)
            assert [target.recv(70_000) for _ in range(3)] == [b"a" * 100, b"c" * 32_768, b"e"]
        wait_until(lambda: value(agent.samples(), "bpagent_drops_total", stream=1, dir="c2s", reason="too_large") == 2,
                   what="two too_large drops")
        samples = agent.samples()
        assert value(samples, "bpagent_dropped_bytes_total", stream=1, dir="c2s", reason="too_large") == 65_507 + 32_769
        assert value(samples, "bpagent_writes_total", stream=1, dir="c2s") == 3
        assert value(samples, "bpagent_bytes_total", stream=1, dir="c2s") == 32_869
        assert value(samples, "bpagent_frames_received_total", stream=1, dir="c2s") == 5


def test_clients_beyond_the_cap_are_counted(tmp_path):
    with udp_target() as target, Agent(tmp_path, free_port(), target.getsockname()[1], "--max-udp-streams", "2") as agent:
        clients = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(3)]
        try:
            for n, c in enumerate(clients):
                c.connect(("127.0.0.1", agent.listen_port))
                c.send(b"x" * (10 + n))
                if n < 2:
                    assert target.recv(100) == b"x" * (10 + n)
            wait_until(lambda: value(agent.samples(), "bpagent_flows_overflow_frames_total") == 1, what="the overflow")
            samples = agent.samples()
            info = [l for n, l, _ in samples if n == "bpagent_stream_info"]
            assert [l["proto"] for l in info] == ["udp", "udp", "overflow"]
            overflow = info[2]["stream"]
            wait_until(lambda: value(agent.samples(), "bpagent_drops_total", stream=overflow, dir="c2s", reason="no_stream") == 1,
                       what="the no_stream drop")
            assert value(agent.samples(), "bpagent_dropped_bytes_total", stream=overflow, dir="c2s", reason="no_stream") == 12
        finally:
            for c in clients:
                c.close()
        assert "2 streams open (--max-udp-streams)" in agent.log()
