"""bptop with iperf3, end to end: as iperf3's parent, following its log, reading a pipe, and
`bptop demo`. Real iperf3, real bpagent, bptop in tmux at 120×40."""
import os
import re
import subprocess
from pathlib import Path

import pytest

from harness import Agent, free_port, iperf_server, parse_metrics, stop_process, value, wait_until
from tui import Tmux, bptop_path

# One stream row of the summary bptop prints when it quits (with an agent's columns, in a
# terminal wide enough for all of them). iperf3's text output rounds bytes: `~125 MB`.
SUMMARY_ROW = re.compile(
    r"^(?P<stream>\d+)\s+(?P<role>TX-C|RX-C)\s+(?P<local>\S+) → (?P<remote>\S+)\s+~(?P<bytes>[\d.]+ [kMGT]?B)\s+.*?"
    r"\s(?P<agent>\d+) (?P<dir>c2s|s2c)\s+(?P<agent_bytes>\d+)\s+(?P<events>\d+)\s+(?P<retries>\d+)\s")
PREFIX = {"": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}


def estimated_bytes(text):
    """`125 MB` as bytes."""
    number, unit = text.split()
    return float(number) * PREFIX[unit[:-1]]


def start_recorded(tmux, session, tmp, command, width=120):
    """Runs `command` in tmux through a shell that writes its exit status to a file."""
    status = tmp / f"{session}.status"
    tmux.start(session, ["sh", "-c", '"$@"; echo $? > "$0"', str(status), *command], width=width)
    return status


def exit_status(status, timeout=30):
    wait_until(lambda: status.exists() and status.read_text().endswith("\n"), timeout=timeout, what="the exit status")
    return int(status.read_text())


def joined_text(tmux, session):
    """The pane with wrapped lines joined (the printed summary is wider than 120 columns)."""
    return tmux.run("capture-pane", "-p", "-J", "-S", "-100", "-t", session)


@pytest.fixture
def relay(tmp_path):
    server_port, listen = free_port(), free_port()
    server = iperf_server(tmp_path, server_port)
    agent = Agent(tmp_path, listen, server_port)
    try:
        yield agent
    finally:
        agent.stop()
        stop_process(server)


def test_child_bidir_every_stream_joined_and_summary_bytes_match_the_agent(tmp_path, relay):
    with Tmux(tmp_path) as tmux:
        # 200 columns: the printed summary keeps every column (at 120 it leaves out local → remote).
        status = start_recorded(tmux, "run", tmp_path, [
            bptop_path(), "--source", f"unix:{relay.sock}", "--",
            "iperf3", "-c", "127.0.0.1", "-p", str(relay.listen_port), "-P", "8", "--bidir", "-t", "5", "-b", "200M"], width=200)
        tmux.wait_screen("run", lambda l: any("16 streams, 16 of 16 joined · running" in x for x in l), timeout=30,
                         what="all 16 streams joined while running")
        lines = tmux.wait_screen("run", lambda l: any("16 of 16 joined · finished, summary" in x for x in l), timeout=40,
                                 what="the end-of-run summary")
        assert not any("unmatched" in x or "not matched" in x for x in lines)
        tmux.keys("run", "q")
        assert exit_status(status) == 0
        text = joined_text(tmux, "run")
    rows = [m.groupdict() for m in map(SUMMARY_ROW.match, text.splitlines()) if m]
    assert len(rows) == 16, text
    assert sorted(r["role"] for r in rows) == ["RX-C"] * 8 + ["TX-C"] * 8
    assert len({r["agent"] for r in rows}) == 16
    samples = parse_metrics(relay.scrape())
    for r in rows:
        dir = "c2s" if r["role"] == "TX-C" else "s2c"
        assert r["dir"] == dir
        # The join: the agent saw iperf3's socket as its peer.
        peer = [l for n, l, v in samples if n == "bpagent_stream_info" and l["stream"] == r["agent"]][0]["peer"]
        assert peer == r["local"]
        agent_bytes = int(r["agent_bytes"])
        assert agent_bytes == value(samples, "bpagent_bytes_total", stream=r["agent"], dir=dir)
        # iperf3 printed 3 digits of its own unit (MBytes = 2^20 B) and bptop shows 3 digits of its
        # (MB): each rounding is within 0.5 %. The figure is the sender's, which counts what was
        # still in its socket buffer (up to 4 MiB, autotuned) when the test ended and the streams
        # were reset: the agent relayed at most that, and at least all but the buffer.
        sent = estimated_bytes(r["bytes"])
        assert sent * 0.95 <= agent_bytes <= sent * 1.015, r
    assert re.search(r"^c2s: \d+ buffer-full events in 5\.\d\d s, up to \d+ retr", text, re.M)


def test_a_failing_iperf3s_exit_status_becomes_bptops(tmp_path):
    port = free_port()  # nothing listens there
    with Tmux(tmp_path) as tmux:
        status = start_recorded(tmux, "fail", tmp_path, [bptop_path(), "--", "iperf3", "-c", "127.0.0.1", "-p", str(port)])
        tmux.wait_screen("fail", lambda l: any("iperf3: error - unable to connect" in x for x in l), what="iperf3's error")
        tmux.keys("fail", "q")
        assert exit_status(status) == 1
        assert "iperf3: error - unable to connect" in joined_text(tmux, "fail")


