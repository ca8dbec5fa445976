"""Statuses said in a client's own form: reqwest's Debug `kind: Status(429)` and openai-kotlin's exception classes.

The wordings are the clients' source: reqwest src/error.rs (`Kind::Status(StatusCode, Option<ReasonPhrase>)`,
derived Debug, inside `reqwest::Error { kind: …, url: … }`; before 0.12 and on wasm `Status(StatusCode)`), and
openai-kotlin's HttpTransport.handleException (ktor's ServerResponseException, any 5xx, becomes
OpenAIServerException; 401 AuthenticationException; 403 PermissionException).
"""

from __future__ import annotations

import pytest
from helpers import reading

from llmdoctor.explain import explain, parse

URL = '"https://api.openai.com/v1/chat/completions"'


@pytest.mark.parametrize(("text", "status"), [
    (f"reqwest::Error {{ kind: Status(429), url: {URL} }}", 429),
    (f"Error: reqwest::Error {{ kind: Status(401, None), url: {URL} }}", 401),
    (f'reqwest::Error {{ kind: Status(503, Some(ReasonPhrase(b"Service Unavailable"))), url: {URL} }}', 503),
    # uv's trace of a private index (astral-sh/uv issue text): the same Debug form nested in its own error
    ('WrappedReqwestError(Reqwest(reqwest::Error { kind: Status(401), url: '
     '"https://pkgs.private-repo.com/_packaging/Sandbox/pypi/simple/cachy/" }))) }', 401),
    ("com.aallam.openai.api.exception.OpenAIServerException: The server had an error while processing your request.",
     500),
])
def test_status_in_a_client_form(text: str, status: int) -> None:
    assert parse.status(text, parse.exceptions(text)) == status


def test_reqwest_debug_is_not_any_kind() -> None:
    # other kinds carry no status: `kind: Request`, `kind: Decode`, and a number that is not a status
    assert parse.status(f"reqwest::Error {{ kind: Request, url: {URL}, source: hyper::Error(Connect) }}", []) is None
    assert parse.status("kind: Status(200)", []) is None


@pytest.mark.parametrize(("text", "cause"), [
    (f"reqwest::Error {{ kind: Status(401, None), url: {URL} }}", "auth.invalid_key"),
    ('reqwest::Error { kind: Status(503, Some(ReasonPhrase(b"Service Unavailable"))), url: '
     '"https://api.anthropic.com/v1/messages" }', "server.overloaded"),
    # a bare 429 does not tell a rate limit from an exhausted quota, in this form as in any other
    (f"reqwest::Error {{ kind: Status(429), url: {URL} }}", "ambiguous"),
    ("com.aallam.openai.api.exception.OpenAIServerException: The server had an error while processing your request.",
     "server.error"),
    ("com.aallam.openai.api.exception.AuthenticationException: Incorrect API key provided: sk-abc****. You can find "
     "your API key at https://platform.openai.com/account/api-keys.", "auth.invalid_key"),
    # the same class name is .NET's failed TLS handshake: no 401 from the name alone
    ("System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors "
     "in the certificate chain: UntrustedRoot", "tls.intercepted"),  # most likely, said as a guess
])
def test_explain_reads_them(text: str, cause: str) -> None:
    assert reading(explain(text)) == cause
