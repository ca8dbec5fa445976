"""Chinese whole: with --lang zh or a Chinese LANG/LC_ALL, the lines a user reads are Chinese, and the
group's --lang reaches every subcommand."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable

import pytest

from llmdoctor.i18n import to_zh
from tests.peers.raw import closed_port

RunCli = Callable[..., subprocess.CompletedProcess[str]]
# An English sentence: three or more English words in a row (values such as URLs are single tokens).
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")


def _dead_proxy(run_cli: RunCli, *args: str, **env: str | None) -> subprocess.CompletedProcess[str]:
    return run_cli("--provider", "openai", "--base-url", f"https://127.0.0.1:{closed_port()}/v1", *args,
                   env={"HTTPS_PROXY": f"http://127.0.0.1:{closed_port()}", "OPENAI_API_KEY": "sk-" + "a1" * 20,
                        **env})


@pytest.mark.parametrize("how", ["option", "LANG", "LC_ALL"])
def test_a_failing_run_reads_in_chinese(run_cli: RunCli, how: str) -> None:
    if how == "option":
        proc = _dead_proxy(run_cli, "--lang", "zh")
    else:
        proc = _dead_proxy(run_cli, **({"LANG": "zh_CN.UTF-8", "LC_ALL": None} if how == "LANG"
                                       else {"LC_ALL": "zh_CN.UTF-8"}))
    out = proc.stdout
    assert "✗ 失败" in out and "✓ 通过" in out and "- 跳过" in out and "解决办法：" in out
    verdict = out[out.index("结论："):]
    assert "没有在监听" in verdict, verdict  # the verdict's second half, not only its title
    # The check lines and the verdict hold no English sentence (cause texts come from the knowledge base).
    for line in [*out[:out.index("\n\n")].splitlines()[1:], verdict]:
        assert not ENGLISH.search(line), line


def test_the_report_quotes_the_evidence_in_chinese(run_cli: RunCli) -> None:
    data = json.loads(_dead_proxy(run_cli, "--lang", "zh", "--json").stdout)
    assert data["lang"] == "zh"
    assert any("没有在监听" in line for line in data["causes"][0]["evidence"])


def test_the_groups_lang_reaches_explain_and_env(run_cli: RunCli) -> None:
    explained = run_cli("--lang", "zh", "explain", "httpx.ProxyError: 407 Proxy Authentication Required")
    assert "结论：" in explained.stdout and "解决办法" in explained.stdout
    env = run_cli("--lang", "zh", "env", "--no-scan")
    assert "代理环境变量" in env.stdout
    own = run_cli("--lang", "zh", "explain", "--lang", "en", "httpx.ProxyError: 407 Proxy Authentication Required")
    assert "Verdict: " in own.stdout  # the subcommand's own option wins


@pytest.mark.parametrize(("english", "chinese"), [
    ("blocked by proxy", "因 proxy 检查失败而跳过"),
    ("opt-in: enable with --probe-completion", "需主动开启：加上 --probe-completion"),
    ("openai/tcp: TCP to 127.0.0.1:9 failed on every address: 127.0.0.1 refused",
     "openai/tcp：到 127.0.0.1:9 的 TCP 连接在所有地址上都失败了：127.0.0.1 拒绝连接"),
    ("GET https://x/v1/models The server answered HTTP 401 (invalid_api_key): Incorrect API key provided",
     "GET https://x/v1/models 服务器返回 HTTP 401（invalid_api_key）：Incorrect API key provided"),
    ("something no pattern knows", "something no pattern knows"),
])
def test_the_translation_table(english: str, chinese: str) -> None:
    assert to_zh(english) == chinese
