"""docs/monitoring.md's configuration is real: Prometheus' own promtool accepts the scrape job and the
alert rules, the rules fire as the page says, and the Grafana dashboard queries only series the
exporter exports."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from peers import which

DOC = Path(__file__).resolve().parent.parent / "docs" / "monitoring.md"
requires_promtool = pytest.mark.skipif(which("promtool") is None,
                                       reason="promtool is not installed (apt-get install prometheus)")


def block(name: str) -> str:
    """The fenced block right after `<!-- monitoring: NAME -->`."""
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- monitoring: " + re.escape(name) + r" -->\n```\w*\n(.*?)\n```", text, re.S)
    assert match, f"docs/monitoring.md has no block {name}"
    return match.group(1) + "\n"


def _promtool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    binary = which("promtool")
    assert binary is not None
    return subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)


@requires_promtool
def test_promtool_accepts_the_scrape_config_and_the_rules(tmp_path: Path) -> None:
    (tmp_path / "prometheus.yml").write_text(block("prometheus.yml"))
    (tmp_path / "llmdoctor-rules.yml").write_text(block("llmdoctor-rules.yml"))
    rules = _promtool("check", "rules", "llmdoctor-rules.yml", cwd=tmp_path)
    assert rules.returncode == 0, rules.stdout + rules.stderr
    assert "SUCCESS: 6 rules found" in rules.stdout
    config = _promtool("check", "config", "prometheus.yml", cwd=tmp_path)
    assert config.returncode == 0, config.stdout + config.stderr


UNIT_TESTS = """
rule_files: [llmdoctor-rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'probe_success{job="llmdoctor", instance="relay"}'
        values: '0x10'
      - series: 'probe_success{job="llmdoctor", instance="openai"}'
        values: '1x10'
      - series: 'llmdoctor_cause_needs_human{job="llmdoctor", instance="relay", cause="quota.insufficient"}'
        values: '1x10'
      - series: 'llmdoctor_cause_needs_human{job="llmdoctor", instance="openai", cause="tls.trust_store_mismatch"}'
        values: '0x10'
      - series: 'llmdoctor_ratelimit_headroom_ratio{job="llmdoctor", instance="openai", kind="requests"}'
        values: '0.05x10'
      - series: 'llmdoctor_ratelimit_headroom_ratio{job="llmdoctor", instance="openai", kind="tokens"}'
        values: '0.5x10'
    alert_rule_test:
      - eval_time: 4m
        alertname: LLMProbeFailing
        exp_alerts: []
      - eval_time: 6m
        alertname: LLMProbeFailing
        exp_alerts:
          - exp_labels: {severity: page, job: llmdoctor, instance: relay}
            exp_annotations:
              summary: "LLM API path to relay is failing"
              description: >-
                llmdoctor has reported failure for 5 minutes. Causes:
                llmdoctor_cause{instance="relay"}; run `llmdoctor` on the host for the fix.
      - eval_time: 3m
        alertname: LLMCauseNeedsHuman
        exp_alerts:
          - exp_labels: {severity: ticket, job: llmdoctor, instance: relay, cause: quota.insufficient}
            exp_annotations:
              summary: "relay: quota.insufficient needs a person"
              description: "Retrying will not help; the fix for quota.insufficient is in llmdoctor's docs/causes.md."
      - eval_time: 6m
        alertname: LLMRateLimitHeadroomLow
        exp_alerts:
          - exp_labels: {severity: warning, job: llmdoctor, instance: openai, kind: requests}
            exp_annotations:
              summary: "openai: under 10 % of the requests rate limit left"
"""


@requires_promtool
def test_the_alert_rules_fire_as_documented(tmp_path: Path) -> None:
    (tmp_path / "llmdoctor-rules.yml").write_text(block("llmdoctor-rules.yml"))
    (tmp_path / "tests.yml").write_text(UNIT_TESTS)
    result = _promtool("test", "rules", "tests.yml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


EXPORTED = {
    "probe_success", "probe_duration_seconds", "probe_http_status_code", "llmdoctor_deadline_exceeded",
    "llmdoctor_target_info", "llmdoctor_check_status", "llmdoctor_check_duration_seconds", "llmdoctor_cause",
    "llmdoctor_cause_needs_human", "llmdoctor_phase_duration_seconds", "llmdoctor_ratelimit_limit",
    "llmdoctor_ratelimit_remaining", "llmdoctor_ratelimit_headroom_ratio", "llmdoctor_ratelimit_reset_seconds",
    "llmdoctor_tls_cert_expiry_timestamp_seconds", "llmdoctor_run_timestamp_seconds",
}


def test_the_exported_names_are_the_documented_ones() -> None:
    """The view's source and the page list the same metric names."""
    source = (DOC.parent.parent / "llmdoctor" / "render" / "prometheus_view.py").read_text(encoding="utf-8")
    gauges = set(re.findall(r'out\.add\(\s*"((?:probe|llmdoctor)_[a-z_]+)"', source))
    infos = {name + "_info" for name in re.findall(r'out\.info\(\s*"(llmdoctor_[a-z_]+)"', source)}
    assert gauges | infos == EXPORTED
    text = DOC.read_text(encoding="utf-8")
    for name in EXPORTED:
        assert f"`{name}" in text, f"{name} is not in docs/monitoring.md"


def test_the_grafana_dashboard_is_json_and_queries_exported_series() -> None:
    dashboard = json.loads(block("grafana-dashboard.json"))
    assert dashboard["uid"] and dashboard["panels"]
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    exprs.append(dashboard["templating"]["list"][1]["query"])
    for expr in exprs:
        names = set(re.findall(r"\b((?:probe|llmdoctor)_[a-z_]+)\b", expr))
        assert names and names <= EXPORTED, expr
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
