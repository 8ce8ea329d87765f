"""`bptop report --iperf3`: a real iperf3 run summarised per stream, and bad input."""
import json
import os
import subprocess

from harness import Agent, free_port, stop_process, wait_listening, wait_until
from tui import bptop_path


def run_report(*args, input=None, columns=200):
    """`bptop report` with its output in a pipe: as wide as COLUMNS says."""
    return subprocess.run([bptop_path(), "report", *args], capture_output=True, text=True, input=input, timeout=30,
                          env={**os.environ, "COLUMNS": str(columns)})


def test_report_of_a_real_json_run_from_stdin(tmp_path):
    port = free_port()
    server = subprocess.Popen(["iperf3", "-s", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(port)
        client = subprocess.run(["iperf3", "-c", "127.0.0.1", "-p", str(port), "-P", "2", "-t", "2", "-b", "50M", "--json"],
                                capture_output=True, text=True, timeout=30)
        iperf = json.loads(client.stdout)
        # iperf3 3.12 exits 0 even when it failed; the error is in its JSON.
        assert client.returncode == 0 and "error" not in iperf, client.stdout[-500:]
    finally:
        server.kill()
        server.wait()
    r = run_report("--iperf3", "-", "--json", input=client.stdout)
    assert (r.returncode, r.stderr) == (0, "")
    streams = json.loads(r.stdout)["tests"][0]["streams"]
    by_id = {s["stream"]: s for s in streams if not s["sum"]}
    for end in iperf["end"]["streams"]:
        sender = end["sender"]
        row = by_id[sender["socket"]]
        assert (row["bytes"], row["bytes_exact"], row["retransmits"]) == (sender["bytes"], True, sender["retransmits"])
    total = [s for s in streams if s["sum"]][0]
    assert total["bytes"] == iperf["end"]["sum_sent"]["bytes"]

    log = tmp_path / "run.json"
    log.write_text(client.stdout)
    text = run_report("--iperf3", str(log))
    assert text.returncode == 0
    lines = text.stdout.splitlines()
    # Titled with the log, iperf3's start time and the seconds measured; no --bidir roles and no
    # UDP loss in this run, so those columns are left out.
    assert lines[0] == f"iperf3 log {log} · started {iperf['start']['timestamp']['time']} · 2.00 s", lines[0]
    assert lines[1].split() == ["stream", "local", "→", "remote", "bytes", "mean", "min", "max", "tcp", "retr"]
    assert [l.split()[0] for l in lines[2:]] == sorted(str(s) for s in by_id) + ["SUM"]
    # In 60 columns the widest columns go, and the summary says which.
    narrow = run_report("--iperf3", str(log), columns=60).stdout.splitlines()
    assert max(map(len, narrow)) <= 60, narrow
    assert "left out to fit 60 columns: local → remote" in " ".join(narrow), narrow


def test_report_errors_are_one_line():
    r = run_report("--iperf3", "/nonexistent/run.log")
    assert (r.returncode, r.stderr) == (1, "bptop: error: cannot read /nonexistent/run.log: No such file or directory\n")
    r = run_report("--iperf3", "-", input="hello\nworld\n")
    assert (r.returncode, r.stderr) == (1, "bptop: error: no iperf3 output found in - (2 lines could not be read)\n")
    r = run_report("--iperf3", "-", input="hello\n")
    assert (r.returncode, r.stderr) == (1, "bptop: error: no iperf3 output found in - (1 line could not be read)\n")
    r = run_report()
    assert r.returncode == 64 and r.stderr.startswith("Error: Missing expected argument '--iperf3 <iperf3>'")


def test_report_joins_the_server_side_log_and_the_client_json_with_the_agent(tmp_path):
    """The server sees the relay's outgoing sockets (upstream_local), the client the relay's
    listen port (peer): both logs join every stream, with the agent's exact bytes."""
    port, listen = free_port(), free_port()
    server_log = tmp_path / "server.log"
    server = subprocess.Popen(["iperf3", "-s", "-p", str(port), "--logfile", str(server_log), "--forceflush"])
    try:
        wait_listening(port)
        with Agent(tmp_path, listen, port) as agent:
            client = subprocess.run(["iperf3", "-c", "127.0.0.1", "-p", str(listen), "-P", "3", "-t", "2", "-b", "100M",
                                     "--json"], capture_output=True, text=True, timeout=30)
            assert client.returncode == 0 and '"error"' not in client.stdout, client.stdout[-500:]
            (tmp_path / "client.json").write_text(client.stdout)
            # The server prints its end-of-test lines just after the client returns.
            wait_until(lambda: " receiver" in server_log.read_text(), what="the server's end of test")
            for log, side in ((tmp_path / "client.json", "client"), (server_log, "server")):
                r = run_report("--iperf3", str(log), "--source", f"unix:{agent.sock}", "--json")
                assert (r.returncode, r.stderr) == (0, ""), r.stderr
                tests = [t for t in json.loads(r.stdout)["tests"] if t["side"] == side]
                streams = [s for s in tests[-1]["streams"] if not s["sum"]]
                assert len(streams) == 3 and all(s["agent"] is not None for s in streams), r.stdout
                assert len({s["agent"]["stream"] for s in streams}) == 3
                for s in streams:
                    assert s["agent"]["dir"] == "c2s"
                    assert abs(s["bytes"] - s["agent"]["bytes"]) <= 0.01 * s["agent"]["bytes"], s
            text = run_report("--iperf3", str(server_log), "--source", f"unix:{agent.sock}")
            assert "not matched" not in text.stdout and "c2s: " in text.stdout, text.stdout
    finally:
        stop_process(server)
