"""What bpagent says about itself: --version, bpagent_build_info, process_* and the exporter's
own figures; and a bad option is reported with its subcommand's usage."""
import os
import re
import resource
import subprocess
import time

import pytest

from harness import ROOT, Agent, bpagent_path, free_port, value
from test_export import echo_server


def git_revision():
    """The revision the binary was built from, as the BuildRevision plugin records it."""
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True)
    if rev.returncode != 0:
        return "unknown"
    dirty = subprocess.run(["git", "-C", str(ROOT), "diff", "--quiet", "HEAD", "--"]).returncode != 0
    return rev.stdout.strip() + ("-dirty" if dirty else "")


def test_version_names_the_git_revision():
    r = subprocess.run([bpagent_path(), "--version"], capture_output=True, text=True, timeout=20)
    assert r.returncode == 0
    assert re.fullmatch(r"bpagent \d+\.\d+\.\d+, revision ([0-9a-f]{12}(-dirty)?|unknown)\n", r.stdout), r.stdout
    assert r.stdout.endswith(f"revision {git_revision()}\n")


@pytest.mark.parametrize("args, message", [
    (["relay", "--listen", "127.0.0.1:1", "--connect", "127.0.0.1:2", "--no-metrics", "--on-full", "yield"],
     'Error: invalid --on-full "yield"'),
    (["relay", "--listen", "127.0.0.1", "--connect", "127.0.0.1:2"], 'Error: invalid address "127.0.0.1"'),
    (["relay", "--listen", "127.0.0.1:1", "--connect", "127.0.0.1:2", "--export-streams", "some"],
     'Error: invalid --export-streams "some": expected none, open or all'),
    (["relay", "--listen", "127.0.0.1:1", "--connect", "127.0.0.1:2", "--max-streams", "2000000"],
     "Error: invalid --max-streams 2000000: expected 0 to 1000000"),
    (["unixgram", "--listen", "/tmp/a", "--connect", "/tmp/b", "--max-flows", "0"], "Error: invalid --max-flows 0"),
    (["tap", "--tap", "t0", "--listen", "/tmp/a", "--read-delay", "9s"], 'Error: invalid --read-delay "9s"'),
])
def test_a_bad_option_shows_its_subcommands_usage(args, message):
    r = subprocess.run([bpagent_path(), *args], capture_output=True, text=True, timeout=20)
    assert r.returncode == 64
    lines = r.stderr.splitlines()
    assert lines[0].startswith(message), r.stderr
    assert lines[1].startswith(f"Usage: bpagent {args[0]} "), r.stderr
    assert lines[2] == f"  See 'bpagent {args[0]} --help' for more information."


def test_build_process_and_exporter_figures(tmp_path):
    port, _ = echo_server()
    started = time.time()
    with Agent(tmp_path, free_port(), port) as agent:
        s = agent.samples()
        (build,) = [l for n, l, _ in s if n == "bpagent_build_info"]
        assert build == {"version": re.match(r"bpagent (\S+),", subprocess.run(
            [bpagent_path(), "--version"], capture_output=True, text=True).stdout)[1], "revision": git_revision()}
        assert abs(value(s, "process_start_time_seconds") - value(s, "bpagent_start_time_seconds")) < 5
        assert started - 5 < value(s, "process_start_time_seconds") < time.time()
        assert value(s, "process_max_fds") == resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        fds = len(os.listdir(f"/proc/{agent.proc.pid}/fd"))
        assert abs(value(s, "process_open_fds") - fds) <= 2  # a scrape's own connection comes and goes
        rss = int(open(f"/proc/{agent.proc.pid}/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        assert 0.5 < value(s, "process_resident_memory_bytes") / rss < 2
        assert value(s, "process_virtual_memory_bytes") > value(s, "process_resident_memory_bytes")
        assert value(s, "process_cpu_seconds_total") > 0
        # One render per scrape, each counted with its time and size.
        renders = value(s, "bpagent_exporter_render_seconds_count")
        text = agent.scrape()
        s = agent.samples()
        assert value(s, "bpagent_exporter_render_seconds_count") == renders + 2
        assert value(s, "bpagent_exporter_render_seconds_sum") > 0
        assert value(s, "bpagent_exporter_responses_total", format="text", encoding="identity") == renders + 2
        assert abs(value(s, "bpagent_exporter_last_metrics_bytes") - len(text)) < len(text) / 10
