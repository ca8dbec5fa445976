"""The CLI as a user meets it: exit codes, one-line errors, the views, and no secret anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from llmdoctor import __version__
from llmdoctor.cli import main

CANARY_KEY = "sk-proj-CANARYcanary0123456789abcdefghijklmnopQRST"
GUARD = str(Path(__file__).parent / "guard")


def _subprocess(args: list[str], cwd: Path, stdin: str | None = None,
                extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(cwd), "LANG": "C.UTF-8", "PYTHONPATH": GUARD,
           **(extra_env or {})}
    return subprocess.run([sys.executable, "-m", "llmdoctor", *args], capture_output=True, text=True, env=env,
                          cwd=str(cwd), input=stdin, timeout=60)


def test_version_and_help() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).output.strip() == f"llm-api-doctor {__version__} (command: llmdoctor)"
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for word in ("checks", "env", "explain", "--probe-completion", "--output"):
        assert word in result.output


@pytest.mark.parametrize("args,message", [
    (["--timeout", "-1"], "--timeout"),
    (["--timeout", "abc"], "--timeout"),
    (["--only", "no-such-check"], "unknown check 'no-such-check'"),
    (["--provider", "nope"], "unknown provider 'nope'"),
    (["--resolve", "api.openai.com:443"], "expected HOST:PORT:ADDRESS"),
    (["--dns-server", "dns.google"], "expected an IP address"),
    (["--proxy", "127.0.0.1:7890"], "has no scheme"),
    (["--proxy", "socks4://127.0.0.1:1080"], "socks4"),
    (["--proxy", "http://h:1", "--no-proxy"], "exclude each other"),
    (["--output", "report.txt"], ".html, .json, .md or .prom"),
    (["--no-such-option"], "No such option"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = _subprocess(args, tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_api_key_from_stdin_is_used_and_never_shown(tmp_path: Path) -> None:
    result = _subprocess(["--provider", "openai", "--api-key", "-", "--only", "key,endpoint", "--json"], tmp_path,
                         stdin=CANARY_KEY + "\n")
    data = json.loads(result.stdout)
    key = data["targets"][0]["key"]
    assert key == {"present": True, "source": "--api-key", "length": len(CANARY_KEY), "redacted": "sk-proj-…QRST"}
    assert CANARY_KEY not in result.stdout + result.stderr


def test_offline_problem_gives_exit_1_and_names_the_cause(tmp_path: Path) -> None:
    result = _subprocess(["--only", "key,endpoint", "--json"], tmp_path, extra_env={"OPENAI_API_KEY": "sk-xxx"})
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["schema_version"] == "1.1" and data["kind"] == "report"
    assert data["exit_code"] == 1 and data["healthy"] is False
    assert data["causes"][0]["id"] == "config.key_placeholder"
    assert data["targets"][0]["results"][0]["check"] in ("key", "endpoint")


def test_healthy_offline_run_exits_0(tmp_path: Path) -> None:
    result = _subprocess(["--provider", "openai", "--only", "key,endpoint", "-q"], tmp_path,
                         extra_env={"OPENAI_API_KEY": CANARY_KEY})
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_ansi_without_a_terminal_and_progress_lines(tmp_path: Path) -> None:
    result = _subprocess(["--provider", "openai", "--only", "key,endpoint"], tmp_path,
                         extra_env={"OPENAI_API_KEY": "sk-xxx"})
    assert "\x1b[" not in result.stdout
    assert "key" in result.stdout and "fail" in result.stdout
    assert "sk-xxx" not in result.stdout


def test_dotenv_disagreeing_with_the_shell_is_reported(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("OPENAI_API_KEY=sk-proj-dotenv-value-0123456789abcdef\n")
    result = _subprocess(["--only", "key", "--json"], tmp_path, extra_env={"OPENAI_API_KEY": CANARY_KEY})
    data = json.loads(result.stdout)
    codes = [f["code"] for r in data["targets"][0]["results"] for f in r["findings"]]
    assert "config.env_mismatch" in codes
    assert "sk-proj-dotenv-value-0123456789abcdef" not in result.stdout


def test_canary_secrets_appear_in_no_output_format(tmp_path: Path) -> None:
    proxy_password = "Pr0xyCanaryPass"
    env = {"OPENAI_API_KEY": CANARY_KEY + " ", "ANTHROPIC_API_KEY": CANARY_KEY,
           "HTTPS_PROXY": f"http://bob:{proxy_password}@127.0.0.1:9"}
    outputs = []
    for args in (["--json"], ["--output", "r.json"], ["--output", "r.md"], [], ["--lang", "zh"]):
        result = _subprocess(["--only", "key,endpoint", *args], tmp_path, extra_env=env)
        outputs += [result.stdout, result.stderr]
    outputs += [(tmp_path / "r.json").read_text(), (tmp_path / "r.md").read_text()]
    blob = "\n".join(outputs)
    assert CANARY_KEY not in blob and proxy_password not in blob
    assert "sk-proj-…QRST" in blob
    json.loads((tmp_path / "r.json").read_text())
    assert (tmp_path / "r.md").read_text().startswith("# llmdoctor report")


def test_python_dash_m_and_checks_listing(tmp_path: Path) -> None:
    result = _subprocess(["checks"], tmp_path)
    assert result.returncode == 0
    assert "key" in result.stdout and "built-in" in result.stdout


def test_a_refused_local_server_draws_no_timing_waterfall(tmp_path: Path) -> None:
    """Nothing got past DNS: the view names the refused port and draws no one-row waterfall."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _subprocess(["--provider", "ollama", "--base-url", f"http://127.0.0.1:{port}/v1"], tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"127.0.0.1:{port} failed on every address: 127.0.0.1 refused" in result.stdout
    assert "ollama timing" not in result.stdout and "█" not in result.stdout
    assert "[net.connect_refused" in result.stdout


def test_an_anthropic_relay_with_v1_is_told_to_drop_it(tmp_path: Path) -> None:
    """ANTHROPIC_BASE_URL at a relay, ending in /v1 (a classic with Claude Code): the fix is the relay's root."""
    result = _subprocess(["--only", "endpoint,key", "--json"], tmp_path,
                         extra_env={"ANTHROPIC_BASE_URL": "https://127.0.0.1:9/v1", "ANTHROPIC_API_KEY": CANARY_KEY})
    assert result.returncode == 1, result.stderr
    cause = json.loads(result.stdout)["causes"][0]
    assert cause["id"] == "config.base_url_invalid"
    # The check's own concrete fix first, then the cause's steps written with the user's host and variable.
    assert cause["fix"][0] == "Set ANTHROPIC_BASE_URL to https://127.0.0.1:9 (without /v1)."
    assert cause["fix"][1].startswith("Set ANTHROPIC_BASE_URL to the relay's root, https://127.0.0.1:9, without /v1")
    assert not any("OPENAI_BASE_URL" in step for step in cause["fix"])
