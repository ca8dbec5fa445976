"""`llmdoctor serve` as a process, and a real Prometheus scraping it the blackbox way."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from peers import Certs
from peers.fakeapi import FakeApi, key_for
from peers.prometheus import PrometheusServer, requires_prometheus
from serve_world import ServeProcess, parse, write_config

CONFIG = """
[targets.healthy]
provider = "relay"
base_url = "{url}"
api_key_env = "GOOD_KEY"

[targets.broken]
provider = "relay"
base_url = "{url}"
api_key_env = "BAD_KEY"
"""


@pytest.fixture
def fake(certs: Certs) -> Iterator[FakeApi]:
    with FakeApi(certs) as api:
        yield api


@pytest.fixture
def serve(certs: Certs, fake: FakeApi, cli_env: Callable[..., dict[str, str]],
          tmp_path: Path) -> Iterator[ServeProcess]:
    """`llmdoctor serve --config targets.toml` with a healthy and a broken target on the fake API."""
    config = write_config(tmp_path, CONFIG.format(url=fake.url))
    env = cli_env(SSL_CERT_FILE=str(certs.ca_pem), GOOD_KEY=key_for("good"), BAD_KEY=key_for("invalid"))
    process = ServeProcess(["--config", str(config)], env, Path.cwd())
    yield process
    process.stop()


def test_the_process_serves_probes_and_stops_cleanly_on_sigterm(serve: ServeProcess) -> None:
    assert "(2 targets from " in serve.stderr and "healthy, broken" in serve.stderr
    metrics = parse(serve.get("/probe?target=healthy").text)
    assert metrics.value("probe_success", target="healthy") == 1
    assert parse(serve.get("/probe?target=broken").text).value("probe_success", target="broken") == 0
    own = serve.get("/metrics").text
    assert "process_resident_memory_bytes" in own and "_created" not in own
    assert serve.stop() == 0
    assert "Traceback" not in serve.stderr


def test_sighup_reloads_the_targets_and_a_broken_file_keeps_the_old(serve: ServeProcess, fake: FakeApi,
                                                                     tmp_path: Path) -> None:
    config = tmp_path / "targets.toml"
    config.write_text(CONFIG.format(url=fake.url) + '\n[targets.third]\nprovider = "openai"\n')
    serve.proc.send_signal(signal.SIGHUP)
    assert _eventually(lambda: "/probe?target=third" in serve.get("/").text, True, seconds=30)
    # the server swaps the table, then logs the line: a page that already shows it can come first (CI saw it)
    assert _eventually(lambda: "reloaded: 3 targets" in serve.stderr, True, seconds=30)
    config.write_text("[targets\n")
    serve.proc.send_signal(signal.SIGHUP)
    assert _eventually(lambda: "reload failed, keeping the old targets" in serve.stderr, True, seconds=30)
    assert "/probe?target=third" in serve.get("/").text
    assert serve.get("/probe?target=healthy").status == 200


@pytest.mark.parametrize("args, message", [
    (["--listen", "nonsense"], "expected HOST:PORT"),
    (["--listen", "api.example.com:9464"], "is not an IP address"),
    (["--listen", "127.0.0.1:99999"], "expected HOST:PORT"),
    (["--config", "missing.toml"], "cannot read missing.toml"),
    (["--concurrency", "0"], "--concurrency"),
    (["--max-timeout", "-1"], "--max-timeout"),
])
def test_usage_errors_are_one_line(run_cli: Callable[..., subprocess.CompletedProcess[str]], args: list[str],
                                   message: str) -> None:
    proc = run_cli("serve", *args, timeout=30)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_a_port_in_use_is_a_one_line_error(run_cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = run_cli("serve", "--listen", f"127.0.0.1:{port}", timeout=30)
    assert proc.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_help_lists_serve(run_cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    assert "serve" in run_cli("--help").stdout
    text = run_cli("serve", "--help").stdout
    assert "--listen" in text and "127.0.0.1:9464" in text and "--probe-completion" in text


# --- a real Prometheus ----------------------------------------------------------------------------


def _job(port: int) -> str:
    """The scrape job of docs/monitoring.md: targets are names, relabelled onto /probe's parameter."""
    return f"""  - job_name: llmdoctor
    metrics_path: /probe
    static_configs:
      - targets: [healthy, broken]
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: 127.0.0.1:{port}
  - job_name: llmdoctor_exporter
    static_configs:
      - targets: ["127.0.0.1:{port}"]
"""


def _eventually(read: Callable[[], Any], expected: Any, seconds: float = 60) -> Any:
    """Polls Prometheus until `read()` equals `expected` (scrapes land once a second)."""
    end = time.monotonic() + seconds
    seen = None
    while time.monotonic() < end:
        seen = read()
        if seen == expected:
            return seen
        time.sleep(0.25)
    return seen


@requires_prometheus
def test_prometheus_scrapes_the_exporter_the_blackbox_way(serve: ServeProcess) -> None:
    serve.get("/probe?target=healthy")  # the first probe imports httpx and loads trust stores
    with PrometheusServer(_job(serve.port)) as prometheus:
        assert _eventually(lambda: prometheus.values('up{job="llmdoctor"}'), {"healthy": 1.0, "broken": 1.0}) == \
            {"healthy": 1.0, "broken": 1.0}, prometheus.log_text()
        assert _eventually(lambda: prometheus.values('probe_success{job="llmdoctor"}'),
                           {"healthy": 1.0, "broken": 0.0}) == {"healthy": 1.0, "broken": 0.0}
        causes = prometheus.values('llmdoctor_cause{job="llmdoctor", instance="broken"}', by="cause")
        assert causes.get("auth.invalid_key") == 1.0, causes
        assert prometheus.values('llmdoctor_cause{job="llmdoctor", instance="healthy", cause=~"auth.*"}') == {}
        statuses = prometheus.values('llmdoctor_check_status{instance="broken"}', by="check")
        assert statuses["auth"] == 3 and statuses["endpoint"] == 0
        phases = prometheus.values('llmdoctor_phase_duration_seconds{instance="healthy"}', by="phase")
        assert {"dns", "connect", "tls", "first_byte"} <= set(phases)
        served = _eventually(lambda: bool(prometheus.values(
            'llmdoctor_exporter_probes_total{job="llmdoctor_exporter", target="broken"}', by="result")), True)
        assert served, prometheus.log_text()
    assert "Traceback" not in serve.stderr
