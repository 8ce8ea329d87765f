"""A real Prometheus server (Debian's `prometheus`) for the end-to-end tests: started with a
config in a temporary directory, queried through its HTTP API, stopped by pid."""
import json
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

from harness import free_port, stop_process, wait_until


class Prometheus:
    """Scrapes `targets` (host:port) as job `bpagent` every `interval`; a context manager."""

    def __init__(self, tmp, targets, interval="1s", rule_files=(), job="bpagent"):
        self.dir = Path(tmp) / f"prometheus-{free_port()}"
        self.dir.mkdir()
        self.port = free_port()
        config = {
            "global": {"scrape_interval": interval, "evaluation_interval": interval},
            "rule_files": [str(Path(f).resolve()) for f in rule_files],
            "scrape_configs": [{"job_name": job, "static_configs": [{"targets": list(targets)}]}],
        }
        # JSON is YAML: no YAML library needed.
        (self.dir / "prometheus.yml").write_text(json.dumps(config))
        self.log_path = self.dir / "prometheus.log"
        self.proc = subprocess.Popen(
            ["prometheus", f"--config.file={self.dir / 'prometheus.yml'}", f"--storage.tsdb.path={self.dir / 'data'}",
             f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=warn"],
            stdout=subprocess.DEVNULL, stderr=open(self.log_path, "wb"))
        wait_until(self.ready, timeout=60, what="prometheus ready")

    def ready(self):
        assert self.proc.poll() is None, f"prometheus exited: {self.log()}"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/-/ready", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def api(self, path, **params):
        url = f"http://127.0.0.1:{self.port}/api/v1/{path}?{urllib.parse.urlencode(params)}"
        with urllib.request.urlopen(url, timeout=30) as r:
            doc = json.load(r)
        assert doc["status"] == "success", doc
        return doc["data"]

    def query(self, expr, at=None):
        """The result vector of an instant query: [(labels, value)]."""
        params = {"query": expr} | ({"time": f"{at:.3f}"} if at is not None else {})
        data = self.api("query", **params)
        assert data["resultType"] in ("vector", "scalar"), data
        if data["resultType"] == "scalar":
            return [({}, float(data["result"][1]))]
        return [(r["metric"], float(r["value"][1])) for r in data["result"]]

    def value(self, expr, at=None):
        """The single value of `expr`, or None when it has no result."""
        result = self.query(expr, at)
        assert len(result) <= 1, f"{expr}: {result}"
        return result[0][1] if result else None

    def wait_for(self, expr, predicate=lambda v: v is not None, timeout=60):
        wait_until(lambda: predicate(self.value(expr)), timeout=timeout, what=f"prometheus: {expr}")

    def targets(self):
        return self.api("targets")["activeTargets"]

    def log(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        stop_process(self.proc)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

