"""The plain console (a pipe's output without rich) writes what rich itself writes there, byte for byte.

rich is the oracle: each report is rendered through `make_console` (rich's console on a stream that is not
a terminal, as `explain` had it before) and through `PlainConsole`, and the two outputs must be equal.
The reports are explain's reports of the tuned corpus texts (real tracebacks with tabs, carriage returns,
CJK, quoted markup), in English and Chinese, and texts made to hold what rich rewrites.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from llmdoctor.explain import explain
from llmdoctor.render.consoles import PlainConsole, certainly_plain, make_console, plain_console
from llmdoctor.render.terminal import render_terminal
from llmdoctor.report import explanation_report

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import explain_eval  # noqa: E402

# What rich rewrites or reads on output: tabs, control codes, markup and emoji codes, wide characters.
AWKWARD = [
    "Traceback (most recent call last):\n\tFile \"app.py\", line 3\nhttpx.ConnectError: [Errno 111] Connection refused",
    "curl: (7) Failed to connect to 127.0.0.1 port 7890\r\nafter 0 ms: Connection refused",
    "openai.APIConnectionError: Connection error.\x07\x08\x0b\x0c",
    "Error code: 401 - {'error': {'message': '[bold red]Incorrect[/] API key provided: sk-abc***xyz :smile:'}}",
    "requests.exceptions.ConnectionError: [WinError 10061] 由于目标计算机积极拒绝，无法连接。\t(127.0.0.1:7890)",
    "HTTP 429 {\"error\":{\"code\":\"1302\",\"message\":\"您的账户已达到速率限制，请您控制请求频率\"}}",
]


def _rich_output(data: dict[str, Any]) -> str:
    out = io.StringIO()
    render_terminal(make_console(out, no_color=False), data)
    return out.getvalue()


def _plain_output(data: dict[str, Any]) -> str:
    out = io.StringIO()
    render_terminal(PlainConsole(out, no_color=False), data)
    return out.getvalue()


def _report(text: str, lang: str) -> dict[str, Any]:
    data: dict[str, Any] = explanation_report(explain(text.encode("utf-8"), lang=lang), lang, {}).data
    return data


@pytest.fixture(autouse=True)
def _no_rich_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    """rich reads these from os.environ; the oracle must render as a plain pipe does."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "JUPYTER_LINES",
                 "COLUMNS", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_corpus_reports_render_as_rich_renders_them(lang: str) -> None:
    rows = [row for row in explain_eval.load() if row["split"] == "tuned"]
    assert len(rows) > 500
    differing = []
    for row in rows:
        data = _report(row["text"], lang)
        if _plain_output(data) != _rich_output(data):
            differing.append(row["source"])
    assert differing == []


@pytest.mark.parametrize("text", AWKWARD)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_what_rich_rewrites_is_written_as_rich_writes_it(text: str, lang: str) -> None:
    data = _report(text, lang)
    data["verdict"] = f"{data['verdict']} {text}"  # the awkward text itself on a line of the view
    assert _plain_output(data) == _rich_output(data)


def test_a_terminal_or_a_colour_override_gets_riches_console(monkeypatch: pytest.MonkeyPatch) -> None:
    leader, follower = os.openpty()
    try:
        with open(follower, "w", encoding="utf-8", closefd=False) as tty:
            assert not certainly_plain(tty, {})
            assert not isinstance(plain_console(tty, False, {}), PlainConsole)
    finally:
        os.close(leader)
        os.close(follower)
    pipe = io.StringIO()
    assert isinstance(plain_console(pipe, False, {}), PlainConsole)
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        assert not isinstance(plain_console(pipe, False, {name: "1"}), PlainConsole)


def test_explain_into_a_pipe_prints_the_verdict_without_loading_rich() -> None:
    code = ("import sys; from llmdoctor.cli import main\n"
            "sys.argv = ['llmdoctor', 'explain', 'openai.AuthenticationError: Error code: 401 - "
            "{\"error\": {\"code\": \"invalid_api_key\", "
            "\"message\": \"Incorrect API key provided: sk-abc***wxyz\"}}']\n"
            "try:\n    main()\nexcept SystemExit as done:\n"
            "    sys.stderr.write('rich loaded' if 'rich' in sys.modules else 'rich not loaded'); raise\n")
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 1
    assert "Verdict: " in run.stdout and "[auth.invalid_key, " in run.stdout
    assert run.stderr.strip().endswith("rich not loaded")


def test_the_short_views_sentence_cut_is_riches_on_every_cause_and_corpus_text() -> None:
    """`PlainConsole.wrapped` breaks one-cell text with textwrap: it must break every cause's explanation (the
    texts the short view cuts) and every tuned corpus text exactly where rich's Text.wrap does."""
    from rich.text import Text

    from llmdoctor.knowledge import load

    rich_console, plain = make_console(io.StringIO(), no_color=False), PlainConsole(io.StringIO(), no_color=False)
    kb = load()
    texts = [kb.get(i).explanation(lang) for i in kb.ids() for lang in ("en", "zh")]
    for row in explain_eval.load():
        if row["split"] == "tuned":  # as one line, and as pasted (line breaks and tabs: rich's own path)
            texts += [" ".join(row["text"].split())[:600], row["text"][:400]]
    differing = [(text[:60], width) for text in texts for width in (100, 97, 40)
                 if [line.plain.strip() for line in Text(text).wrap(rich_console, width)]
                 != [line.strip() for line in plain.wrapped(text, width)]]
    assert differing == []


@pytest.fixture
def run_reports(run_cli: Any, certs: Any, tinyproxy: Any, tmp_path: Path) -> list[dict[str, Any]]:
    """Real runs' reports: healthy through a proxy with a login, the proxy down, a key the API refuses."""
    import socket

    from peers.fakeapi import FakeApi, key_for

    reports = []
    with FakeApi(certs) as api, socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{closed.getsockname()[1]}"
        for proxy, key, lang in ((tinyproxy.url(), key_for("good"), "en"), (down, key_for("good"), "zh"),
                                 (tinyproxy.url(), key_for("bad"), "en"), (tinyproxy.url(), key_for("bad"), "zh")):
            env = {"SSL_CERT_FILE": str(certs.ca_pem), "HTTPS_PROXY": proxy, "OPENAI_API_KEY": key,
                   "OPENAI_BASE_URL": api.url}
            run = run_cli("--json", "--lang", lang, env=env)
            reports.append(json.loads(run.stdout))
    return reports


def test_a_runs_views_render_as_rich_renders_them(run_reports: list[dict[str, Any]]) -> None:
    """The run's terminal view into a pipe goes through the plain console too: short, verbose and quiet."""
    assert {r["healthy"] for r in run_reports} == {True, False}
    for data in run_reports:
        for options in ({}, {"verbose": True}, {"quiet": True}, {"saved_to": "report.html"}):
            plain, rich_out = io.StringIO(), io.StringIO()
            render_terminal(PlainConsole(plain, no_color=False), data, **options)
            render_terminal(make_console(rich_out, no_color=False), data, **options)
            assert plain.getvalue() == rich_out.getvalue(), options
