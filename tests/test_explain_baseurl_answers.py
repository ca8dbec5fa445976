"""The base URL read from the answer: the path a server echoes, a router's own 404, an SDK's class around it.

Real texts (source in each comment); the rule each pins is a template read from the server's or client's source.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from helpers import reading

from llmdoctor.explain import explain

CASES = [
    # OpenAI's unknown_url template, as openai-python 0.x raises it (no status, no code): the unversioned echo
    ("openai.error.InvalidRequestError: Unknown request URL: POST /chat/completions. Please check the URL for typos",
     "config.base_url_invalid"),  # https://github.com/XingYu-Zhong/OpenAiApiBase/issues/2
    # Express' common 404 handler, `Route ${req.originalUrl} not found` (claude-relay-service): a router's page for
    # the SDK's standard path, the base URL lacked the relay's /api prefix
    ("API Error: 404 Route /v1/messages?beta=true not found",
     "config.base_url_invalid"),  # https://github.com/Wei-Shaw/claude-relay-service/issues/113
    # Anthropic's router 404 as a Go client prints it, unquoted; an unknown model there says "model: <name>"
    ("Messages stream error, type: not_found_error, message: Not Founderror, status code: 404, message: anthropic "
     "api error type: not_found_error, message: Not Found",
     "config.base_url_invalid"),  # https://github.com/danielmiessler/Fabric/issues/1140
    # LiteLLM's NotFoundError around Go net/http's "404 page not found": the class maps the status, the body says
    # no such path
    ("Unexpected error: litellm.NotFoundError: NotFoundError: OpenAIException - 404 page not found",
     "config.base_url_invalid"),  # https://github.com/Kiln-AI/Kiln/issues/275
    # ... while LiteLLM's NotFoundError around a body that names the model stays the model
    ("litellm.NotFoundError: OpenAIException - Error code: 404 - {'error': {'message': 'The model `gpt-5x` does not "
     "exist or you do not have access to it.', 'type': 'invalid_request_error', 'code': 'model_not_found'}}",
     "model.not_found"),
    # the Stainless SDKs print a body that is not JSON as it is (err_msg = err_text): Hono's plain "404 Not Found",
    # Go's "404 page not found", at a base URL without /v1
    ("openai.NotFoundError: 404 Not Found",
     "config.base_url_invalid"),  # https://github.com/mumu-lhl/duckduckgo-ai-chat-service/issues/4
    ("openai.NotFoundError: 404 page not found",
     "config.base_url_invalid"),  # https://github.com/TauricResearch/TradingAgents/issues/843
    # a doubled or unversioned echo in the same template still names the base URL
    ("使用助手就会报错：\"error\":{\"message\":\"Invalid URL (POST /v1/v1/responses)\"",
     "config.base_url_invalid"),  # https://github.com/leookun/cursor-byok/issues/43
    ("ChatGPT error 404: { \"error\": { \"message\": \"Invalid URL (POST /chat/completions)\", \"type\": "
     "\"invalid_request_error\", \"param\": null, \"code\": null } }",
     "config.base_url_invalid"),  # https://github.com/lblblong/mossgpt-utools/issues/50
]


@pytest.mark.parametrize(("text", "cause"), CASES)
def test_the_answer_shows_the_base_url(text: str, cause: str) -> None:
    result = explain(text)
    assert reading(result) == cause, [(c.id, c.confidence) for c in result.causes[:3]]


STANDARD_PATH_REFUSED = "EDGE 版本 110.0.1587.63 (正式版本) (64 位)\n\nInvalid URL (POST /v1/chat/completions)"
# https://github.com/nextai-translator/nextai-translator/issues/106 (the reporter: a new account fixed it)


def test_an_sdk_status_line_without_its_body_stays_open() -> None:
    # "Error code: 404" alone: the SDK read no body (or a closed one); a model or a path
    result = explain("OpenAI API error: Error code: 404.")
    assert result.ambiguous and not result.recognised


def test_invalid_url_for_the_standard_path_is_candidates_not_a_verdict() -> None:
    result = explain(STANDARD_PATH_REFUSED)
    assert result.ambiguous and not result.recognised
    ids = [c.id for c in result.causes]
    assert ids[:2] == ["config.base_url_invalid", "endpoint.not_found"] and "auth.permission_denied" in ids


def test_the_cli_says_the_standard_path_text_does_not_tell() -> None:
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "NO_COLOR": "1"}
    run = subprocess.run([sys.executable, "-m", "llmdoctor", "explain", STANDARD_PATH_REFUSED], capture_output=True,
                         env=env, timeout=60, text=True)
    assert run.returncode == 1, run.stderr
    assert "This text alone does not tell" in run.stdout
    assert "config.base_url_invalid" in run.stdout and "auth.permission_denied" in run.stdout
    data = json.loads(subprocess.run([sys.executable, "-m", "llmdoctor", "explain", "--json", STANDARD_PATH_REFUSED],
                                     capture_output=True, env=env, timeout=60, text=True).stdout)
    assert data["ambiguous"] is True and data["exit_code"] == 1