def test_follow_a_log_as_it_is_written_and_after_truncation(tmp_path):
    port = free_port()
    server = iperf_server(tmp_path, port)
    log = tmp_path / "iperf3.log"
    try:
        with Tmux(tmp_path) as tmux:
            status = start_recorded(tmux, "follow", tmp_path, [bptop_path(), "--iperf3", str(log)])
            tmux.wait_screen("follow", lambda l: any("waiting for the iperf3 log to appear" in x for x in l),
                             what="bptop waiting for the log")
            first = subprocess.run(["iperf3", "-c", "127.0.0.1", "-p", str(port), "-P", "2", "-t", "3", "-b", "50M",
                                    "--logfile", str(log), "--forceflush"], timeout=30)
            assert first.returncode == 0
            lines = tmux.wait_screen("follow", lambda l: any("2 streams, no agent data · finished, summary" in x for x in l),
                                     what="the first run's summary")
            ids = re.findall(r"^\[\s*(\d+)\] local", log.read_text(), re.M)
            shown = [m.group(1) for m in (re.match(r"^[│|](\d+)\s+c2s\s", x) for x in lines) if m]
            assert len(ids) == 2 and shown == ids
            # iperf3 appends to its --logfile; truncate it as a user starting over would.
            log.write_text("")
            second = subprocess.Popen(["iperf3", "-c", "127.0.0.1", "-p", str(port), "-P", "3", "-t", "30", "-b", "50M",
                                       "--logfile", str(log), "--forceflush"])
            try:
                tmux.wait_screen("follow", lambda l: any("3 streams, no agent data · running" in x for x in l),
                                 what="the second run, live after the truncation")
            finally:
                stop_process(second)
            tmux.keys("follow", "q")
            assert exit_status(status) == 0
    finally:
        stop_process(server)


def test_read_a_pipe(tmp_path):
    port = free_port()
    server = iperf_server(tmp_path, port)
    try:
        with Tmux(tmp_path) as tmux:
            status = start_recorded(tmux, "pipe", tmp_path, ["sh", "-c",
                f"iperf3 -c 127.0.0.1 -p {port} -P 4 -t 2 -b 50M --forceflush | {bptop_path()} --iperf3 -"])
            lines = tmux.wait_screen("pipe", lambda l: any("4 streams, no agent data · finished, summary" in x for x in l),
                                     what="the summary of a piped run")
            sums = [x for x in lines if re.match(r"^[│|]SUM\s", x)]
            assert len(sums) == 1
            tmux.keys("pipe", "q")
            assert exit_status(status) == 0
    finally:
        stop_process(server)


def test_demo_runs_joined_and_quitting_leaves_nothing_behind(tmp_path):
    env_tmp = tmp_path / "demo-tmp"
    env_tmp.mkdir()
    with Tmux(tmp_path) as tmux:
        status = tmp_path / "demo.status"
        tmux.start("demo", ["sh", "-c", '"$@"; echo $? > "$0"', str(status), bptop_path(), "demo", "-t", "30", "-P", "2"],
                   env={"TMPDIR": str(env_tmp)})
        tmux.wait_screen("demo", lambda l: any("4 streams, 4 of 4 joined · running" in x for x in l), timeout=30,
                         what="the demo's streams joined")
        [demo_dir] = list(env_tmp.iterdir())
        sock = demo_dir / "agent.sock"
        assert sock.is_socket()
        pids = [int(p) for p in subprocess.run(["pgrep", "-f", str(demo_dir)], capture_output=True, text=True).stdout.split()]
        assert len(pids) == 1  # the agent (its --metrics names the directory)
        tmux.keys("demo", "q")
        assert exit_status(status) == 0
    assert list(env_tmp.iterdir()) == []
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()


def run_bptop(*args, env=None):
    return subprocess.run([bptop_path(), *args], capture_output=True, text=True, timeout=30,
                          env={**os.environ, **(env or {})})


def test_bad_iperf3_invocations_are_one_line_errors(tmp_path):
    both = run_bptop("--iperf3", str(tmp_path / "x.log"), "--", "iperf3", "-c", "127.0.0.1")
    assert both.returncode == 64 and both.stderr.startswith("Error: --iperf3 and a command after -- cannot be combined")
    once = run_bptop("--once", "--source", "unix:/nonexistent.sock", "--", "iperf3", "-c", "127.0.0.1")
    assert once.returncode == 64 and once.stderr.startswith("Error: --once reads no iperf3 run")
    missing = run_bptop("--", "no-such-iperf3-binary", "-c", "127.0.0.1")
    assert (missing.returncode, missing.stderr) == (1, "bptop: error: cannot run no-such-iperf3-binary: not found in PATH\n")
    demo = run_bptop("demo", "-t", "0")
    assert demo.returncode == 64 and "invalid --time 0" in demo.stderr
    bad_agent = run_bptop("demo", "--on-full", "sometimes", env={"TMPDIR": str(tmp_path)})
    assert bad_agent.returncode == 1 and bad_agent.stderr.count("\n") == 1, bad_agent.stderr
    assert bad_agent.stderr.startswith("bptop: error: bpagent ended (exit status 64) before listening on port ")
    assert 'invalid --on-full "sometimes"' in bad_agent.stderr
    assert not any(p.name.startswith("bptop-demo.") for p in tmp_path.iterdir())  # nothing left behind
