"""The terminal view as a user at a 100x40 terminal meets it: one failure fits one screen, the verdict
last, each fact once, targets in a stable order, hanging indents, fix steps never hard-wrapped, a live
status line on a terminal and none of it in a pipe; --verbose keeps the long view."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from helpers import read_pty
from rich.cells import cell_len
from rich.console import Console

from llmdoctor.render.terminal import render_terminal
from tests.peers.raw import BlackholeServer, closed_port

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
WIDTH = 100


def _screen(data: dict[str, Any], **kwargs: Any) -> tuple[str, int]:
    """The view on a 100-column terminal, and how many rows it takes there."""
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=WIDTH, no_color=True, color_system=None,
                      highlight=False, emoji=False)
    render_terminal(console, data, **kwargs)
    text = ANSI.sub("", buf.getvalue())
    rows = sum(max(1, -(-cell_len(line) // WIDTH)) for line in text.split("\n")[:-1])
    return text, rows


@pytest.fixture
def dead_proxy_report(run_cli: Callable[..., subprocess.CompletedProcess[str]]) -> dict[str, Any]:
    """A relay on a closed port behind a proxy variable where nothing listens: several causes at once (the dead
    proxy port is one cause, not "nothing listens" and "the proxy refused" both: one fact, one cause)."""
    proc = run_cli("--base-url", f"https://127.0.0.1:{closed_port()}/v1", "--json",
                   env={"HTTPS_PROXY": f"http://127.0.0.1:{closed_port()}", "OPENAI_API_KEY": None})
    assert proc.returncode == 1, proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    assert len(data["causes"]) >= 2
    return data


def test_one_failing_target_fits_one_screen_with_the_verdict_last(dead_proxy_report: dict[str, Any]) -> None:
    text, rows = _screen(dead_proxy_report)
    assert rows <= 30, text
    lines = [line for line in text.splitlines() if line.strip()]
    verdict_at = next(i for i, line in enumerate(lines) if line.startswith("Verdict: "))
    # The verdict is the last thing on the screen (its continuation lines are indented under it).
    assert all(line.startswith(" ") for line in lines[verdict_at + 1:]), text


def test_each_fact_once(dead_proxy_report: dict[str, Any]) -> None:
    text, _ = _screen(dead_proxy_report)
    flat = " ".join(text.split())
    for target in dead_proxy_report["targets"]:
        for result in target["results"]:
            if result["status"] == "fail":
                # A failing check's summary: on its line and at most once more, in the verdict.
                assert flat.count(" ".join(result["summary"].split())) <= 2, result["summary"]
    top = dead_proxy_report["causes"][0]
    assert flat.count(top["title"]) == 2  # the cause's heading and the verdict


def test_summaries_wrap_with_a_hanging_indent_and_fix_steps_never_wrap(dead_proxy_report: dict[str, Any]) -> None:
    text, _ = _screen(dead_proxy_report)
    lines = text.splitlines()
    fail_lines = [i for i, line in enumerate(lines) if line.startswith("  ✗ fail")]
    assert fail_lines
    column = lines[fail_lines[0]].index("the proxy")
    wrapped = [lines[i + 1] for i in fail_lines if i + 1 < len(lines) and lines[i + 1].startswith(" " * column)]
    assert wrapped, text  # at least one summary is longer than a 100-column line
    assert all(not line[column].isspace() for line in wrapped)
    fixes = dead_proxy_report["causes"][0]["fix"]
    for step in fixes[:3]:  # the short view shows the first three; --verbose the rest
        assert step in text.split("\n") or any(line.endswith(step) for line in text.split("\n")), step
    if len(fixes) > 3:
        assert f"(+{len(fixes) - 3} more: --verbose)" in text


def test_targets_in_the_reports_order_whatever_finished_first(
        run_cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    with BlackholeServer() as slow:
        env = {"OPENAI_BASE_URL": f"https://127.0.0.1:{slow.port}/v1", "OPENAI_API_KEY": "sk-" + "a" * 40,
               "ANTHROPIC_BASE_URL": f"https://127.0.0.1:{closed_port()}", "ANTHROPIC_API_KEY": "sk-ant-" + "b" * 40}
        proc = run_cli("--timeout", "1", env=env)
    # openai waits on a silent server while anthropic is refused at once; openai still comes first.
    names = [line.split()[0] for line in proc.stdout.splitlines() if re.match(r"^(openai|anthropic)  https://", line)]
    assert names == ["openai", "anthropic"], proc.stdout


def test_verbose_keeps_every_check_line_and_every_cause_in_full(dead_proxy_report: dict[str, Any]) -> None:
    text, _ = _screen(dead_proxy_report, verbose=True)
    for target in dead_proxy_report["targets"]:
        for result in target["results"]:
            assert re.search(rf"{target['name']}\s+{re.escape(result['check'])} \.+ ", text), result["check"]
    flat = " ".join(text.split())
    for cause in dead_proxy_report["causes"][:5]:
        assert cause["title"] in flat and " ".join(cause["explanation"].split()) in flat
        for step in cause["fix"]:
            assert step in text
    assert text.rstrip().splitlines()[-1].startswith(("Verdict: ", " "))


def test_chinese_status_words_and_headings(run_cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    proc = run_cli("--provider", "openai", "--only", "key,endpoint", "--lang", "zh", env={"OPENAI_API_KEY": None})
    assert "失败" in proc.stdout and "结论：" in proc.stdout.replace(": ", "：")
    assert " fail " not in proc.stdout


def _pty_run(argv: list[str], env: dict[str, str], timeout: float = 60) -> str:
    """Runs argv with a pseudo-terminal as stdout, returns everything it drew."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    out = read_pty(master, proc, timeout)
    proc.wait(timeout=10)
    os.close(master)
    return out.decode("utf-8", "replace")


def test_a_live_status_line_on_a_terminal_and_none_in_a_pipe(
        cli_env: Callable[..., dict[str, str]], run_cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    with BlackholeServer() as slow:
        args = ["--provider", "openai", "--base-url", f"https://127.0.0.1:{slow.port}/v1", "--timeout", "2"]
        key = {"OPENAI_API_KEY": "sk-" + "a" * 40}
        drawn = _pty_run([sys.executable, "-m", "llmdoctor", *args],
                         cli_env(TERM="xterm-256color", COLUMNS="100", LINES="40", NO_COLOR=None, **key))
        piped = run_cli(*args, env=key)
    assert "Checking openai: tls…" in ANSI.sub("", drawn), drawn[-3000:]
    assert "Verdict: " in ANSI.sub("", drawn)
    assert "Checking" not in piped.stdout and "\x1b[" not in piped.stdout and "Checking" not in piped.stderr


def test_the_cause_the_verdict_names_is_the_one_shown_in_full() -> None:
    """A warning ranked above the failure (an odd key shape above the 401) is listed, the 401 detailed."""
    def cause(cid: str, severity: str, title: str) -> dict[str, Any]:
        return {"id": cid, "severity": severity, "title": title, "confidence": 0.9, "explanation": f"{title}.",
                "fix": [f"fix {cid}"], "evidence": [], "docs": [], "layer": "api"}
    data = {"lang": "en", "healthy": False, "verdict": "The API key was rejected (openai): 401", "targets": [],
            "causes": [cause("config.key_malformed", "warn", "Odd key"), cause("auth.invalid_key", "fail", "Rejected")]}
    text, _ = _screen(data)
    assert text.index("1. Rejected") < text.index("2. Odd key")
    assert "fix auth.invalid_key" in text and "fix config.key_malformed" not in text
