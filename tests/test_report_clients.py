"""The report's environment: one table, per client, of what that client will do with each target's URL."""

from __future__ import annotations

import json
from pathlib import Path

from llmdoctor.environment import client_table


def test_table_has_every_python_client_and_the_other_runtimes() -> None:
    env = {"HTTPS_PROXY": "http://u:hunter2@127.0.0.1:7890", "NO_PROXY": "[::1]"}
    table = client_table(env, [("openai", "https://api.openai.com/v1")])
    rows = {r["client"]: r for r in table["rows"]}
    assert {"httpx", "requests", "curl", "go net/http", "rust reqwest"} <= set(rows)
    assert rows["httpx"]["routes"]["openai"].startswith("fails: httpx 0.28 raises InvalidURL")
    assert rows["requests"]["routes"]["openai"] == "via http://u:***@127.0.0.1:7890 (env:HTTPS_PROXY)"
    assert rows["httpx"]["runs_in"] and rows["httpx"]["version"]
    assert "hunter2" not in json.dumps(table)


def test_report_json_and_markdown_carry_the_table(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "report.md"
    proc = run_cli("--provider", "openai", "--only", "proxy-env", "--json", "-o", str(report),
                   env={"OPENAI_API_KEY": "sk-test-0123456789abcdef", "HTTPS_PROXY": "http://127.0.0.1:1"})
    data = json.loads(proc.stdout)
    table = data["environment"]["clients"]
    assert [t["name"] for t in table["targets"]] == ["openai"]
    routes = {r["client"]: r["routes"]["openai"] for r in table["rows"]}
    assert routes["httpx"] == "via http://127.0.0.1:1 (env:HTTPS_PROXY)"
    [described] = data["environment"]["described_pythons"]
    assert described["chosen_by"].startswith("llmdoctor's own")  # the tmp cwd holds no venv: said so
    assert all(s["python"] == described["executable"] for s in data["environment"]["sdks"])
    text = report.read_text()
    assert "| Client | Version | Runs in | openai | Notes |" in text
    assert "| curl |" in text
