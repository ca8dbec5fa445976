"""An empty or blank OPENAI_BASE_URL / ANTHROPIC_BASE_URL is what the SDKs make of it: the base URL.

openai 3.57 and anthropic 2.15 (tried in a scratch venv) fall back to their default only when the
variable is absent; "" and " " become the base URL and every call fails with APIConnectionError.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from llmdoctor.config import CliValues, build_targets
from llmdoctor.model import Status
from llmdoctor_checks.endpoint import EndpointCheck
from tests.helpers import codes, run_check

RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.mark.parametrize("value", ["", " ", "\t"])
@pytest.mark.parametrize(("provider", "var"), [("openai", "OPENAI_BASE_URL"), ("anthropic", "ANTHROPIC_BASE_URL")])
def test_a_blank_variable_is_an_empty_base_url_not_the_default(provider: str, var: str, value: str) -> None:
    (target,) = build_targets(CliValues(provider=provider), {var: value}, {})
    assert target.base_url.value == value and target.base_url.source == f"env:{var}"
    assert target.provider.id == provider  # not taken for a relay with an empty host
    result = run_check(EndpointCheck, target=target)
    assert result.status is Status.FAIL and codes(result) == ["config.base_url_empty"]
    assert var in result.findings[0].message


def test_dotenv_empty_line_counts_unless_the_shell_sets_the_variable() -> None:
    (from_dotenv,) = build_targets(CliValues(provider="openai"), {}, {"OPENAI_BASE_URL": ""})
    assert from_dotenv.base_url.source == ".env:OPENAI_BASE_URL"
    (shell_wins,) = build_targets(CliValues(provider="openai"), {"OPENAI_BASE_URL": "https://relay.example/v1"},
                                  {"OPENAI_BASE_URL": ""})
    assert shell_wins.base_url.value == "https://relay.example/v1"
    (absent,) = build_targets(CliValues(provider="openai"), {}, {})
    assert absent.base_url.source == "default"


def test_the_cli_names_the_empty_variable_and_its_fix(run_cli: RunCli, tmp_path: Path) -> None:
    proc = run_cli("--provider", "openai", "--json", env={"OPENAI_BASE_URL": "", "OPENAI_API_KEY": "sk-" + "a1" * 20})
    data = json.loads(proc.stdout)
    assert proc.returncode == 1
    top = data["causes"][0]
    assert top["id"] == "config.base_url_empty"
    assert any("unset OPENAI_BASE_URL" in step for step in top["fix"])
