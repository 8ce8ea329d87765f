"""Gates, compare and plot (issue 11), end to end: real iperf3 through bpagent with injected
ENOBUFS; `--threshold` on `report`, `compare` and the live view (✓/✗ lines, exit 0/99, a bad
expression one line and exit 64); `compare` of a `wait` run against a `spin` run; `plot` PNG
and SVG checked by their pixels."""
import json
import os
import re
import shutil
import subprocess
import xml.dom.minidom

import pytest

from harness import Agent, free_port, iperf_server, parse_metrics, stop_process
from pictures import count_near, hex_rgb, read_png
from tui import Tmux, bptop_path

INJECT = "enobufs:every=200,burst=3"
C2S_GREEN = "#2da44e"  # RunPlot's c2s colour (Palette.direction)


def bptop(*args, timeout=60):
    return subprocess.run([bptop_path(), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "COLUMNS": "200"})


def measured_run(tmp, name, policy):
    """iperf3 -P 2 for 2 s through an agent with `policy` and injected ENOBUFS: its --json log
    and the agent's /metrics saved at the end (the agent keeps closed streams)."""
    server_port, listen = free_port(), free_port()
    server = iperf_server(tmp, server_port)
    try:
        with Agent(tmp, listen, server_port, "--on-full", policy, "--inject", INJECT) as agent:
            client = subprocess.run(["iperf3", "-c", "127.0.0.1", "-p", str(listen), "-P", "2", "-t", "2", "--json"],
                                    capture_output=True, text=True, timeout=60)
            assert client.returncode == 0 and '"error"' not in client.stdout, client.stdout[-500:]
            log, metrics = tmp / f"{name}.json", tmp / f"{name}.prom"
            log.write_text(client.stdout)
            metrics.write_text(agent.scrape())
    finally:
        stop_process(server)
    return log, metrics


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gate")
    return {"wait": measured_run(tmp, "wait", "wait"), "spin": measured_run(tmp, "spin", "spin"), "tmp": tmp}


def joined_sum(log, metrics, family, dir="c2s"):
    """The agent's `family` summed over the streams iperf3's log names (by its sockets' ports)."""
    ports = {f"127.0.0.1:{c['local_port']}" for c in json.loads(log.read_text())["start"]["connected"]}
    samples = parse_metrics(metrics.read_text())
    streams = {l["stream"] for n, l, _ in samples if n == "bpagent_stream_info" and l["peer"] in ports}
    assert len(streams) == 2
    return sum(v for n, l, v in samples if n == family and l.get("stream") in streams and l["dir"] == dir)


def test_thresholds_pass_and_fail_on_a_report(runs):
    log, metrics = runs["wait"]
    events = int(joined_sum(log, metrics, "bpagent_buffer_full_total"))
    assert events > 0
    passing = bptop("report", "--iperf3", str(log), "--agent-file", str(metrics),
                    "--threshold", f"buffer_full{{dir=c2s}}=={events}", "--threshold", "drops==0",
                    "--threshold", "stall_max<30s", "--threshold", "throughput_mean>1Mbit/s", "--threshold", "p99(stall) < 30 s")
    assert (passing.returncode, passing.stderr) == (0, ""), passing.stdout
    gate = passing.stdout.splitlines()[-5:]
    assert [line.split()[:2] for line in gate] == [
        ["✓", f"buffer_full{{dir=c2s}}=={events}"], ["✓", "drops==0"], ["✓", "stall_max<30s"],
        ["✓", "throughput_mean>1Mbit/s"], ["✓", "p99(stall)"]], gate
    assert gate[0].endswith(f"c2s {events}") and gate[1].endswith("c2s 0"), gate
    assert re.search(r"c2s [\d.]+ [kMG]?b/s$", gate[3]), gate

    failing = bptop("report", "--iperf3", str(log), "--agent-file", str(metrics),
                    "--threshold", "drops==0", "--threshold", "buffer_full<1", "--threshold", "retransmits<0")
    assert failing.returncode == 99, failing.stdout + failing.stderr
    gate = failing.stdout.splitlines()[-3:]
    assert gate[0].startswith("✓ drops==0")
    assert gate[1] == f"✗ buffer_full<1  c2s {events}", gate
    assert gate[2].startswith("✗ retransmits<0")
    # Without the agent's figures a threshold on them cannot pass: it says so.
    blind = bptop("report", "--iperf3", str(log), "--threshold", "drops==0")
    assert blind.returncode == 99 and blind.stdout.splitlines()[-1] == "✗ drops==0  c2s no data", blind.stdout


