# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""A stand-in key's fix names the stand-in the server saw: `grep -rnF '<its unmasked start>' .` finds the line
that sets it. A real key's start is never printed, and too short a start fills nothing (the step is left out)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from llmdoctor.apierrors.match import placeholder_named
from llmdoctor.explain import explain

OPENAI = ("openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'Incorrect API key provided: {echo}. You "
          "can find your API key at https://platform.openai.com/account/api-keys.', 'type': 'invalid_request_error', "
          "'param': None, 'code': 'invalid_api_key'}}}}")


@pytest.mark.parametrize(("echo", "start"), [
    ("YOUR_OPE***_KEY", "YOUR_OPE"),  # a template's variable name written where the key goes, masked by OpenAI
    ("OPENAI_A**_KEY", "OPENAI_A"),  # https://github.com/fatma010/langchain_pandasai_streamlit/issues/6
    ("sk-xxxxxxxxxxxxxxxx", "sk-xxxxxxxxxxxxxxxx"),  # the docs' sk-xxxx, sent unmasked (short enough)
    ("your-a****-key", "your-a"),
    ("demo", None),  # LangChain4j's stand-in: a grep for "demo" would list half a project
    ("sk-proj-****************************************abcd", None),  # a real key's shape: its start is not printed
    ("sk-abc123*************************************wxyz", None),
])
def test_the_unmasked_start_of_a_stand_in_only(echo: str, start: str | None) -> None:
    assert placeholder_named(OPENAI.format(echo=echo)) == start


def test_the_fix_greps_for_the_stand_in_the_server_saw() -> None:
    cause = explain(OPENAI.format(echo="YOUR_OPE***_KEY")).causes[0]
    assert cause.id == "config.key_placeholder"
    assert "Find the line that sets it (the server saw a key starting YOUR_OPE): grep -rnF 'YOUR_OPE' ." in cause.fix
    zh = explain(OPENAI.format(echo="YOUR_OPE***_KEY"), lang="zh").causes[0]
    assert any(step.endswith("grep -rnF 'YOUR_OPE' .") for step in zh.fix), zh.fix


def test_a_stand_in_too_short_to_grep_for_leaves_the_step_out() -> None:
    cause = explain(OPENAI.format(echo="demo")).causes[0]
    assert cause.id == "config.key_placeholder"
    assert not any("grep" in step or "{placeholder}" in step for step in cause.fix), cause.fix
    assert any(".env.example may be loaded instead of .env" in step for step in cause.fix)


def test_the_printed_grep_runs_and_finds_the_line(tmp_path: object) -> None:
    """The command as printed, run by a shell in a project that holds the stand-in."""
    from pathlib import Path

    project = Path(str(tmp_path))
    (project / ".env.example").write_text("OPENAI_API_KEY=YOUR_OPENAI_API_KEY\n")
    step = next(s for s in explain(OPENAI.format(echo="YOUR_OPE***_KEY")).causes[0].fix if "grep" in s)
    command = step.split(": ", 1)[1]
    found = subprocess.run(["sh", "-c", command], cwd=project, capture_output=True, text=True, timeout=30)
    assert found.returncode == 0 and ".env.example:1:OPENAI_API_KEY=YOUR_OPENAI_API_KEY" in found.stdout


def test_the_cli_shows_the_grep_and_exits_1() -> None:
    run = subprocess.run([sys.executable, "-m", "llmdoctor", "explain", "-"], input=OPENAI.format(echo="OPENAI_A**_KEY"),
                         capture_output=True, text=True, timeout=60, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert run.returncode == 1, run.stderr
    assert "grep -rnF 'OPENAI_A' ." in run.stdout
