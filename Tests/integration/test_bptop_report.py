"""`bptop report --iperf3`: a real iperf3 run summarised per stream, and bad input."""
import json
import subprocess

from harness import free_port, wait_listening
from tui import bptop_path


def run_report(*args, input=None):
    return subprocess.run([bptop_path(), "report", *args], capture_output=True, text=True, input=input, timeout=30)


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
    assert lines[0].split() == ["stream", "role", "local", "→", "remote", "bytes", "mean", "min", "max", "retr", "lost/total"]
    assert [l.split()[0] for l in lines[1:]] == sorted(str(s) for s in by_id) + ["SUM"]


def test_report_errors_are_one_line():
    r = run_report("--iperf3", "/nonexistent/run.log")
    assert (r.returncode, r.stderr) == (1, "bptop: error: cannot read /nonexistent/run.log: No such file or directory\n")
    r = run_report("--iperf3", "-", input="hello\nworld\n")
    assert (r.returncode, r.stderr) == (1, "bptop: error: no iperf3 output found in - (2 lines could not be read)\n")
    r = run_report()
    assert r.returncode == 64 and r.stderr.startswith("Error: Missing expected argument '--iperf3 <iperf3>'")
