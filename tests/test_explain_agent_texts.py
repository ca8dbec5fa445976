# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Coding agents and chat apps (Claude Code, Codex, Gemini CLI, Cline, Cherry Studio), read as a class.

Each text is quoted as its source printed it (tests/corpus, tuned part); the URL is where the cause was confirmed or,
for an ambiguous one, where nothing in the thread or the text tells it. The held-out corpus is never used here.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from helpers import reading

from llmdoctor.cli import main
from llmdoctor.explain import explain

CASES = [
    # --- a deadline that names no phase: the DOMException AbortSignal.timeout() rejects fetch with (Bun, Node)
    ("使用Claude Code Cli 进行会话时，会偶尔出现API Error：The operation timed out。",
     "ambiguous"),  # https://github.com/farion1231/cc-switch/issues/5831
    ("  ⎿  API Error: Request timed out.\n> please continue\n  ⎿  API Error: Request timed out.",
     "ambiguous"),  # https://github.com/anthropics/claude-code/issues/2728
    # --- Codex: the Responses stream ended without response.completed (codex-rs's own words)
    ("突然一直显示reconnecting，5次之后直接报错stream disconnected before completion: stream closed before response.completed",
     "response.stream_broken"),  # https://github.com/router-for-me/CLIProxyAPI/issues/2410
    ("stream disconnected before completion: error sending request for url (http://127.0.0.1:57321/v1/responses)",
     "ambiguous"),  # https://github.com/BigPizzaV3/CodexPlusPlus/issues/888
    # --- Cherry Studio quotes the OpenAI SDK's APIError as JSON
    ('{\n  "message": "401 Incorrect API key provided. ",\n  "status": 401,\n  "error": {\n    "message": "Incorrect API key provided. ",\n    "type": "invalid_request_error",\n    "param": null,\n    "code": "invalid_api_key"\n  }\n}',
     "auth.invalid_key"),  # https://github.com/CherryHQ/cherry-studio-docs/issues/20
    # --- an app's own sentence for any failed call: SillyTavern's test toast, Open WebUI's 'Network Problem'
    ("Could not get a reply from API. Check your connection settings / API key and try again.",
     "ambiguous"),  # https://github.com/SillyTavern/SillyTavern/issues/700
    ("验证连接时提示：OpenAI: Network Problem",
     "ambiguous"),  # https://github.com/open-webui/open-webui/issues/12212
    # --- Open WebUI quotes DashScope's SystemError body as a Python dict
    ("ERROR [open_webui.routers.openai] Unexpected error: External Error: {'message': 'An system error has occurred, please try again later.', 'type': 'system_error', 'param': None, 'code': 'system_error'}\nTraceback (most recent call last):\n  File \"/app/backend/open_webui/routers/openai.py\", line 456, in get_models\n    raise Exception(error_detail)\nException: External Error: {'message': 'An system error has occurred, please try again later.', 'type': 'system_error', 'param': None, 'code': 'system_error'}",
     "server.error"),  # https://github.com/open-webui/open-webui/issues/10737
    # --- ChatBox's "API Error:" and "Error from OpenAI: 429" around OpenAI's insufficient_quota
    ('API Error: {"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}',
     "quota.insufficient"),  # https://github.com/chatboxai/chatbox/issues/903
    # --- opencode's "Cannot connect to API:" keeps undici's cause
    ("Cannot connect to API: Connect Timeout Error (attempted addresses: 202.160.130.66:443, 2001::68f4:2b68:443, timeout: 10000ms)",
     "net.connect_timeout"),  # https://github.com/anomalyco/opencode/issues/49437
    # --- Cline's "got status: 429 Too Many Requests." around Gemini's per-minute quota
    ('got status: 429 Too Many Requests. {"error":{"message":"{\\n  \\"error\\": {\\n    \\"code\\": 429,\\n    \\"message\\": \\"You exceeded your current quota, please check your plan and billing details.\\",\\n    \\"status\\": \\"RESOURCE_EXHAUSTED\\",\\n    \\"details\\": [{\\"quotaId\\": \\"GenerateContentInputTokensPerModelPerMinute-FreeTier\\"}]}]',
     "ratelimit.exceeded"),  # https://github.com/cline/cline/issues/4874
]


@pytest.mark.parametrize(("text", "cause"), CASES)
def test_agent_texts(text: str, cause: str) -> None:
    assert reading(explain(text)) == cause


@pytest.mark.parametrize("text", [
    "TimeoutError: The operation timed out.",  # Bun's AbortSignal.timeout()
    "DOMException [TimeoutError]: The operation was aborted due to timeout",  # Node's undici
])
def test_a_fetch_deadline_names_no_phase(text: str) -> None:
    result = explain(text)
    assert result.ambiguous
    assert {c.id for c in result.causes} >= {"net.read_timeout", "net.connect_timeout"}


def test_a_phase_still_wins_over_the_bare_deadline() -> None:
    assert reading(explain("ssl.SSLError: The read operation timed out")) == "net.read_timeout"
    assert reading(explain("ssl.SSLError: _ssl.c:989: The handshake operation timed out")) == "net.tls_timeout"


def test_cli_says_the_text_does_not_tell() -> None:
    proc = CliRunner().invoke(main, ["explain", "-"], input="API Error: The operation timed out.")
    assert proc.exit_code == 1
    assert "This text alone does not tell" in proc.output
    assert "net.read_timeout" in proc.output


def test_an_app_sentence_yields_to_the_reason_beside_it() -> None:
    # Open WebUI's toast with its backend's aiohttp line (aiohttp's ClientConnectorError format)
    text = ("OpenAI: Network Problem\nERROR [open_webui.routers.openai] Connection error: Cannot connect to host "
            "api.openai.com:443 ssl:default [Connect call failed ('104.18.7.192', 443)]")
    assert not explain(text).ambiguous
