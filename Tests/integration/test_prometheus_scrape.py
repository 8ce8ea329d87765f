"""A real Prometheus 2.42 scrapes bpagent: it negotiates OpenMetrics and gzip, the scrape is
clean, and the byte totals it stores are exactly what went through the relay. The text format
(curl, bptop) passes `promtool check metrics`, gzipped or not; OpenMetrics passes the
prometheus_client library's strict OpenMetrics parser."""
import gzip
import subprocess
import urllib.request

from prometheus_client.openmetrics.parser import text_string_to_metric_families

from harness import Agent, free_port, parse_metrics, value
from prometheus import Prometheus
from test_export_cardinality import echo_many, echo_server_forever

PROMETHEUS_ACCEPT = ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                     "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")


def get(endpoint, **headers):
    request = urllib.request.Request(f"http://{endpoint}/metrics", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as r:
        return r.headers, r.read()


def test_prometheus_scrapes_openmetrics_gzipped(tmp_path):
    target = f"127.0.0.1:{free_port()}"
    port = echo_server_forever()
    with Agent(tmp_path, free_port(), port, metrics=[f"unix:{tmp_path}/bpagent.sock", f"tcp:{target}"]) as agent:
        echo_many(agent.listen_port, 3, 100_000)
        with Prometheus(tmp_path, [target]) as prom:
            prom.wait_for('bpagent_agent_bytes_total{dir="c2s"}', lambda v: v == 300_000)
            (health,) = prom.targets()
            assert (health["health"], health["lastError"]) == ("up", "")
            assert prom.value('up{job="bpagent"}') == 1
            assert prom.value('sum(bpagent_bytes_total{dir="s2c"})') == 300_000
            assert prom.value("count(bpagent_stream_info)") == 3
            assert prom.value("count(bpagent_stream_state == 3)") == 3
            assert prom.value("bpagent_build_info") == 1
            # What Prometheus asked for, counted by the agent itself.
            s = agent.samples()
            assert value(s, "bpagent_exporter_responses_total", format="openmetrics", encoding="gzip") >= 1
            assert value(s, "bpagent_exporter_responses_total", format="text", encoding="gzip") == 0


def test_text_and_openmetrics_are_valid_gzipped_or_not(tmp_path):
    target = f"127.0.0.1:{free_port()}"
    port = echo_server_forever()
    with Agent(tmp_path, free_port(), port, metrics=[f"unix:{tmp_path}/bpagent.sock", f"tcp:{target}"]) as agent:
        echo_many(agent.listen_port, 2, 1_000)
        headers, plain = get(target)
        assert headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
        headers, zipped = get(target, **{"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] == "gzip"
        text = gzip.decompress(zipped)
        for body in (plain, text):
            check = subprocess.run(["promtool", "check", "metrics"], input=body, capture_output=True)
            assert (check.returncode, check.stdout, check.stderr) == (0, b"", b"")
        headers, zipped = get(target, **{"Accept": PROMETHEUS_ACCEPT, "Accept-Encoding": "gzip"})
        assert headers["Content-Type"] == "application/openmetrics-text; version=1.0.0; charset=utf-8"
        om = gzip.decompress(zipped).decode()
        assert om.endswith("# EOF\n")
        families = {f.name: f for f in text_string_to_metric_families(om)}
        assert families["bpagent_bytes"].type == "counter" and families["bpagent_bytes"].unit == "bytes"
        assert families["bpagent_stream"].type == "info"
        assert families["bpagent_stall_seconds"].type == "histogram"
        # Same series in both dialects: OpenMetrics adds only the _created samples.
        om_samples = {(s.name, tuple(sorted(s.labels.items()))) for f in families.values() for s in f.samples
                      if not s.name.endswith("_created")}
        text_samples = {(n, tuple(sorted(l.items()))) for n, l, _ in parse_metrics(text.decode())}
        changing = ("bpagent_exporter_", "process_")
        assert {x for x in om_samples if not x[0].startswith(changing)} == \
            {x for x in text_samples if not x[0].startswith(changing)}
        # curl asks for gzip with --compressed and gets the same text.
        curl = subprocess.run(["curl", "-sS", "--compressed", f"http://{target}/metrics"], capture_output=True, check=True)
        assert curl.stdout.count(b"\n# HELP ") == plain.count(b"\n# HELP ")
