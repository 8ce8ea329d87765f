"""A real VM on the boundary (root, /dev/net/tun and QEMU needed, else skipped with the reason):
Debian's QEMU boots Debian's cloud kernel with a busybox initramfs whose iperf3 runs through
`bpagent unixgram` (QEMU -netdev dgram) or `bpagent stream` (QEMU -netdev stream to passt).
Every run checks the agent's books exactly and the data flow's bytes against the guest's
iperf3; bptop follows the guest's iperf3 output and joins its stream to the agent's flow."""
import json
import os
import re
import shutil
import subprocess
import uuid

import pytest

from harness import ROOT, bpagent_path, curl_unix, free_port, parse_metrics
from tui import Tmux, bptop_path

# Frames carry 14 (Ethernet) + 20 (IPv4) + 20 (TCP) bytes around the payload, and 12 more for
# TCP timestamps when both ends use them: the namespace's Linux does, passt (which terminates the
# guest's TCP itself) does not. QEMU's socket netdevs have no offloads: no frame exceeds the MTU.
HEADER_BYTES = {"datagram": 66, "stream": 54}

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="the VM lab needs root (a namespace, a TAP device, passt as nobody)"),
    pytest.mark.skipif(not os.path.exists("/dev/net/tun"), reason="the VM lab needs /dev/net/tun"),
    pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None,
                       reason="qemu-system-x86_64 is not installed (bash Scripts/setup installs Debian's qemu-system-x86)"),
]


