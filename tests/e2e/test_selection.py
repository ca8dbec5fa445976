"""--only, --skip and --enable through the real CLI: a selection that cannot be honoured is a usage error."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

from peers.fakeapi import FakeApi

from e2e.world import key

RunCli = Callable[..., subprocess.CompletedProcess[str]]


def test_skipping_every_check_is_a_usage_error_not_healthy(run_cli: RunCli) -> None:
    names = ("proxy-env,endpoint,key,dns,proxy,tcp,tls,auth,completion,models,rate-limits,timing,"
             "example-region")
    proc = run_cli("--provider", "openai", "--skip", names, "--json", env={"OPENAI_API_KEY": key()})
    if "unknown check 'example-region'" in proc.stderr:  # the example plug-in is not installed here
        proc = run_cli("--provider", "openai", "--skip", names.rsplit(",", 1)[0], "--json",
                       env={"OPENAI_API_KEY": key()})
    assert proc.returncode == 2, proc.stderr
    assert "--skip leaves no check to run" in proc.stderr and "Traceback" not in proc.stderr


def test_only_names_a_prerequisite_that_skip_removes(run_cli: RunCli) -> None:
    proc = run_cli("--provider", "openai", "--only", "tls", "--skip", "tcp", env={"OPENAI_API_KEY": key()})
    assert proc.returncode == 2
    assert "--only tls needs the tcp check(s), which --skip removes: drop tcp from --skip" in proc.stderr


def test_enable_an_unknown_check_is_a_usage_error(run_cli: RunCli) -> None:
    proc = run_cli("--provider", "openai", "--enable", "no-such-check", env={"OPENAI_API_KEY": key()})
    assert proc.returncode == 2 and "unknown check 'no-such-check'" in proc.stderr


def test_only_pulls_in_what_it_needs_and_the_json_has_no_runner_internals(run_cli: RunCli, certs) -> None:  # type: ignore[no-untyped-def]
    api = FakeApi(certs)
    try:
        proc = run_cli("--provider", "openai", "--base-url", api.url, "--only", "models", "--json",
                       env={"OPENAI_API_KEY": key(), "SSL_CERT_FILE": str(certs.ca_pem)})
    finally:
        api.stop()
    report = json.loads(proc.stdout)
    ran = [r["check"] for r in report["targets"][0]["results"]]
    assert ran == ["endpoint", "key", "dns", "proxy", "tcp", "tls", "auth", "models"]
    assert proc.returncode == 0 and report["healthy"] is True and report["not_run"] == []
    assert "_blocked_by" not in proc.stdout
