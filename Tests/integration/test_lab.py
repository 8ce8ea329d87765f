"""The namespace lab end to end (root and /dev/net/tun needed, else skipped): iperf3 -P 4
--bidir between two network namespaces through `bpagent unixgram`, every data flow in the
agent's export with bytes matching iperf3's within 1 %."""
import json
import time
import os
import shutil
import subprocess
import uuid

import pytest

from harness import ROOT, bpagent_path, parse_metrics, curl_unix
from tui import bptop_path

# The agent counts whole Ethernet frames, iperf3 counts TCP payload: every data frame carries
# 14 (Ethernet) + 20 (IPv4) + 20 (TCP) + 12 (timestamp option) header bytes.
HEADER_BYTES = 66

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="the lab needs root (network namespaces, TAP devices)"),
    pytest.mark.skipif(not os.path.exists("/dev/net/tun"), reason="the lab needs /dev/net/tun"),
    pytest.mark.skipif(shutil.which("iperf3") is None or shutil.which("ip") is None, reason="needs iperf3 and ip"),
]


def lab(env, *args, check=True):
    return subprocess.run(["bash", str(ROOT / "Scripts" / "lab"), *args], env=env, capture_output=True, text=True,
                          timeout=120, check=check)


@pytest.fixture
def lab_env(tmp_path):
    tag = uuid.uuid4().hex[:6]
    env = dict(os.environ, LAB_DIR=str(tmp_path / "lab"), NS_A=f"bpt{tag}a", NS_B=f"bpt{tag}b",
               BPAGENT=bpagent_path())
    try:
        yield env
    finally:
        lab(env, "down", check=False)
        names = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        assert env["NS_A"] not in names and env["NS_B"] not in names, "down removes the namespaces"


def settled_metrics(sock):
    """The agent's samples once two scrapes 200 ms apart agree on every byte count: iperf3 can
    return while its last frames are still crossing the agent on a loaded machine."""
    previous = None
    for _ in range(25):
        samples = parse_metrics(curl_unix(sock))
        counts = sorted((n, tuple(sorted(l.items())), v) for n, l, v in samples if n == "bpagent_bytes_total")
        if counts == previous:
            return samples
        previous = counts
        time.sleep(0.2)
    return samples


def test_iperf3_flows_are_counted_per_flow(lab_env):
    up = lab(lab_env, "up", check=False)
    assert up.returncode == 0, up.stderr
    status = lab(lab_env, "status").stdout
    assert "agent: pid" in status and "running" in status
    run = subprocess.run(["ip", "netns", "exec", lab_env["NS_A"], "iperf3", "-c", "10.77.0.2", "-P", "4", "-t", "3", "-b", "10M",
                          "--bidir", "--json"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr
    report = json.loads(run.stdout)
    ports = {c["socket"]: (f'{c["local_host"]}:{c["local_port"]}', f'{c["remote_host"]}:{c["remote_port"]}')
             for c in report["start"]["connected"]}
    samples = settled_metrics(os.path.join(lab_env["LAB_DIR"], "agent.sock"))
    flows = {(l["peer"], l["local"]): l["stream"] for n, l, _ in samples if n == "bpagent_stream_info"}

    def total(name, stream, d):
        return sum(v for n, l, v in samples if n == name and l.get("stream") == stream and l.get("dir") == d)

    streams = report["end"]["streams"]
    assert len(streams) == 8
    for s in streams:
        sent = s["sender"]
        peer, local = ports[sent["socket"]]
        stream = flows[(peer, local)]
        d = "c2s" if sent["sender"] else "s2c"
        payload = total("bpagent_bytes_total", stream, d) - HEADER_BYTES * total("bpagent_writes_total", stream, d)
        # The streams are paced (-b 10M), so what the sender wrote left its socket buffer: the
        # agent must have seen it, within 1 %. The receiver may stop counting with data still in
        # flight on a loaded machine, but everything it counted crossed the agent.
        written, received = sent["bytes"], s["receiver"]["bytes"]
        # A retransmitted segment crosses the agent twice (at most one MSS of payload each).
        resent = sent.get("retransmits", 0) * 1448
        assert -0.01 * written <= payload - written <= 0.01 * written + resent, (peer, d, payload, written, received, resent)
        assert payload >= 0.99 * received, (peer, d, payload, written, received)
    # bptop reads the lab's agent like any other: a row per flow and direction, "local → peer".
    once = subprocess.run([bptop_path(), "--source", f"unix:{lab_env['LAB_DIR']}/agent.sock", "--once", "--json",
                           "--interval", "200ms"], capture_output=True, text=True, timeout=30)
    assert once.returncode == 0, once.stderr
    shown = {(r["endpoints"], r["dir"]) for r in json.loads(once.stdout)["streams"]}
    for s in streams:
        peer, local = ports[s["sender"]["socket"]]
        assert (f"{local} → {peer}", "c2s" if s["sender"]["sender"] else "s2c") in shown
    # The iperf3 join works on flows too (by 5-tuple): every iperf3 stream finds its flow.
    report = subprocess.run([bptop_path(), "report", "--iperf3", "-", "--json", "--source",
                             f"unix:{lab_env['LAB_DIR']}/agent.sock"], input=run.stdout, capture_output=True, text=True,
                            timeout=30)
    assert report.returncode == 0, report.stderr
    joined = [r for r in json.loads(report.stdout)["tests"][0]["streams"] if not r["sum"]]
    assert len(joined) == 8
    for r in joined:
        assert r["agent"] is not None and r["agent"]["stream"] == flows[(r["local"], r["remote"])], r
        assert r["agent"]["dir"] == r["dir"]
    for stream in set(flows.values()):
        for d in ("c2s", "s2c"):
            assert total("bpagent_frames_received_total", stream, d) == (
                total("bpagent_writes_total", stream, d) + total("bpagent_drops_total", stream, d))
    assert lab(lab_env, "down").returncode == 0
    assert "lab is down" in lab(lab_env, "status").stdout


def test_a_failed_up_removes_what_it_made(lab_env, tmp_path):
    """An endpoint that dies at once (a bpagent that answers `unixgram --help` and fails every
    real run): `up` times out, says so, and leaves no namespace, pid file or socket behind (the
    fixture checks the namespaces too)."""
    dying = tmp_path / "dying-bpagent"
    dying.write_text('#!/bin/sh\n[ "$2" = "--help" ] && exit 0\nexit 1\n')
    dying.chmod(0o755)
    env = dict(lab_env, BPAGENT=str(dying))
    up = lab(env, "up", check=False)
    assert up.returncode == 1
    assert "lab: timed out waiting for the helper socket" in up.stderr
    assert "up failed; cleaning up" in up.stderr
    assert "lab is down" in lab(env, "status").stdout
    assert not os.path.exists(os.path.join(env["LAB_DIR"], "pids"))


def test_a_bpagent_without_unixgram_is_refused_up_front(lab_env):
    env = dict(lab_env, BPAGENT="/bin/false")
    up = lab(env, "up", check=False)
    assert (up.returncode, up.stderr) == (1, "lab: /bin/false has no unixgram mode: build it (swift build -c release) or set BPAGENT\n")
    assert "lab is down" in lab(env, "status").stdout
