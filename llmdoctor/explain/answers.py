"""Reads where an HTTP answer in a paste came from: the path the client called, and who stood in between.

The API rules (`llmdoctor.apierrors`) read what an answer says; this reads what the rest of the paste
shows about it, the way `match` does for transport errors:

- a 404 for an OpenAI-style path with no version segment (`POST /chat/completions`, `.../11434/chat/
  completions`) is a base URL without its `/v1`: the SDK appends only the endpoint path;
- a 404 page that is not an API's (nginx's HTML page, Go's `404 page not found` from Ollama,
  Express' `Cannot POST /...`, FastAPI's `{"detail": "Not Found"}` from vLLM) answering an SDK call
  says the base URL points at something that serves other paths there, not that the API lacks an
  endpoint;
- a 502/503/504 with no body and no gateway's page, from a loopback address: a local model server
  does not answer 502 itself; a proxy the client sent the loopback call through did.
"""

from __future__ import annotations

import functools
import re

from llmdoctor.explain.match import Found
from llmdoctor.signatures.evidence import keep_stronger
from llmdoctor.signatures.prefilter import Lazy


@functools.cache
def _patterns() -> dict[str, Lazy]:
    """Built on the first paste that holds an HTTP answer: explain's start-up pays nothing for them."""
    return {
        # The path an access log, an httpx/requests log line or an SDK's URL shows
        "called": Lazy(r"(?:\b(?:post|get|put)\s+|https?://[^\s/\"'<>]+)(/[^\s\"'?<>)]*)", re.I),
        # OpenAI-style endpoint paths: the SDK appends these to the base URL, the version belongs to the base URL
        "endpoint": Lazy(r"/(?:chat/completions|completions|embeddings|models|responses|audio/\w+|images/\w+)/?$",
                         re.I),
        "version": Lazy(r"/v\d+(?:beta\d*|alpha\d*)?(?:/|$)|/api/paas/v\d|/compatible-mode/v\d|/openai/", re.I),
        # Not-found answers that are a web server's or a router's own, not an API's error object (nginx's page,
        # Go's net/http default as Ollama answers, Express, FastAPI's router as vLLM and LiteLLM answer)
        "server_not_found": Lazy(r"<title>\s*404 not found\s*</title>|\b404 page not found\b|cannot (?:post|get) /|"
                                 r"[\"']detail[\"']\s*:\s*[\"']not found[\"']", re.I),
        # ... answering a call an SDK or an LLM app made
        "sdk_call": Lazy(r"notfounderror|api ?error|\bopenai\b|anthropic|langchain|litellm|\bllm\b|chat/completions",
                         re.I),
        "loopback_url": Lazy(r"https?://(?:127\.0\.0\.1|localhost|\[::1\]|0\.0\.0\.0)(?::\d+)?/", re.I),
        "has_body": Lazy(r"<html|<!doctype|[{]\s*[\"'](?:error|detail|message|code)", re.I),
        "missing_token": Lazy(r"missing authentication token|missingauthenticationtokenexception", re.I),
        "execute_api": Lazy(r"\.execute-api\.[\w-]+\.amazonaws\.com|x-amz-apigw-id|apigateway", re.I),
        "aws_service": Lazy(r"bedrock(?:-runtime)?[.:]|sagemaker|\.amazonaws\.com", re.I),
    }


def read(text: str, status: int | None, found: Found, gateway_page: bool) -> None:
    """Adds the causes the paste's own context shows about its HTTP answer (see the module docstring)."""
    _aws_missing_token(text, found)
    # A bare 404 (the status and nothing else: no finding yet, only candidates) is read by its path too.
    bare = not found
    if status == 404 and (bare or _not_found_reading(found)):
        _base_url_from_path(text, found)
        if bare and not found:
            _not_an_api_path(text, found)
    if status in (502, 503, 504) and not gateway_page and _patterns()["loopback_url"].search(text[:200_000]) \
            and not _patterns()["has_body"].search(text[:200_000]):
        keep_stronger(found, "env.local_via_proxy", 0.82,
                      f"A local server answered {status} with no body: a model server on this machine does not "
                      "answer that itself; a proxy the client sent the loopback call through did.")
        if "gateway.error" in found:
            found["gateway.error"] = (min(found["gateway.error"][0], 0.6), found["gateway.error"][1])


def _aws_missing_token(text: str, found: Found) -> None:
    """AWS's "Missing Authentication Token": an API Gateway host means no stage or path serves the URL; another
    AWS host (Bedrock) means the call was not signed the AWS way."""
    scan, patterns = text[:200_000], _patterns()
    if not patterns["missing_token"].search(scan):
        return
    if patterns["execute_api"].search(scan):
        keep_stronger(found, "config.base_url_invalid", 0.88,
                      "API Gateway answers \"Missing Authentication Token\" for a path or stage it does not serve: "
                      "the URL is wrong (often the stage name, a missing trailing path, or a typo).")
    elif patterns["aws_service"].search(scan):
        keep_stronger(found, "auth.wrong_header", 0.85,
                      "An AWS service answers \"Missing Authentication Token\" to a call without AWS SigV4 signing: "
                      "a bearer key was sent where AWS credentials (or a Bedrock API key) are needed.")


def _not_found_reading(found: Found) -> bool:
    endpoint = found.get("endpoint.not_found", (0.0, ""))[0]
    return endpoint > 0 and endpoint >= found.get("model.not_found", (0.0, ""))[0] \
        and found.get("endpoint.wrong_generation", (0.0, ""))[0] < 0.85


def _not_an_api_path(text: str, found: Found) -> None:
    """A bare 404 for a named path that is no OpenAI-style endpoint at any version (vLLM's old /generate,
    a typo'd route): that path does not exist there. A 404 on /v1/chat/completions stays undecided
    (the model or the path), and so does a 404 that names no path."""
    patterns = _patterns()
    paths = [hit.group(1) for hit in patterns["called"].finditer(text[:200_000])]
    if paths and not any(patterns["endpoint"].search(path) or patterns["version"].search(path) for path in paths):
        keep_stronger(found, "endpoint.not_found", 0.6,
                      f"The call went to {paths[0]} and got 404: no API route of that name is served there.")


def _base_url_from_path(text: str, found: Found) -> None:
    scan, found_patterns = text[:200_000], _patterns()
    paths = [hit.group(1) for hit in found_patterns["called"].finditer(scan, scan.lower())]
    for path in paths:
        if found_patterns["endpoint"].search(path) and not found_patterns["version"].search(path):
            keep_stronger(found, "config.base_url_invalid", 0.9,
                          f"The call went to {path} and got 404: the path has no version segment, so the base URL "
                          "lacks its /v1 (the SDK appends only the endpoint path).")
            return
    if any(found_patterns["version"].search(path) for path in paths):
        return  # a versioned path that 404s: that path (or the server's kind) is wrong, not the base URL's /v1
    if found_patterns["server_not_found"].search(scan) and found_patterns["sdk_call"].search(scan):
        keep_stronger(found, "config.base_url_invalid", 0.86,
                      "The 404 is a web server's own not-found page, not an API's error: the base URL points at a "
                      "server that serves other paths there (a missing /v1, or another service's address).")
