"""The starter kit in deploy/: Prometheus rules (promtool check and unit tests), the Grafana
dashboard's every query against a real Prometheus scraping bpagent while iperf3 runs through
it, the systemd unit, the man pages and the shell completions."""
import json
import re
import shutil
import statistics
import subprocess
import time
from pathlib import Path

import pytest

from harness import ROOT, Agent, bpagent_path, free_port, iperf_server, stop_process
from prometheus import Prometheus

DEPLOY = ROOT / "deploy"
DASHBOARD = DEPLOY / "grafana" / "bpagent-dashboard.json"


def test_rules_pass_promtool_check_and_their_unit_tests():
    check = subprocess.run(["promtool", "check", "rules", DEPLOY / "prometheus" / "bpagent-rules.yml"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "SUCCESS: 11 rules found" in check.stdout
    unit = subprocess.run(["promtool", "test", "rules", "bpagent-rules.test.yml"], cwd=DEPLOY / "prometheus",
                          capture_output=True, text=True)
    assert unit.returncode == 0, unit.stdout + unit.stderr
    assert "SUCCESS" in unit.stdout


def test_scrape_config_is_valid(tmp_path):
    config = tmp_path / "prometheus.yml"
    shutil.copy(DEPLOY / "prometheus" / "prometheus.yml", config)
    shutil.copy(DEPLOY / "prometheus" / "bpagent-rules.yml", tmp_path)
    check = subprocess.run(["promtool", "check", "config", config], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def dashboard_queries():
    """(panel title, expr) of every target of every panel."""
    doc = json.loads(DASHBOARD.read_text())
    return [(p["title"], t["expr"]) for p in doc["panels"] for t in p["targets"]]


def substitute(expr, rate_interval):
    """The dashboard's variables as Grafana fills them with "All" selected."""
    return (expr.replace("$instance", ".+").replace("$stream", ".+")
            .replace("$__rate_interval", rate_interval))


def test_every_dashboard_query_returns_data_and_throughput_agrees_with_iperf3(tmp_path):
    server_port = free_port()
    server = iperf_server(tmp_path, server_port)
    target = f"127.0.0.1:{free_port()}"
    try:
        # Injected ENOBUFS make buffer-full events, retries and stalls certain, so every panel has data.
        with Agent(tmp_path, free_port(), server_port, "--inject", "enobufs:every=97,burst=3",
                   metrics=[f"unix:{tmp_path}/bpagent.sock", f"tcp:{target}"]) as agent, \
                Prometheus(tmp_path, [target]) as prom:
            prom.wait_for('up{job="bpagent"}', lambda v: v == 1)
            started = time.time()
            run = subprocess.run(["iperf3", "-c", "127.0.0.1", "-p", str(agent.listen_port), "-P", "2", "-b", "100M",
                                  "-t", "12", "-J"], capture_output=True, text=True, timeout=60)
            assert run.returncode == 0, run.stdout[-2000:] + run.stderr
            report = json.loads(run.stdout)
            sent_bps = report["end"]["sum_sent"]["bits_per_second"]
            # Let Prometheus scrape the end of the run.
            time.sleep(2)

            # Variables: the instance and stream lists Grafana would offer.
            instances = prom.api("label/instance/values", **{"match[]": 'bpagent_start_time_seconds{job="bpagent"}'})
            assert instances == [target]
            streams = prom.api("label/stream/values", **{"match[]": 'bpagent_stream_info{instance=~".+"}'})
            assert len(streams) >= 3  # iperf3's control connection and its two data streams

            middle = started + 8  # a 4 s window well inside the 12 s run
            for title, expr in dashboard_queries():
                result = prom.query(substitute(expr, "4s"), at=middle)
                assert result, f"{title}: no data for {expr}"
                if "histogram_quantile" in expr:
                    # c2s carries iperf3's data, so it has stalls; s2c may have none (NaN, no stall).
                    assert [v == v for labels, v in result if labels["dir"] == "c2s"] == [True], f"{title}: {result}"

            # The throughput panel agrees with iperf3 (paced, so every window sees the same rate).
            (title, expr), = [(t, e) for t, e in dashboard_queries() if t == "Throughput by direction (all streams)"]
            rates = []
            for at in (started + 6, started + 7, started + 8, started + 9, started + 10):
                by_dir = {labels["dir"]: v for labels, v in prom.query(substitute(expr, "4s"), at=at)}
                rates.append(by_dir["c2s"])
            measured = statistics.median(rates)
            assert abs(measured / sent_bps - 1) < 0.05, (measured, sent_bps, rates)
            # And the per-stream panel sums to the same.
            (expr,) = [e for t, e in dashboard_queries() if t == "Throughput per stream and direction"]
            per_stream = sum(v for labels, v in prom.query(substitute(expr, "4s"), at=started + 8)
                             if labels["dir"] == "c2s")
            assert abs(per_stream / sent_bps - 1) < 0.05, (per_stream, sent_bps)
    finally:
        stop_process(server)


def test_systemd_unit_verifies(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    unit = tmp_path / "bpagent.service"
    # verify checks that ExecStart's binary exists: point it at the one just built.
    unit.write_text((DEPLOY / "systemd" / "bpagent.service").read_text().replace("/usr/local/bin/bpagent", bpagent_path()))
    # --man=no: the man pages are in deploy/man, not installed. verify exits 0 even for values it
    # cannot parse, so its output must be empty too.
    r = subprocess.run([analyze, "verify", "--man=no", unit], capture_output=True, text=True)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    security = subprocess.run([analyze, "security", "--offline=yes", unit], capture_output=True, text=True)
    exposure = re.search(r"Overall exposure level for bpagent.service: ([\d.]+) (\w+)", security.stdout)
    assert exposure and float(exposure[1]) < 2.5, security.stdout[-500:]


def dump_help(*subcommand):
    out = subprocess.run([bpagent_path(), *subcommand, "--experimental-dump-help"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["command"]


def test_man_pages_document_every_option():
    root = dump_help()
    for sub in root["subcommands"]:
        name = sub["commandName"]
        if name == "help":
            continue
        page = (DEPLOY / "man" / f"bpagent.{name}.1").read_text()
        assert sub["abstract"] in page, name
        for argument in sub.get("arguments", []):
            for n in argument.get("names", []):
                flag = f"Fl -{n['name']}" if n["kind"] == "long" else f"Fl {n['name']}"
                assert flag in page, f"bpagent.{name}.1 lacks {flag}: run Scripts/generate-docs"
    assert "Exit status 64" in (DEPLOY / "man" / "bpagent.1").read_text()


@pytest.mark.parametrize("shell, file", [("bash", "bpagent.bash"), ("zsh", "_bpagent"), ("fish", "bpagent.fish")])
def test_completions_are_current(shell, file):
    current = subprocess.run([bpagent_path(), "--generate-completion-script", shell], capture_output=True, text=True, check=True)
    assert (DEPLOY / "completions" / file).read_text() == current.stdout, "run Scripts/generate-docs"


def test_bash_completion_completes_subcommands_and_options():
    script = f"""
        source {DEPLOY / 'completions' / 'bpagent.bash'}
        COMP_WORDS=(bpagent rel); COMP_CWORD=1; _bpagent bpagent rel bpagent; echo "${{COMPREPLY[*]}}"
        COMPREPLY=(); COMP_WORDS=(bpagent relay --export); COMP_CWORD=2; _bpagent bpagent --export relay; echo "${{COMPREPLY[*]}}"
    """
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                         env={"PATH": f"{Path(bpagent_path()).parent}:/usr/bin:/bin"})
    assert out.stdout.splitlines() == ["relay", "--export-streams"], out.stderr
