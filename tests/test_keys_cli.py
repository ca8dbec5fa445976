"""Keys as users pass them: on the command line (warned), on stdin without --provider (routed by
prefix), none at all for a local server, and a dummy key that must not garble the fix text."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from typing import Any

import pytest

from llmdoctor.secrets import Scrubber, is_dummy_key, scrubber_from_env
from tests.peers.raw import closed_port

RunCli = Callable[..., subprocess.CompletedProcess[str]]
ANTHROPIC_KEY = "sk-ant-api03-" + "Zx9" * 20 + "AAAA"


def _targets(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [t["name"] for t in json.loads(proc.stdout)["targets"]]


def test_a_key_on_the_command_line_draws_one_warning_naming_the_safer_ways(run_cli: RunCli) -> None:
    proc = run_cli("--api-key", ANTHROPIC_KEY, "--only", "key,endpoint", "--json")
    warning = [line for line in proc.stderr.splitlines() if "warning" in line]
    assert len(warning) == 1 and "shell history" in warning[0] and "`ps`" in warning[0]
    assert "--api-key -" in warning[0] and "export ANTHROPIC_API_KEY=" in warning[0]
    assert ANTHROPIC_KEY not in proc.stdout + proc.stderr
    quiet = run_cli("--api-key", "-", "--only", "key,endpoint", "--json", input=ANTHROPIC_KEY + "\n")
    assert "warning" not in quiet.stderr


@pytest.mark.parametrize(("key", "target"), [
    (ANTHROPIC_KEY, "anthropic"),
    ("sk-proj-" + "Ab1" * 20, "openai"),
    ("gsk_" + "Ab1" * 16, "groq"),
    ("AIzaSy" + "Ab1" * 11, "gemini"),
    ("sk-or-v1-" + "ab12" * 16, "openrouter"),
])
def test_a_key_on_stdin_without_provider_goes_to_the_provider_its_prefix_names(run_cli: RunCli, key: str,
                                                                               target: str) -> None:
    proc = run_cli("--api-key", "-", "--only", "key,endpoint", "--json", input=key + "\n")
    assert _targets(proc) == [target], proc.stderr
    codes = [f["code"] for t in json.loads(proc.stdout)["targets"] for r in t["results"] for f in r["findings"]]
    assert "auth.key_wrong_provider" not in codes


def test_a_bare_sk_key_without_provider_asks_for_one(run_cli: RunCli) -> None:
    key = "sk-" + "ab12" * 12
    proc = run_cli("--api-key", "-", "--only", "key,endpoint", input=key + "\n")
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "--provider" in proc.stderr
    assert key not in proc.stderr


def test_a_local_server_needs_no_key_and_its_refusal_is_the_verdict(run_cli: RunCli) -> None:
    port = closed_port()
    proc = run_cli("--json", env={"OPENAI_BASE_URL": f"http://localhost:{port}/v1", "OPENAI_API_KEY": None})
    data: dict[str, Any] = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert data["causes"][0]["id"] == "net.connect_refused"
    assert "config.missing_key" not in [c["id"] for c in data["causes"]]
    key = next(r for r in data["targets"][0]["results"] if r["check"] == "key")
    assert key["status"] == "skip" and "needs none" in key["summary"]
    assert "API key" not in data["verdict"]


def test_the_dummy_key_ollama_leaves_the_fix_text_whole(run_cli: RunCli) -> None:
    port = closed_port()
    for args in (["--json"], []):
        proc = run_cli(*args, env={"OPENAI_BASE_URL": f"http://127.0.0.1:{port}/v1", "OPENAI_API_KEY": "ollama"})
        assert "ollama serve" in proc.stdout and "*** serve" not in proc.stdout


def test_real_keys_are_still_masked_everywhere() -> None:
    assert is_dummy_key("ollama") and is_dummy_key("lm-studio") and is_dummy_key("EMPTY")
    for key in ("sk-proj-" + "Ab1" * 20, "abc123xyz", "sk-no-key-required-x1", "hunter2", "x" * 16):
        assert not is_dummy_key(key), key
    scrub = scrubber_from_env({"OPENAI_API_KEY": "sk-proj-" + "Ab1" * 20, "GROQ_API_KEY": "abc123xyz",
                               "PROXY_PASSWORD": "ollama", "OLLAMA_API_KEY": "ollama"})
    text = scrub("key sk-proj-" + "Ab1" * 20 + " short abc123xyz; For Ollama: ollama serve")
    assert "Ab1Ab1" not in text and "abc123xyz" not in text
    # The password "ollama" is masked (a password is always a secret), the API key "ollama" is not.
    assert "ollama serve" not in text
    only_key = scrubber_from_env({"OLLAMA_API_KEY": "ollama"})
    assert only_key("For Ollama: ollama serve") == "For Ollama: ollama serve"
    assert Scrubber(["sk-ant-api03-" + "q" * 40])("x sk-ant-api03-" + "q" * 40) == "x sk-ant-api03-…qqqq"