def test_a_bad_expression_is_one_line_naming_the_column(runs):
    log, _ = runs["wait"]
    for args, message in [
        (["report", "--iperf3", str(log), "--threshold", "stall_max<10xs"],
         "invalid threshold 'stall_max<10xs' at column 13: unknown unit \"xs\" for stall_max (expected ns, us, µs, ms, s)"),
        (["report", "--iperf3", str(log), "--threshold", "buffer_full{dir=up}<1"],
         "invalid threshold 'buffer_full{dir=up}<1' at column 17: dir must be c2s or s2c, got \"up\""),
        (["report", "--iperf3", str(log), "--threshold", "regression(throughput_mean)<5%"],
         "invalid threshold 'regression(throughput_mean)<5%' at column 1: regression() compares two runs: use it with bptop compare"),
        (["compare", str(log), str(log), "--threshold", "p95(stall)<1ms"],
         "invalid threshold 'p95(stall)<1ms' at column 1: unknown aggregation p95(stall)"),
        (["--source", "unix:/nonexistent.sock", "--threshold", "drops=0"],
         "invalid threshold 'drops=0' at column 6: expected a comparison (<, <=, >, >=, ==, !=)"),
    ]:
        r = bptop(*args)
        assert (r.returncode, r.stdout) == (64, ""), r.stderr
        assert r.stderr.startswith(f"bptop: error: {message}") and r.stderr.count("\n") == 1, r.stderr


def test_compare_of_a_wait_run_against_a_spin_run_shows_the_retries_change(runs):
    (wait_log, wait_metrics), (spin_log, spin_metrics) = runs["wait"], runs["spin"]
    args = ["compare", str(wait_log), str(spin_log), "--before-agent", str(wait_metrics), "--after-agent", str(spin_metrics)]
    doc = json.loads(bptop(*args, "--json").stdout)
    c2s = doc["directions"]["c2s"]
    retries = (joined_sum(wait_log, wait_metrics, "bpagent_retries_total"), joined_sum(spin_log, spin_metrics, "bpagent_retries_total"))
    assert (c2s["retries"]["before"], c2s["retries"]["after"]) == retries
    assert c2s["buffer_full"]["before"] == joined_sum(wait_log, wait_metrics, "bpagent_buffer_full_total")
    assert c2s["retries"]["change"] == pytest.approx((retries[1] - retries[0]) / retries[0])
    assert c2s["retransmits"]["before"] == sum(s["sender"]["retransmits"] for s in json.loads(wait_log.read_text())["end"]["streams"])
    # Injected events need exactly 3 retries under either policy; spin's real EAGAINs need many more.
    assert c2s["retries_max"]["before"] >= 3 and c2s["retries_max"]["after"] >= 3
    text = bptop(*args)
    assert text.returncode == 0
    # Unthrottled on loopback the relay also meets real EAGAINs, which spin retries in a loop.
    assert retries[1] > 2 * retries[0], retries
    row = [l for l in text.stdout.splitlines() if l.startswith("retries ")][0].split()
    assert row[0] == "retries" and row[3] == "↑" and row[4].endswith("×"), row
    picture = runs["tmp"] / "cmp.svg"
    assert bptop(*args, "-o", str(picture)).returncode == 0
    svg = picture.read_text()
    # Both runs overlaid: the first dashed, each in the legend with its label and both titles on top.
    assert ">before iperf3 c2s</text>" in svg and ">after iperf3 c2s</text>" in svg
    assert f">before: iperf3 log {wait_log}" in svg and f">after: iperf3 log {spin_log}" in svg
    assert 'stroke="#2da44e" stroke-width="2" stroke-linejoin="round" stroke-dasharray="6 4"/>' in svg
    markdown = bptop(*args, "--markdown").stdout.splitlines()
    assert "| c2s | before | after | change |" in markdown and "|---|---:|---:|---:|" in markdown
    assert any(l.startswith("| retries | ") for l in markdown)
    gate = bptop(*args, "--threshold", "regression(throughput_mean)<10000%", "--threshold", "regression(retries)<50%")
    assert gate.returncode == 99
    assert gate.stdout.splitlines()[-2].startswith("✓ regression(throughput_mean)<10000%")
    assert gate.stdout.splitlines()[-1].startswith("✗ regression(retries)<50%")


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="rsvg-convert missing (Scripts/setup installs librsvg2-bin)")
def test_plot_png_and_svg_checked_by_pixels(runs):
    log, metrics = runs["wait"]
    tmp = runs["tmp"]
    png, svg = tmp / "run.png", tmp / "run.svg"
    for out in (png, svg):
        r = bptop("plot", str(log), "--agent-file", str(metrics), "-o", str(out), "--width", "1000", "--streams", "top2")
        assert (r.returncode, r.stdout, r.stderr) == (0, "", ""), r.stderr
    text = svg.read_text()
    assert text.startswith("<svg ") and "prefers-color-scheme: dark" in text
    xml.dom.minidom.parseString(text)  # well-formed: escaped titles, closed elements
    assert f"iperf3 log {log}" in text and "Throughput" in text and "Backpressure" in text
    assert re.search(r"c2s: [\d.]+ [kMG]?b/s mean · \d+ buffer-full events in 2\.\d\d s, up to \d+ retries for one", text), text[:2000]
    rendered = tmp / "svg.png"
    subprocess.run(["rsvg-convert", "-o", str(rendered), str(svg)], check=True, timeout=60)
    for path in (png, rendered):
        width, height, rows = read_png(path)
        assert width == 1000 and height > 500, (path, width, height)
        green = count_near(rows, hex_rgb(C2S_GREEN))
        assert green > 200, f"{path}: {green} pixels of the throughput line's colour"
        text_pixels = count_near(rows, hex_rgb("#1f2328"), tolerance=40)
        assert text_pixels > 1000, f"{path}: {text_pixels} text pixels"
        background = count_near(rows, (255, 255, 255), tolerance=2)
        assert background < width * height * 0.97, f"{path} is blank"


