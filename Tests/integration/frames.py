"""Synthetic Ethernet frames and a unix datagram rig around a real `bpagent unixgram`.

The rig plays both neighbours of the agent: a VMM socket that sends to the agent's
`--listen` path and a helper socket bound at its `--connect` path, all in a temporary
directory. Frames are built with struct, big-endian as on the wire.
"""
import ipaddress
import socket
import struct
import subprocess
from pathlib import Path

from harness import Agent, bpagent_path, wait_until

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")


def ethernet(ethertype, payload, vlan=None, src=MAC_A, dst=MAC_B):
    tag = struct.pack("!HH", 0x8100, vlan) if vlan is not None else b""
    return dst + src + tag + struct.pack("!H", ethertype) + payload


def ipv4(src, dst, proto, payload, ihl=5):
    options = b"\x01" * (ihl * 4 - 20)
    head = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 20 + len(options) + len(payload), 0, 0, 64, proto, 0,
                       ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed)
    return head + options + payload


def ipv6(src, dst, next_header, payload):
    return (struct.pack("!IHBB", 0x60000000, len(payload), next_header, 64)
            + ipaddress.IPv6Address(src).packed + ipaddress.IPv6Address(dst).packed + payload)


def tcp(sport, dport, data=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x18, 65535, 0, 0) + data


def udp(sport, dport, data=b""):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def v4_tcp(src, sport, dst, dport, data=b"", vlan=None):
    return ethernet(0x0800, ipv4(src, dst, 6, tcp(sport, dport, data)), vlan=vlan)


def v4_udp(src, sport, dst, dport, data=b"", vlan=None):
    return ethernet(0x0800, ipv4(src, dst, 17, udp(sport, dport, data)), vlan=vlan)


def v6_tcp(src, sport, dst, dport, data=b""):
    return ethernet(0x86dd, ipv6(src, dst, 6, tcp(sport, dport, data)))


def v6_udp(src, sport, dst, dport, data=b""):
    return ethernet(0x86dd, ipv6(src, dst, 17, udp(sport, dport, data)))


def arp(sender, target):
    body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, MAC_A, ipaddress.IPv4Address(sender).packed,
                       b"\0" * 6, ipaddress.IPv4Address(target).packed)
    return ethernet(0x0806, body)


class Rig:
    """VMM socket ⇄ bpagent unixgram ⇄ helper socket; use as a context manager."""

    def __init__(self, tmp, *extra):
        tmp = Path(tmp)
        self.listen = str(tmp / "vm.sock")
        self.helper_path = str(tmp / "helper.sock")
        self.helper = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.helper.bind(self.helper_path)
        self.vmm = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.vmm.bind(str(tmp / "vmm.sock"))
        for s in (self.helper, self.vmm):
            s.settimeout(10)
        self.agent = DatagramAgent(tmp, ["unixgram", "--listen", self.listen, "--connect", self.helper_path,
                                         "--bind", str(tmp / "agent-out.sock"), *extra])
        self.vmm.connect(self.listen)
        self.agent_out = None

    def to_helper(self, frame):
        """VMM → agent → helper."""
        self.vmm.send(frame)

    def helper_receive(self):
        data, addr = self.helper.recvfrom(1 << 17)
        self.agent_out = addr
        return data

    def to_vmm(self, frame):
        """helper → agent → VMM (the helper answers the agent's bound address)."""
        self.helper.sendto(frame, self.agent_out or str(Path(self.listen).parent / "agent-out.sock"))

    def vmm_receive(self):
        return self.vmm.recv(1 << 17)

    def samples(self):
        return self.agent.samples()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.agent.stop()
        self.helper.close()
        self.vmm.close()


class DatagramAgent(Agent):
    """A running `bpagent unixgram` (or `tap`) with its metrics on a socket in `tmp`."""

    def __init__(self, tmp, args):
        self.sock = str(Path(tmp) / "bpagent.sock")
        self.metrics = [f"unix:{self.sock}"]
        self.stderr_path = Path(tmp) / "bpagent-dgram.log"
        self.stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([bpagent_path(), *args, "--metrics", self.metrics[0]],
                                     stdout=subprocess.DEVNULL, stderr=self.stderr)
        self.wait_ready()


def streams_by_flow(samples):
    """stream_info labels keyed by the `flow` label."""
    return {l["flow"]: l for n, l, _ in samples if n == "bpagent_stream_info" and "flow" in l}


def direction_totals(samples, stream, d):
    """(frames received, writes, drops, bytes received, bytes written, bytes dropped) of one stream-direction."""
    def total(name):
        return sum(v for n, l, v in samples if n == name and l.get("stream") == stream and l.get("dir") == d)
    return (total("bpagent_frames_received_total"), total("bpagent_writes_total"), total("bpagent_drops_total"),
            total("bpagent_received_bytes_total"), total("bpagent_bytes_total"), total("bpagent_dropped_bytes_total"))


def wait_for_frames(rig, count, timeout=20):
    """Until the agent has taken `count` frames in (both ways, all flows)."""
    def taken():
        return sum(v for n, _, v in rig.samples() if n == "bpagent_frames_received_total") >= count
    wait_until(taken, timeout=timeout, what=f"{count} frames received by the agent")
