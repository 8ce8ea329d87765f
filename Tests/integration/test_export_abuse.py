"""The CI slice of Scripts/abuse-export: while iperf3 runs through the relay, 200 scrapers,
100 slowloris clients and malformed requests hit the export for 4 s. The relay keeps its rate,
every well-behaved scrape is answered, and the agent's descriptors come back to where they were."""
import os
import subprocess
import sys

from harness import ROOT, bpagent_path


def test_export_under_abuse_short():
    r = subprocess.run([sys.executable, str(ROOT / "Scripts" / "abuse-export"), "--short", "--rate", "300M"],
                       env=os.environ | {"BPAGENT": bpagent_path()}, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[-1] == ("result: throughput loss <= 10 %: yes, well-behaved scrapes all answered: yes, "
                         "descriptors back to baseline: yes"), r.stdout
    assert sum("(100.0 %)" in line for line in lines) == 2, r.stdout