def test_plot_without_the_png_library_still_writes_the_svg(runs, tmp_path):
    """librsvg is loaded at run time: without it the SVG is written and one line says so."""
    log, _ = runs["wait"]
    r = subprocess.run([bptop_path(), "plot", str(log), "-o", str(tmp_path / "x.png")], capture_output=True, text=True,
                       timeout=60, env={**os.environ, "BPTOP_RSVG_LIBRARY": "librsvg-missing.so.2"})
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith("bptop: warning: no PNG: ") and r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.rstrip().endswith(f"wrote {tmp_path / 'x.svg'} instead")
    assert (tmp_path / "x.svg").read_text().startswith("<svg ")
    assert not (tmp_path / "x.png").exists()


def start_recorded(tmux, session, tmp, command, width=160):
    status = tmp / f"{session}.status"
    tmux.start(session, ["sh", "-c", '"$@"; echo $? > "$0"', str(status), *command], width=width)
    return status


def wait_status(status, timeout=60):
    from harness import wait_until
    wait_until(lambda: status.exists() and status.read_text().endswith("\n"), timeout=timeout, what="the exit status")
    return int(status.read_text())


def test_live_thresholds_at_the_end_and_abort_on_fail(tmp_path):
    server_port, listen = free_port(), free_port()
    server = iperf_server(tmp_path, server_port)
    try:
        # 50 Mbit/s for 2 s is about 70 writes (splice moves up to 64 KiB each): every 10th fails.
        with Agent(tmp_path, listen, server_port, "--inject", "enobufs:every=10,burst=3") as agent, Tmux(tmp_path) as tmux:
            iperf = ["iperf3", "-c", "127.0.0.1", "-p", str(listen), "-b", "50M"]
            picture = tmp_path / "live.svg"
            status = start_recorded(tmux, "pass", tmp_path, [
                bptop_path(), "--source", f"unix:{agent.sock}", "-i", "500ms", "--threshold", "buffer_full>0",
                "--threshold", "drops==0", "--plot", str(picture), "--", *iperf, "-t", "2"])
            tmux.wait_screen("pass", lambda l: any("finished, summary" in x for x in l), timeout=40, what="the summary")
            tmux.keys("pass", "q")
            code = wait_status(status)
            text = tmux.run("capture-pane", "-p", "-J", "-S", "-100", "-t", "pass")
            assert code == 0, text
            assert re.search(r"^✓ buffer_full>0  c2s [1-9]\d*$", text, re.M) and re.search(r"^✓ drops==0       c2s 0$", text, re.M), text
            # --plot: the session with the agent's series over time — its throughput line (dotted), the
            # buffer-full markers and the backpressure chart's lines.
            svg = picture.read_text()
            xml.dom.minidom.parseString(svg)
            assert ">iperf3 c2s</text>" in svg and ">agent c2s</text>" in svg and ">events/s</text>" in svg, svg[:3000]
            assert svg.count('<rect x="') > 3 and svg.count('fill="#e5534b"') >= 1, "no buffer-full marker"
            assert re.search(r'<path d="M[^"]*" fill="none" stroke="#e5534b"', svg), "no events/s line"
            assert "no agent series over time" not in svg

            # A cap that the first injected event crosses stops the run long before its 60 s.
            status = start_recorded(tmux, "abort", tmp_path, [
                bptop_path(), "--source", f"unix:{agent.sock}", "-i", "500ms", "--threshold", "buffer_full<1",
                "--abort-on-fail", "--", *iperf, "-t", "60"])
            assert wait_status(status, timeout=40) == 99
            text = tmux.run("capture-pane", "-p", "-J", "-S", "-100", "-t", "abort")
            assert "stopped at the first crossing: buffer_full<1 (--abort-on-fail)" in text, text
            assert re.search(r"^✗ buffer_full<1  c2s [1-9]\d*$", text, re.M), text
    finally:
        stop_process(server)
