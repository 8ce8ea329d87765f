"""`bpagent tap` between a real TAP in a network namespace of the test's own and a helper's
unix datagram socket: frames the kernel routes out of the TAP arrive at the helper whole, once
and in order, whether the agent reads them in batches (the default: reads until the TAP is
empty, then one sendmmsg) or one at a time; frames from the helper go into the TAP; every
frame is counted under its flow. Needs root (a namespace and a TAP)."""
import json
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from frames import direction_totals, streams_by_flow
from harness import Agent, bpagent_path, wait_until

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root for a network namespace and a TAP")

TAP = "bpt0"
SENDER = """
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[1])):
    s.sendto(b"frame %05d " % i + bytes(i % 200), ("10.9.0.2", 5201 + i % 3))
"""


class TapAgent(Agent):
    """`bpagent tap` run inside `ns` (`ip netns exec` execs it: the pid is the agent's), its
    metrics on a socket in `tmp`."""

    def __init__(self, tmp, ns, args):
        self.sock = str(Path(tmp) / "bpagent.sock")
        self.metrics = [f"unix:{self.sock}"]
        self.stderr_path = Path(tmp) / "bpagent-tap.log"
        self.stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(["ip", "netns", "exec", ns, bpagent_path(), *args, "--metrics", self.metrics[0]],
                                     stdout=subprocess.DEVNULL, stderr=self.stderr)
        self.wait_ready()


@pytest.fixture
def namespace():
    ns = f"bptap{os.getpid()}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1"], check=True)
    yield ns
    subprocess.run(["ip", "netns", "del", ns])


def ip(ns, *args):
    return subprocess.run(["ip", "-n", ns, *args], check=True, capture_output=True, text=True).stdout


def tap_rx_packets(ns):
    return json.loads(ip(ns, "-s", "-j", "link", "show", TAP))[0]["stats64"]["rx"]["packets"]


@pytest.mark.parametrize("batch", ["32", "1"])
def test_frames_out_of_and_into_a_tap(tmp_path, namespace, batch):
    helper = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    helper.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    helper.bind(str(tmp_path / "helper.sock"))
    helper.settimeout(10)
    agent_sock = str(tmp_path / "agent.sock")
    with TapAgent(tmp_path, namespace, ["tap", "--tap", TAP, "--connect", str(tmp_path / "helper.sock"),
                                        "--bind", agent_sock, "--receive-batch", batch]) as agent:
        ip(namespace, "link", "set", TAP, "up")
        ip(namespace, "addr", "add", "10.9.0.1/24", "dev", TAP)
        ip(namespace, "neigh", "replace", "10.9.0.2", "lladdr", "02:00:00:00:00:02", "dev", TAP, "nud", "permanent")
        # Out of the TAP: 300 datagrams in a burst, three flows, through the agent to the helper.
        subprocess.run(["ip", "netns", "exec", namespace, "python3", "-c", SENDER, "300"], check=True)
        got = [helper.recv(65536) for _ in range(300)]
        helper.settimeout(0.3)
        with pytest.raises(socket.timeout):
            helper.recv(65536)
        for i, frame in enumerate(got):
            assert frame[12:14] == b"\x08\x00" and frame[23] == 17, frame[:40]
            assert int.from_bytes(frame[36:38], "big") == 5201 + i % 3
            assert frame[42:] == b"frame %05d " % i + bytes(i % 200)
        # Into the TAP: 90 frames from the helper, for another host's MAC (the kernel counts
        # and drops them).
        before = tap_rx_packets(namespace)
        into = [bytes.fromhex("020000000009" "020000000008" "88b5") + bytes(50 + n) for n in range(90)]
        for frame in into:
            helper.sendto(frame, agent_sock)
        wait_until(lambda: tap_rx_packets(namespace) - before == 90, what="90 frames into the TAP")
        time.sleep(0.2)
        assert tap_rx_packets(namespace) - before == 90
        samples = agent.samples()
    flows = streams_by_flow(samples)
    udp = {int(f.rsplit(":", 1)[1]): l["stream"] for f, l in flows.items() if f.startswith("udp 10.9.0.1:")}
    assert sorted(udp) == [5201, 5202, 5203]
    for port, stream in udp.items():
        mine = [got[i] for i in range(300) if 5201 + i % 3 == port]
        size = sum(map(len, mine))
        assert direction_totals(samples, stream, "c2s") == (100, 100, 0, size, size, 0)
    # Frames from the helper without IP endpoints go the relay's way: socket → TAP is s2c.
    other = flows["ethertype 0x88b5"]["stream"]
    size = sum(map(len, into))
    assert direction_totals(samples, other, "s2c") == (90, 90, 0, size, size, 0)
