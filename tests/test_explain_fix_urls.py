# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""The commands explain's fix steps print are built from the URL the pasted error called: they must run as
written and ask the base URL the user meant, not a path under the endpoint (`…/api/chat/models`)."""

from __future__ import annotations

import shlex

import pytest
from helpers import reading

from llmdoctor.explain import explain
from llmdoctor.explain.values import base_of
from llmdoctor.fixvalues import fill

# (called URL, base URL it was called under)
SHAPES = [
    ("http://localhost:11434/api/chat", "http://localhost:11434/v1"),  # Ollama's native route
    ("http://localhost:11434/api/generate/", "http://localhost:11434/v1"),
    ("http://localhost:8000/generate", "http://localhost:8000/v1"),  # TGI / vLLM's demo server
    ("http://llamafile:8666/v1/completion", "http://llamafile:8666/v1"),  # llama.cpp's native route under /v1
    ("https://api.openai.com/v1/chat/completions", "https://api.openai.com/v1"),
    ("https://relay.example.com/v1/v1/chat/completions", "https://relay.example.com/v1"),  # a doubled /v1
    ("https://openrouter.ai/api/v1/chat/completions", "https://openrouter.ai/api/v1"),
    ("https://api.deepseek.com/chat/completions", "https://api.deepseek.com"),  # no /v1 and none needed
    ("https://ark.cn-beijing.volces.com/api/v3/chat/completions?x=1#f", "https://ark.cn-beijing.volces.com/api/v3"),
    ("https://open.bigmodel.cn/api/paas/v4/embeddings", "https://open.bigmodel.cn/api/paas/v4"),
    ("https://generativelanguage.googleapis.com/v1beta/openai/chat/completions",
     "https://generativelanguage.googleapis.com/v1beta/openai"),  # /v1beta is not /v1
    ("https://generativelanguage.googleapis.com/v1beta/models/gemini-pro:generateContent",
     "https://generativelanguage.googleapis.com/v1beta"),
    ("https://relay.example.com/v1", "https://relay.example.com/v1"),  # already a base URL: kept
    ("https://relay.example.com", "https://relay.example.com"),
    ("http://[::1]:8080/v1/responses", "http://[::1]:8080/v1"),
]


@pytest.mark.parametrize(("called", "base"), SHAPES)
def test_base_of_a_called_url(called: str, base: str) -> None:
    assert base_of(called) == base


def test_anthropic_base_is_the_root() -> None:
    assert base_of("https://api.anthropic.com/v1/messages", anthropic=True) == "https://api.anthropic.com"
    assert base_of("https://relay.example.com/api/v1/messages/count_tokens", anthropic=True) == "https://relay.example.com/api"


def _curls(text: str, lang: str) -> list[str]:
    """The curl commands of every cause's fix steps, each checked to parse as one shell command."""
    result = explain(text, lang=lang)
    found = []
    for step in (step for cause in result.causes for step in cause.fix):
        at = step.find("curl ")
        if at < 0:
            continue
        command = step[at:]
        assert "read -rs KEY" not in step or "$KEY" in command
        shlex.split(command)  # quotes balanced: it runs as written
        found.append(command)
    return found


# https://github.com/ollama/ollama/issues/1467: a server at Ollama's port without its /api/chat route
OLLAMA = ('curl http://localhost:11434/api/chat -d \'{\n  "model": "llama2",\n  "messages": [\n    { "role": "user", "content": "why is the sky blue?" }\n  ]\n}\'\n404 page not found')
# https://github.com/vllm-project/vllm/issues/5082: /generate called at vLLM's OpenAI-compatible server
VLLM = ('curl http://localhost:8000/generate -d \'{"prompt": "Below is an instruction", "max_tokens":256}\'\n\nINFO:     127.0.0.1:55766 - "POST /generate HTTP/1.1" 404 Not Found\nINFO:     127.0.0.1:45622 - "GET /generate HTTP/1.1" 404 Not Found')
# https://github.com/nextcloud/server/issues/40406: Guzzle quotes the URL in backticks
NEXTCLOUD = ('When I try to generate text I get: OpenAI error: Client error: `POST http://192.168.73.78:8000/v1/chat/completions` resulted in a `404 Not Found` response:\nFile Not Found')


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_native_route_asks_the_servers_openai_list(lang: str) -> None:
    assert reading(explain(OLLAMA, lang=lang)) == "endpoint.not_found"
    curls = _curls(OLLAMA, lang)
    assert curls and all("/api/chat/models" not in c for c in curls)
    assert 'curl -i "http://localhost:11434/v1/models"' in curls
    # Ollama takes no key: no `read -rs KEY` waiting for one the command never sends, no trailing space
    assert not any("read -rs KEY" in c for c in curls)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_generate_route_asks_v1_models(lang: str) -> None:
    assert reading(explain(VLLM, lang=lang)) == "endpoint.not_found"
    curls = _curls(VLLM, lang)
    assert curls and all("/generate/models" not in c for c in curls)
    assert any('"http://localhost:8000/v1/models"' in c for c in curls)


def test_backticked_url_is_not_part_of_the_command() -> None:
    curls = _curls(NEXTCLOUD, "en")
    assert curls and all('"http://192.168.73.78:8000/v1/models"' in c for c in curls)


