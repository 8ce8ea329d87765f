"""bptop reading a fleet through a real Prometheus server: three agents with iperf3 through
each, scraped by Prometheus every 2 s; `bptop --source prometheus+http://…` shows every
agent's streams under its own instance, at the rates scraping each agent directly gives."""
import json
import re
import subprocess
import time

from harness import Agent, free_port, iperf_server, stop_process, wait_until
from prometheus import Prometheus
from tui import Tmux, bptop_path

RATES = {0: 40, 1: 80, 2: 120}  # Mbit/s of each agent's one iperf3 stream


def once(*sources, interval="3s"):
    args = [bptop_path()] + [a for s in sources for a in ("--source", s)] + ["--once", "--json", "-i", interval]
    r = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def c2s_rates(doc):
    # With several agents a stream is named `instance/id`, as with several --source.
    return {(r["source"], r["stream"].rsplit("/", 1)[-1]): r["throughput_now_bytes_per_second"] for r in doc["streams"]
            if r["dir"] == "c2s" and (r["throughput_now_bytes_per_second"] or 0) > 1e6}


def test_a_fleet_through_prometheus(tmp_path):
    procs, agents = [], []
    try:
        for i in RATES:
            server = free_port()
            procs.append(iperf_server(tmp_path, server))
            (tmp_path / f"a{i}").mkdir()
            agents.append(Agent(tmp_path / f"a{i}", free_port(), server, metrics=[f"tcp:127.0.0.1:{free_port()}"]))
        targets = [a.metrics[0][len("tcp:"):] for a in agents]
        # Prometheus scrapes every 2 s, bptop reads every 1 s: two federation reads would often
        # see one observation twice; the rate comes from the observations' own times.
        with Prometheus(tmp_path, targets, interval="2s") as prom:
            prom.wait_for('count(up{job="bpagent"} == 1)', lambda v: v == 3)
            for i, agent in enumerate(agents):
                procs.append(subprocess.Popen(["iperf3", "-c", "127.0.0.1", "-p", str(agent.listen_port), "-t", "60",
                                               "-b", f"{RATES[i]}M"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
            source = f"prometheus+http://127.0.0.1:{prom.port}?job=bpagent"
            # Until Prometheus has two scrapes of every agent's data stream.
            wait_until(lambda: len(c2s_rates(once(source, interval="1s"))) == 3, timeout=40, what="three streams via prometheus")
            fleet = once(source, interval="1s")
            assert [(s["name"], s["status"]) for s in fleet["sources"]] == [(f"prometheus 127.0.0.1:{prom.port}", "ok")]
            through = c2s_rates(fleet)
            direct = {}
            for target in targets:
                direct |= {(target, stream): v for (_, stream), v in c2s_rates(once(f"http://{target}/metrics")).items()}
            assert set(through) == set(direct), (through, direct)
            for key, v in through.items():
                assert abs(v - direct[key]) <= 0.05 * direct[key], (key, v, direct[key])
                assert abs(v * 8 / 1e6 - RATES[targets.index(key[0])]) <= 0.1 * RATES[targets.index(key[0])], (key, v)
            # The live dashboard shows every agent's data stream at its rate, named by instance.
            def live_rates(lines):
                rows = [re.match(r"^│(127\.0\.0…)\s+\S+\s+c2s\s+([\d.]+) Mb/s", line) for line in lines]
                return sorted(float(m.group(2)) for m in rows if m)

            def shows_all(lines):
                rates = live_rates(lines)
                return len(rates) == 3 and all(abs(r - e) <= 0.1 * e for r, e in zip(rates, sorted(RATES.values())))
            with Tmux(tmp_path) as tmux:
                tmux.start("fleet", [bptop_path(), "--source", source, "-i", "1s"])
                # The chart starts with the server's history: within 3 s of starting, the
                # throughput chart's axis already reaches back more than 5 s (it spans the data).
                def axis_reach(lines):
                    axis = next((l for l in lines[3:] if re.match(r"^│\s+-[\d.]+s\s", l)), None)
                    return float(re.match(r"^│\s+-([\d.]+)s", axis).group(1)) if axis else 0
                tmux.wait_screen("fleet", lambda lines: axis_reach(lines) > 5, timeout=3, what="the chart back past -5s at once")
                tmux.wait_screen("fleet", shows_all, timeout=30, what="three agents' streams at 40, 80, 120 Mb/s")
    finally:
        for p in procs:
            stop_process(p)
        for a in agents:
            a.stop()
