"""A real Prometheus (Debian's `prometheus` package) on a free loopback port, with a generated
prometheus.yml, and a client for its HTTP query API (/api/v1/query).

Start-up takes 1-3 s on a busy 2-CPU machine (the TSDB opens its head block), so it is polled on
/-/ready for up to 30 s rather than the daemons' 5 s. Mark: `requires_prometheus`.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from typing import Any

import pytest

from .daemons import Daemon, DaemonError, which

requires_prometheus = pytest.mark.skipif(
    which("prometheus") is None, reason="prometheus is not installed (apt-get install prometheus)")
_READY_DEADLINE = 30.0


class PrometheusServer(Daemon):
    """`PrometheusServer(scrape_configs_yaml, scrape_interval="1s")`; `.query(expr)` returns the
    instant vector as a list of {"metric": {...}, "value": [ts, "v"]}."""

    name = "prometheus"

    def __init__(self, scrape_configs: str, scrape_interval: str = "1s", scrape_timeout: str = "1s") -> None:
        self.scrape_configs = scrape_configs
        self.scrape_interval, self.scrape_timeout = scrape_interval, scrape_timeout
        super().__init__()

    def argv(self) -> list[str]:
        binary = which("prometheus")
        assert binary is not None
        config = self.workdir / "prometheus.yml"
        config.write_text(f"global:\n  scrape_interval: {self.scrape_interval}\n"
                          f"  scrape_timeout: {self.scrape_timeout}\n"
                          f"scrape_configs:\n{self.scrape_configs}", encoding="utf-8")
        return [binary, f"--config.file={config}", f"--storage.tsdb.path={self.workdir / 'data'}",
                f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=warn"]

    @property
    def config_text(self) -> str:
        return (self.workdir / "prometheus.yml").read_text(encoding="utf-8")

    def _wait_listening(self) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + _READY_DEADLINE
        while True:
            rc = self.proc.poll()
            if rc is not None:
                raise DaemonError(f"prometheus exited with rc={rc} before it was ready:\n{self.log_text()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/-/ready", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise DaemonError(f"prometheus not ready after {_READY_DEADLINE} s:\n{self.log_text()}")
            time.sleep(0.05)

    def query(self, expr: str) -> list[dict[str, Any]]:
        url = f"http://127.0.0.1:{self.port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy variable
        with opener.open(url, timeout=5) as answer:
            data = json.loads(answer.read())
        assert data["status"] == "success", data
        result: list[dict[str, Any]] = data["data"]["result"]
        return result

    def values(self, expr: str, by: str = "instance") -> dict[str, float]:
        """{label value: sample value} of an instant query."""
        return {r["metric"].get(by, ""): float(r["value"][1]) for r in self.query(expr)}