def vm_lab(env, *args, check=True, timeout=300):
    return subprocess.run(["bash", str(ROOT / "Scripts" / "vm-lab"), *args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=check)


def leftovers(env, passt_dir=None):
    """What `down` must have removed: namespace (and its TAP), sockets, passt's directory, processes."""
    found = [passt_dir] if passt_dir and os.path.exists(passt_dir) else []
    if env["VM_NS"] in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout:
        found.append("netns " + env["VM_NS"])
    for root, _, files in os.walk(env["VM_DIR"]):
        found += [os.path.join(root, f) for f in files if f.endswith(".sock")]
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    found += [line for line in ps.splitlines()
              if (env["VM_DIR"] in line or (passt_dir and passt_dir in line)) and "pytest" not in line]
    return found


@pytest.fixture
def vm_env(tmp_path):
    tag = uuid.uuid4().hex[:6]
    env = dict(os.environ, VM_DIR=str(tmp_path / "vm"), VM_NS=f"bpvm{tag}", BPAGENT=bpagent_path(), BPTOP=bptop_path(),
               VM_PORT=str(free_port()), VM_TIMEOUT="100")
    try:
        yield env
    finally:
        record = os.path.join(env["VM_DIR"], "passt-dir")
        passt_dir = open(record).read().strip() if os.path.exists(record) else None
        vm_lab(env, "down", check=False)
        assert leftovers(env, passt_dir) == [], "down leaves nothing behind"


def books(samples):
    """Per stream and dir: the counters the checks need, from one scrape."""
    out = {}
    for name, labels, value in samples:
        if "stream" not in labels or "dir" not in labels:
            continue
        entry = out.setdefault((labels["stream"], labels["dir"]), {})
        key = name if "reason" not in labels else f"{name}:{labels['reason']}"
        if "errno" in labels:
            key = f"{name}:{labels['errno']}"
        entry[key] = entry.get(key, 0) + value
        entry.setdefault(name, 0)
        if key != name:
            entry[name] += value
    return out


def run_guest(env, mode, on_full, inject, tmp_path, follow=False):
    env = dict(env, VM_MODE=mode, ON_FULL=on_full, INJECT=inject)
    up = vm_lab(env, "up", mode, check=False)
    assert up.returncode == 0, up.stderr
    log = os.path.join(env["VM_DIR"], "iperf3.log")
    agent = os.path.join(env["VM_DIR"], "agent.sock")
    tmux = Tmux(tmp_path) if follow else None
    try:
        if tmux:
            tmux.start("vm", [env["BPTOP"], "--source", f"unix:{agent}", "--iperf3", log])
        # Paced below what TCG manages (20-250 Mbit/s): no queue overflows, so no retransmitted
        # bytes the agent would count twice and iperf3's receiver once.
        run = subprocess.Popen(["bash", str(ROOT / "Scripts" / "vm-lab"), "run", "-t", "5", "-b", "10M"], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if tmux:
            # While the guest runs: its stream is joined to the agent's flow by 5-tuple.
            tmux.wait_screen("vm", lambda l: any(re.search(r"\b1 streams?, 1 of 1 joined · running", x) for x in l),
                             timeout=120, what="the guest's iperf3 stream joined to its flow while it runs")
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err + open(os.path.join(env["VM_DIR"], "console.log"), errors="replace").read()[-3000:]
        if tmux:
            tmux.wait_screen("vm", lambda l: any(re.search(r"\b1 streams?, 1 of 1 joined · finished", x) for x in l),
                             timeout=30, what="the run finished, still joined")
    finally:
        if tmux:
            tmux.close()
    text = open(log).read()
    samples = parse_metrics(curl_unix(agent))
    report = subprocess.run([env["BPTOP"], "report", "--iperf3", log, "--json", "--source", f"unix:{agent}"],
                            capture_output=True, text=True, timeout=30)
    assert report.returncode == 0, report.stderr
    return text, samples, json.loads(report.stdout)


def check_run(mode, text, samples, report, on_full, inject_every, burst):
    assert "iperf Done." in text, text
    counts = books(samples)
    # Frames in = out + dropped, exactly, for every stream and direction.
    for key, c in counts.items():
        assert c.get("bpagent_frames_received_total", 0) == c.get("bpagent_writes_total", 0) + c.get("bpagent_drops_total", 0), (key, c)
        assert c.get("bpagent_received_bytes_total", 0) == c.get("bpagent_bytes_total", 0) + c.get("bpagent_dropped_bytes_total", 0), (key, c)
    # The guest's one data stream joined to the agent's flow by 5-tuple.
    streams = [s for s in report["tests"][0]["streams"] if not s["sum"]]
    assert len(streams) == 1 and streams[0]["agent"] is not None, streams
    stream, d = streams[0]["agent"]["stream"], streams[0]["agent"]["dir"]
    data = counts[(stream, d)]
    payload = data["bpagent_bytes_total"] - HEADER_BYTES[mode] * data["bpagent_writes_total"]
    received = re.search(r"([\d.]+) (K|M|G)Bytes\s+[\d.]+ \w?bits/sec\s+receiver", text)
    assert received, text
    iperf3_bytes = float(received.group(1)) * {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[received.group(2)]
    if on_full == "wait":
        assert abs(payload - iperf3_bytes) <= 0.01 * iperf3_bytes, (payload, iperf3_bytes, text)
    # Injection: every Nth first send of a frame in each relay direction fails `burst` times.
    # The guest opens every flow, so c2s is VM → helper for all of them.
    for relay_dir in ("c2s", "s2c"):
        mine = [c for (_, dd), c in counts.items() if dd == relay_dir]
        sends = sum(c.get("bpagent_writes_total", 0) + c.get("bpagent_drops_total", 0)
                    - c.get("bpagent_drops_total:too_large", 0) for c in mine)
        enobufs = sum(c.get("bpagent_buffer_full_total:ENOBUFS", 0) for c in mine)
        eagain = sum(c.get("bpagent_buffer_full_total:EAGAIN", 0) for c in mine)
        retries = sum(c.get("bpagent_retries_total:ENOBUFS", 0) for c in mine)
        drops = sum(c.get("bpagent_drops_total:policy", 0) for c in mine)
        if on_full == "wait":
            # Each injected event retries the same frame: `burst` retries after ENOBUFS, no loss.
            assert enobufs == sends // inject_every, (relay_dir, enobufs, sends)
            assert retries == burst * enobufs and drops == 0, (relay_dir, retries, enobufs)
        else:
            # `drop` gives each failing frame up at once, so the burst's later failures fall on
            # the following frames: min(burst, frames left) events per injection, each a drop.
            injected = sum(min(burst, sends - k * inject_every + 1) for k in range(1, int(sends) // inject_every + 1))
            assert enobufs == injected, (relay_dir, enobufs, sends)
            assert drops == enobufs + eagain and retries == 0, (relay_dir, drops, enobufs, eagain)


@pytest.mark.parametrize("mode", ["datagram", "stream"])
def test_guest_iperf3_through_the_agent_under_wait_with_injection(vm_env, tmp_path, mode):
    text, samples, report = run_guest(vm_env, mode, "wait", "enobufs:every=50,burst=3", tmp_path, follow=True)
    check_run(mode, text, samples, report, "wait", 50, 3)


@pytest.mark.parametrize("mode", ["datagram", "stream"])
def test_guest_iperf3_through_the_agent_under_drop(vm_env, tmp_path, mode):
    text, samples, report = run_guest(vm_env, mode, "drop", "enobufs:every=50,burst=3", tmp_path)
    check_run(mode, text, samples, report, "drop", 50, 3)


def test_a_failed_up_leaves_nothing(vm_env, tmp_path):
    """An agent that dies at once: `up` says so and removes the namespace, TAP, helper and sockets."""
    dying = tmp_path / "dying-bpagent"
    dying.write_text('#!/bin/sh\ncase "$*" in *--help*) exit 0 ;; esac\ncase "$1" in tap) exec ' + bpagent_path() + ' "$@" ;; esac\nexit 1\n')
    dying.chmod(0o755)
    env = dict(vm_env, BPAGENT=str(dying))
    up = vm_lab(env, "up", "datagram", check=False)
    assert up.returncode == 1, up.stderr
    assert "vm-lab: timed out waiting for the agent's metrics" in up.stderr and "up failed; cleaning up" in up.stderr
    assert leftovers(env) == []
    assert "vm-lab is down" in vm_lab(env, "status").stdout


def test_missing_root_is_one_line(vm_env):
    out = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "bash",
                          str(ROOT / "Scripts" / "vm-lab"), "up"], env=vm_env, capture_output=True, text=True, timeout=30)
    assert (out.returncode, out.stderr) == (1, "vm-lab: needs root (a network namespace, a TAP device, passt as nobody)\n")


def test_missing_tun_is_one_line(vm_env):
    # A private mount namespace where /dev/net is empty: no /dev/net/tun.
    out = subprocess.run(["unshare", "--mount", "sh", "-c", 'mount -t tmpfs none /dev/net && exec bash "$0" up',
                          str(ROOT / "Scripts" / "vm-lab")], env=vm_env, capture_output=True, text=True, timeout=30)
    assert (out.returncode, out.stderr) == (1, "vm-lab: needs /dev/net/tun (modprobe tun)\n")