def test_messages_call_lists_models_the_anthropic_way() -> None:
    # the Messages API's path at a host no provider owns: a relay speaking Anthropic's protocol
    curls = _curls("POST https://relay.example.com/v1/messages returned 404 page not found", "en")
    assert curls and all('"https://relay.example.com/v1/models?limit=1000" -H "x-api-key: $KEY"' in c for c in curls)


def test_keyless_step_still_fills_a_keyed_one() -> None:
    keyed = {"curl_auth": '-H "authorization: Bearer $KEY"', "key_setup": "read -rs KEY && ", "models_url": "https://x/v1/models"}
    step = 'Try: {key_setup}curl -i "{models_url}" {curl_auth}'
    assert fill(step, keyed) == 'Try: read -rs KEY && curl -i "https://x/v1/models" -H "authorization: Bearer $KEY"'
    assert fill(step, {**keyed, "curl_auth": ""}) == 'Try: curl -i "https://x/v1/models"'
    # a step that sends the key itself keeps asking for it
    anthropic = 'Test: {key_setup}curl -i "{models_url}" -H "x-api-key: {key_ref}"'
    assert fill(anthropic, {**keyed, "curl_auth": "", "key_ref": "$KEY"}) == \
        'Test: read -rs KEY && curl -i "https://x/v1/models" -H "x-api-key: $KEY"'


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_model_list_step_at_a_keyless_server_speaks_of_no_key(lang: str) -> None:
    # Ollama's answer for a model not pulled, as https://github.com/ollama/ollama/pull/718 quotes it, at its
    # OpenAI-compatible route: Ollama takes no key, so the step that lists its models must not speak of "your key"
    text = 'POST http://localhost:11434/v1/chat/completions 404: {"error":"model \'mistral\' not found, try pulling it first"}'
    result = explain(text, lang=lang)
    assert reading(result) == "model.not_found"
    steps = [step for step in result.causes[0].fix if "curl " in step]
    assert steps and all("read -rs KEY" not in step for step in steps)
    assert not any("your key" in step or "密钥" in step for step in result.causes[0].fix)
    # the pull names the model the server did not have, as a command that runs as written
    assert any(step.endswith("ollama pull mistral") for step in result.causes[0].fix)


@pytest.mark.parametrize(("text", "model"), [
    ('{"error":"model \'llama3:8b\' not found, try pulling it first"}', "llama3:8b"),
    ("The model `gpt-4o-mini-2024` does not exist or you do not have access to it.", "gpt-4o-mini-2024"),
    ('The model \\"Qwen/Qwen2.5-7B-Instruct\\" does not exist.', "Qwen/Qwen2.5-7B-Instruct"),
    ("litellm.BadRequestError: Invalid model name passed in model=gpt-4o-x", "gpt-4o-x"),
    ("model 'llama3; rm -rf ~' not found", None),  # not one shell word: no step is written with it
    ("404 page not found", None),
])
def test_the_model_a_server_does_not_have(text: str, model: str | None) -> None:
    from llmdoctor.explain.values import model_named

    assert model_named(text) == model


def test_a_pull_step_is_left_out_when_no_model_is_named() -> None:
    # the ollama Python client's error for a model not pulled, when the name is not in the paste
    result = explain("ollama._types.ResponseError: model not found, try pulling it first (status code: 404)")
    assert reading(result) == "model.not_found"
    steps = result.causes[0].fix
    assert steps[0].startswith("ollama list shows the models installed")
    assert not any("{model}" in step or "ollama pull {" in step for step in steps)


def test_a_configured_model_fills_steps_only_when_a_shell_takes_it_whole() -> None:
    from llmdoctor.fixvalues import shell_safe_model

    assert shell_safe_model("openai/gpt-4o") == "openai/gpt-4o"
    assert shell_safe_model("qwen2.5:7b") == "qwen2.5:7b"
    assert shell_safe_model("my model") is None
    assert shell_safe_model("$(id)") is None
    assert shell_safe_model(None) is None


def test_a_docs_link_before_the_called_url_is_not_the_url_called() -> None:
    # OpenAI's errors point at its docs ("see https://platform.openai.com/docs/…"), often before the URL the call
    # went to: taken for the call, the fix would send the user's key to the documentation site
    text = ("openai.NotFoundError: Error code: 404 - see https://platform.openai.com/docs/api-reference for details. "
            "Request to https://relay.example.com/v1/v1/chat/completions failed: 404 page not found")
    curls = _curls(text, "en")
    assert curls and all("platform.openai.com" not in c for c in curls)
    assert any('"https://relay.example.com/v1/models"' in c for c in curls)


@pytest.mark.parametrize(("url", "reference"), [
    ("https://platform.openai.com/docs/guides/error-codes", True),
    ("https://help.openai.com/en/articles/6891839", True),
    ("https://github.com/openai/openai-python/issues/1", True),
    ("https://urllib3.readthedocs.io/en/latest/advanced-usage.html", True),
    ("https://docs.anthropic.com/en/api/errors", True),
    ("https://openrouter.ai/docs/api-reference", True),
    ("https://openrouter.ai/api/v1/chat/completions", False),
    ("https://api.openai.com/v1/models", False),
    ("http://localhost:4000/v1/chat/completions", False),
    ("https://relay.example.com/v1", False),
])
def test_reference_links(url: str, reference: bool) -> None:
    from llmdoctor.urls import is_reference_link

    assert is_reference_link(url) is reference
