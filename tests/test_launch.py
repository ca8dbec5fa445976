"""A plain run's start is made before click loads (llmdoctor/launch.py), and the CLI takes it: one tunnel per
trust store, the same report as a run that opened its path itself. Through the real CLI (`python -m llmdoctor`),
a real tinyproxy with a login and a real HTTPS server; no timings are asserted.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from peers import Certs, TinyproxyServer
from peers.fakeapi import FakeApi, key_for

from llmdoctor.prestart import plain_options

RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def api(certs: Certs) -> Iterator[FakeApi]:
    with FakeApi(certs) as server:
        yield server


@pytest.mark.parametrize(("argv", "options"), [
    ([], {}),
    (["--json"], {"as_json": True}),
    (["-o", "r.json", "--lang", "zh", "-q"], {"output": "r.json", "lang": "zh", "quiet": True}),
    (["--output=r.html", "--junit", "j.xml", "--verbose"], {"output": "r.html", "junit": "j.xml", "verbose": True}),
])
def test_a_plain_argument_list_is_read_as_click_reads_it(argv: list[str], options: dict[str, Any]) -> None:
    assert plain_options(argv) == options


@pytest.mark.parametrize("argv", [
    ["explain", "x"], ["--help"], ["--version"], ["--provider", "openai"], ["--proxy", "http://127.0.0.1:1"],
    ["--output", "r.txt"], ["--output"], ["--lang", "fr"], ["--json", "--only", "tls"], ["--api-key", "-"],
    ["-o="],
])
def test_anything_else_is_left_to_the_cli(argv: list[str]) -> None:
    assert plain_options(argv) is None


@pytest.fixture(autouse=True)
def _switch_interval_kept() -> Iterator[None]:
    """begin_early sets the GIL's switch interval for the process it starts; in the test process it is put back."""
    import sys

    saved = sys.getswitchinterval()
    yield
    sys.setswitchinterval(saved)


def _report(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert proc.stdout.strip(), proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


@pytest.mark.parametrize("extra", [(), ("--lang", "zh", "-o", "report.json")])
def test_the_cli_takes_the_start_made_before_it_loaded(run_cli: RunCli, certs: Certs, api: FakeApi,
                                                       tinyproxy: TinyproxyServer, extra: tuple[str, ...],
                                                       tmp_path: Path) -> None:
    env = {"SSL_CERT_FILE": str(certs.ca_pem), "HTTPS_PROXY": tinyproxy.url(), "OPENAI_API_KEY": key_for("good"),
           "OPENAI_BASE_URL": api.url}
    plain = _report(run_cli("--json", *extra, env=env))
    opened_plain = api.server.accepted
    # --provider is not a plain run's option: the CLI opens the path itself, after it loaded.
    named = _report(run_cli("--json", "--provider", "openai", *extra, env=env))
    assert plain["exit_code"] == named["exit_code"] == 0
    # One TLS connection per trust store (the user's, the OS store's) in each run: the CLI took the early
    # start; had it made its own, the API would have seen four.
    assert opened_plain == api.server.accepted - opened_plain == 2
    assert [r.path for r in api.requests] == ["/v1/models", "/v1/models"]
    status = [{r["check"]: r["status"] for r in rep["targets"][0]["results"]} for rep in (plain, named)]
    assert status[0] == status[1]
    assert key_for("good") not in json.dumps(plain)


def test_a_start_made_for_another_run_is_closed_not_used(certs: Certs, api: FakeApi,
                                                         tinyproxy: TinyproxyServer, tmp_path: Path) -> None:
    from llmdoctor import app, prestart
    from llmdoctor.config import CliValues, build_settings

    env = {"SSL_CERT_FILE": str(certs.ca_pem), "HTTPS_PROXY": tinyproxy.url(), "OPENAI_API_KEY": key_for("good"),
           "OPENAI_BASE_URL": api.url}
    prestart.begin_early({}, env, tmp_path)
    other = build_settings(env, timeout=9.0)
    assert prestart.take(CliValues(), other, env, tmp_path, app.Selection()) is None
    assert prestart.take(CliValues(), build_settings(env), env, tmp_path, app.Selection()) is None  # gone once refused


def test_the_start_made_first_is_the_one_the_cli_runs_on(certs: Certs, api: FakeApi, tinyproxy: TinyproxyServer,
                                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """In one process, as `llmdoctor --json` runs: launch's start, then the CLI. Had the CLI not taken it
    (settings that differ by one default), the API would see four TLS connections instead of two."""
    import os

    from llmdoctor import prestart
    from llmdoctor.cli import main

    for name, value in {"SSL_CERT_FILE": str(certs.ca_pem), "HTTPS_PROXY": tinyproxy.url(),
                        "OPENAI_API_KEY": key_for("good"), "OPENAI_BASE_URL": api.url}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    options = plain_options(["--json"])
    assert options is not None
    prestart.begin_early(options, dict(os.environ), Path.cwd())
    assert prestart._early is not None
    try:
        code = main.main(["--json"], standalone_mode=False)
    except click.exceptions.Exit as done:
        code = done.exit_code
    assert code in (0, None)
    assert prestart._early is None  # taken
    assert api.server.accepted == 2
    assert json.loads(capsys.readouterr().out)["healthy"] is True
