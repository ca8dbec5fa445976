"""Base URL and endpoint texts: what servers answer a wrong base URL with, and a 405 that does not tell.

Real texts from tests/corpus (base_url), each with its thread; the 405 variants are the wordings FastAPI
({"detail":"Method Not Allowed"}), nginx ("405 Not Allowed" page) and Go's go-openai client print.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from llmdoctor.cli import main
from llmdoctor.explain import explain

_WECHAT_405 = ('Chat Stream resp error: error, status code: 405, status: 405 Method Not Allowed, message: %!s(<nil>), '
               'body: {"detail":"Method Not Allowed"}')  # https://github.com/whyiyhw/chatgpt-wechat/issues/119


@pytest.mark.parametrize("text", [
    _WECHAT_405,
    "openai.APIStatusError: Error code: 405 - {'detail': 'Method Not Allowed'}",
])
def test_a_bare_405_names_its_candidates_not_a_verdict(text: str) -> None:
    result = explain(text.encode())
    assert result.ambiguous
    assert {"config.base_url_invalid", "endpoint.not_found"} <= {c.id for c in result.causes}


def test_a_405_web_page_is_read_as_the_page_it_is() -> None:
    # nginx answers POST to a static file with its 405 page: a web server, not an API, is at that URL
    result = explain(b"Chat endpoint returned HTTP 405: <html>\n<head><title>405 Not Allowed</title></head>\n<body>\n"
                     b"<center><h1>405 Not Allowed</h1></center>\n<hr><center>nginx/1.18.0</center>\n</body>\n</html>")
    assert not result.ambiguous and result.causes[0].id == "endpoint.not_an_api"


def test_a_405_that_shows_a_doubled_path_is_still_the_base_url() -> None:
    result = explain(b"openai.APIStatusError: Error code: 405 - Method Not Allowed "
                     b"(POST http://127.0.0.1:8080/v1/chat/completions/chat/completions)")
    assert not result.ambiguous and result.causes[0].id == "config.base_url_invalid"


@pytest.mark.parametrize(("text", "cause"), [
    # https://github.com/sigoden/aichat/issues/1100 (Go's NotFound body from Ollama, for the chat path)
    ("Error: Failed to call chat-completions api\n\nCaused by:\n    Invalid response data: 404 page not found "
     "(status: 404)", "config.base_url_invalid"),
    # https://github.com/Mintplex-Labs/anything-llm/issues/2333 (LM Studio: the base path had /embeddings in it)
    ("[ERROR] Unexpected endpoint or method. (HEAD /v1/embeddings/models).  Returning 200 anyway",
     "config.base_url_invalid"),
    # https://github.com/langgenius/dify/issues/1275 (https:// configured for an http:// server)
    ("上传错误报错SSL: WRONG VERSION NUMBER] wrong version number ( ssl.c:1007)", "tls.protocol_mismatch"),
])
def test_real_base_url_texts(text: str, cause: str) -> None:
    result = explain(text.encode())
    assert not result.ambiguous and result.causes[0].id == cause


def test_the_cli_says_a_bare_405_does_not_tell() -> None:
    outcome = CliRunner().invoke(main, ["explain", "--lang", "en", _WECHAT_405])
    assert outcome.exit_code == 1
    assert "This text alone does not tell" in outcome.output
    assert "405" in outcome.output
