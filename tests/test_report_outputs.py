"""A normal run's machine-readable outputs: `--output FILE.prom` for node_exporter's textfile
collector and `--junit FILE.xml` for CI, through the real CLI against the fake API."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from e2e import secretscan
from peers import Certs
from peers.fakeapi import FakeApi, key_for
from serve_world import parse

from llmdoctor.render.junit_view import render_junit

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def fake(certs: Certs) -> Iterator[FakeApi]:
    with FakeApi(certs) as api:
        yield api


def _two_targets(certs: Certs, fake: FakeApi) -> dict[str, str]:
    """openai healthy, anthropic with a revoked key, both on the fake API."""
    return {"SSL_CERT_FILE": str(certs.ca_pem), "OPENAI_API_KEY": key_for("good"), "OPENAI_BASE_URL": fake.url,
            "ANTHROPIC_API_KEY": key_for("invalid"), "ANTHROPIC_BASE_URL": fake.root}


def test_textfile_for_node_exporter(certs: Certs, fake: FakeApi, run_cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "textfile"
    out.mkdir()
    (out / "llmdoctor.prom").write_text("stale\n")
    proc = run_cli("--output", out / "llmdoctor.prom", "-q", env=_two_targets(certs, fake))
    assert proc.returncode == 1, proc.stderr
    assert [p.name for p in out.iterdir()] == ["llmdoctor.prom"]  # replaced by rename; no temp file left
    text = (out / "llmdoctor.prom").read_text()
    metrics = parse(text)
    assert metrics.value("probe_success", target="openai") == 1
    assert metrics.value("probe_success", target="anthropic") == 0
    assert metrics.value("llmdoctor_cause", target="anthropic", cause="auth.invalid_key") == 1
    assert metrics.value("llmdoctor_check_status", target="anthropic", check="auth") == 3
    assert (metrics.value("llmdoctor_run_timestamp_seconds") or 0) > 1.7e9
    assert secretscan.scan(text, canaries=[key_for("good"), key_for("invalid")]) == []


def test_junit_one_case_per_check_per_target_with_cause_and_fix(certs: Certs, fake: FakeApi, run_cli: Run,
                                                                  tmp_path: Path) -> None:
    junit = tmp_path / "llmdoctor.xml"
    proc = run_cli("--junit", junit, "-q", env=_two_targets(certs, fake))
    assert proc.returncode == 1, proc.stderr
    text = junit.read_text()
    root = ET.fromstring(text)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"llmdoctor: openai", "llmdoctor: anthropic"}
    checks = [c.get("name") for c in suites["llmdoctor: openai"].iter("testcase")]
    assert "auth" in checks and "tls" in checks and len(checks) == len(set(checks))
    assert root.get("tests") == str(2 * len(checks))
    assert suites["llmdoctor: openai"].get("failures") == "0"
    auth = next(c for c in suites["llmdoctor: anthropic"].iter("testcase") if c.get("name") == "auth")
    failure = auth.find("failure")
    assert failure is not None and failure.get("type") == "auth.invalid_key"
    message = failure.get("message") or ""
    assert "(auth.invalid_key)" in message and " Fix: " in message
    assert "Fix 1." in (failure.text or "")
    assert auth.get("classname") == "llmdoctor.anthropic"
    completion = next(c for c in suites["llmdoctor: openai"].iter("testcase") if c.get("name") == "completion")
    assert completion.find("skipped") is not None
    assert secretscan.scan(text, canaries=[key_for("good"), key_for("invalid")]) == []


def test_both_outputs_and_a_bad_path(certs: Certs, fake: FakeApi, run_cli: Run, tmp_path: Path) -> None:
    proc = run_cli("--output", tmp_path / "r.prom", "--junit", tmp_path / "r.xml", env=_two_targets(certs, fake))
    assert proc.returncode == 1
    assert (tmp_path / "r.prom").exists() and (tmp_path / "r.xml").exists()
    assert "Report saved to" in proc.stdout
    missing = tmp_path / "no" / "such" / "dir" / "r.xml"
    proc = run_cli("--junit", missing, "-q", env=_two_targets(certs, fake))
    assert proc.returncode == 2 and "cannot write" in proc.stderr and proc.stderr.count("\n") == 1
    proc = run_cli("--output", tmp_path / "r.txt", env=_two_targets(certs, fake))
    assert proc.returncode == 2 and "must end in .html, .json, .md or .prom" in proc.stderr


def test_junit_survives_control_characters_in_a_servers_text() -> None:
    data = {"generated_at": "2026-12-01T00:00:00+00:00", "causes": [], "targets": [{"name": "t", "results": [
        {"check": "auth", "status": "fail", "summary": "bad \x00\x1b[31m byte", "duration_ms": 1.0,
         "findings": [{"code": "x.y", "message": "m\x07", "hint": "h"}]}]}]}
    root = ET.fromstring(render_junit(data))
    assert root.get("failures") == "1"
