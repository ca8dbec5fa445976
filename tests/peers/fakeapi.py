"""A fake OpenAI-compatible and Anthropic-compatible API on loopback, over TLS, with real errors.

The scenario is chosen by the key (`key_for("invalid")` → 401 invalid_api_key), by the model
(`gpt-nope` → 404 model_not_found), by the path (`/old/…` redirects within the server,
`/moved/…` to `redirect_to`) or by the Host header (`api.moonshot.cn` vs `api.moonshot.ai`).
Bodies and headers are the providers' own shapes, from their error pages and public reports
(the same samples as tests/test_apierrors.py). Anthropic shapes answer requests that carry
`anthropic-version` or go to /v1/messages.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .certs import Certs
from .http import HttpServer, Reply, Request

OPENAI_MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-4o-2024-08-06", "o3-mini", "text-embedding-3-small")
ANTHROPIC_MODELS = ("claude-haiku-4-5-20251001", "claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805")
HOST_NAMES = ("localhost", "127.0.0.1", "api.openai.com", "api.anthropic.com", "api.moonshot.cn",
              "api.moonshot.ai", "dashscope.aliyuncs.com", "dashscope-intl.aliyuncs.com", "openrouter.ai",
              "api.deepseek.com")


def key_for(scenario: str) -> str:
    """A key of realistic length that selects `scenario` (letters and digits only after `sk-test-`)."""
    return f"sk-test-{scenario}-" + "a1b2c3d4" * 5


def one_api_key() -> str:
    """The shape One API / New API relays issue: sk- and 48 letters and digits."""
    return "sk-" + "Ab3dE5gH7jK9" * 4


def _scenario(req: Request) -> str:
    auth = req.headers.get("authorization") or ""
    key = auth.removeprefix("Bearer ").strip() if auth else (req.headers.get("x-api-key") or "")
    if not key:
        return "nokey"
    if key == one_api_key():
        return "oneapi-key"
    if key.startswith(("sk-proj-", "sk-ant-")):
        return "oneapi-invalid"  # an official key at a relay: the relay knows only its own keys
    if key.startswith("sk-test-"):
        return key[len("sk-test-"):].rsplit("-", 1)[0]
    return "good"


def _json(status: int, body: Any, headers: dict[str, str] | None = None, delay: float = 0.0) -> Reply:
    reply = Reply.json(status, body, headers)
    reply.delay = delay
    return reply


def openai_error(message: str, kind: str, code: str | None, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def anthropic_error(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}, "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"}


def one_api_error(message: str) -> dict[str, Any]:
    return {"error": {"message": f"{message} (request id: 2024121602163036521732429064585)",
                      "type": "one_api_error", "param": "", "code": None}}


OPENAI_INVALID = openai_error("Incorrect API key provided: sk-test-***************************c3d4. You can find "
                              "your API key at https://platform.openai.com/account/api-keys.",
                              "invalid_request_error", "invalid_api_key")
OPENAI_QUOTA = openai_error("You exceeded your current quota, please check your plan and billing details. For more "
                            "information on this error, read the docs: https://platform.openai.com/docs/guides/"
                            "error-codes/api-errors.", "insufficient_quota", "insufficient_quota")
OPENAI_RPM = openai_error("Rate limit reached for gpt-4o-mini in organization org-abc on requests per min (RPM): "
                          "Limit 500, Used 500, Requested 1. Please try again in 12s.", "requests",
                          "rate_limit_exceeded")
OPENAI_REGION = {"error": {"code": "unsupported_country_region_territory",
                           "message": "Country, region, or territory not supported", "param": None,
                           "type": "request_forbidden"}}
HTML_404 = ("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>"
            "\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n")
CAPTIVE = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Sign in to Hotel-Guest Wi-Fi</title></head>"
           "<body><form action='/login'>Room number <input name='room'></form></body></html>")
CLOUDFLARE = ("<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title></head><body>"
              "<div id=\"challenge-platform\"></div><script src=\"/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page"
              "/v1\"></script></body></html>")


def _openai_chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
    chunk = {"id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "object": "chat.completion.chunk",
             "created": 1741569952, "model": "gpt-4o-mini-2024-07-18", "system_fingerprint": "fp_06737a9306",
             "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
    return f"data: {json.dumps(chunk)}\n\n".encode()


def _anthropic_event(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


def openai_stream(gap: float, stall: float = 0.0) -> list[bytes | float]:
    """Role chunk at once, the token after `gap` (time to first token), the end after `stall`."""
    parts: list[bytes | float] = [_openai_chunk({"role": "assistant", "content": "", "refusal": None}), gap,
                                  _openai_chunk({"content": "OK"})]
    if stall:
        parts.append(stall)
    return [*parts, _openai_chunk({}, "stop"), b"data: [DONE]\n\n"]


def anthropic_stream(gap: float, stall: float = 0.0) -> list[bytes | float]:
    start = {"type": "message_start", "message": {
        "id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant", "content": [],
        "model": "claude-haiku-4-5-20251001", "stop_reason": None, "stop_sequence": None,
        "usage": {"input_tokens": 14, "output_tokens": 1}}}
    parts: list[bytes | float] = [
        _anthropic_event("message_start", start),
        _anthropic_event("content_block_start", {"type": "content_block_start", "index": 0,
                                                 "content_block": {"type": "text", "text": ""}}),
        _anthropic_event("ping", {"type": "ping"}), gap,
        _anthropic_event("content_block_delta", {"type": "content_block_delta", "index": 0,
                                                 "delta": {"type": "text_delta", "text": "OK"}})]
    if stall:
        parts.append(stall)
    return [*parts,
            _anthropic_event("content_block_stop", {"type": "content_block_stop", "index": 0}),
            _anthropic_event("message_delta", {"type": "message_delta", "delta": {"stop_reason": "max_tokens",
                             "stop_sequence": None}, "usage": {"output_tokens": 1}}),
            _anthropic_event("message_stop", {"type": "message_stop"})]


def openai_completion(model: str) -> dict[str, Any]:
    """A non-streamed chat completion, as api.openai.com sends it."""
    return {"id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "object": "chat.completion", "created": 1741570283,
            "model": model, "choices": [{"index": 0, "message": {"role": "assistant", "content": "OK",
                                                                 "refusal": None, "annotations": []},
                                         "logprobs": None, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 14, "completion_tokens": 1, "total_tokens": 15},
            "service_tier": "default", "system_fingerprint": "fp_06737a9306"}


def anthropic_message(model: str) -> dict[str, Any]:
    """A non-streamed message, as api.anthropic.com sends it."""
    return {"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "text", "text": "OK"}], "stop_reason": "max_tokens", "stop_sequence": None,
            "usage": {"input_tokens": 14, "output_tokens": 1}}


class FakeApi:
    """The fake API on an HttpServer; `url` is its base URL (with `/v1`), `requests` what it received."""

    def __init__(self, certs: Certs, *, redirect_to: str | None = None, slow: float = 1.5, stall: float = 2.5,
                 token_gap: float = 0.3, names: Iterable[str] = HOST_NAMES, tls: bool = True,
                 host: str = "127.0.0.1", port: int = 0, cert: tuple[Path, Path] | None = None) -> None:
        self.redirect_to = redirect_to
        self.slow, self.stall, self.token_gap = slow, stall, token_gap
        self._ids = itertools.count(1)
        leaf = cert or (_leaf(certs, tuple(names)) if tls else None)
        self.server = HttpServer(self.handle, cert=leaf, host=host, port=port)

    @property
    def root(self) -> str:
        return self.server.url

    @property
    def url(self) -> str:
        return self.server.url + "/v1"

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> FakeApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- routing --------------------------------------------------------------------------------

    def handle(self, req: Request) -> Reply:
        path = req.path.split("?")[0]
        if path.startswith("/api/v1/"):  # OpenRouter's layout
            path = path[len("/api"):]
        if path.startswith("/old/"):
            return Reply(308, {"location": "/v1/" + path[len("/old/"):], "content-length": "0"})
        if path.startswith("/moved/") and self.redirect_to:
            return Reply(302, {"location": self.redirect_to + "/v1/" + path[len("/moved/"):]})
        anthropic = "anthropic-version" in req.headers or path == "/v1/messages"
        scenario = _scenario(req)
        rid = f"req_{next(self._ids):024x}"
        ids = {"request-id": rid} if anthropic else {"x-request-id": rid}
        if scenario.startswith("oneapi") or scenario == "oneapi-key":
            ids = {"x-oneapi-request-id": "2024121602163036521732429064585"}
        if path in ("/v1/models", "/v1/models/"):
            reply = self._models(req, scenario, anthropic)
        elif path == "/v1/key":
            reply = self._common(req, scenario, anthropic, completion=False) or _json(200, {"data": {
                "label": "sk-or-v1-0e6...1c2", "limit": 10 if scenario == "keylimit" else None, "usage": 10.2,
                "limit_remaining": 0 if scenario == "keylimit" else None,
                "is_free_tier": scenario in ("freetier", "freelimit")}})
        elif path in ("/user/balance", "/v1/users/me/balance"):
            reply = self._common(req, scenario, anthropic, completion=False) or self._balance(path, scenario)
        elif path == "/v1/chat/completions" and req.method == "POST":
            reply = self._complete(req, scenario, anthropic=False)
        elif path == "/v1/messages" and req.method == "POST":
            reply = self._complete(req, scenario, anthropic=True)
        else:
            reply = Reply(404, {"content-type": "text/html", "server": "nginx/1.24.0"}, HTML_404)
        reply.headers = {**ids, **reply.headers}
        return reply

    def _common(self, req: Request, scenario: str, anthropic: bool, completion: bool) -> Reply | None:
        """Answers every endpoint gives for a scenario, or None to go on."""
        host = (req.host or "").split(":")[0]
        if scenario == "nokey":
            if anthropic:
                return _json(401, anthropic_error("authentication_error", "x-api-key header is required"))
            return _json(401, openai_error("You didn't provide an API key. You need to provide your API key in an "
                                           "Authorization header using Bearer auth (i.e. Authorization: Bearer "
                                           "YOUR_KEY).", "invalid_request_error", None))
        if scenario == "invalid" or (scenario == "intl" and host != "api.moonshot.ai") \
                or (scenario == "cn" and host == "api.moonshot.ai"):
            if host.startswith("api.moonshot"):
                return _json(401, {"error": {"message": "Invalid Authentication",
                                             "type": "invalid_authentication_error"}})
            if anthropic:
                return _json(401, anthropic_error("authentication_error", "invalid x-api-key"))
            return _json(401, OPENAI_INVALID)
        if scenario == "oneapi-key" and host == "api.openai.com":
            return _json(401, OPENAI_INVALID)
        if scenario == "oneapi-invalid":
            return _json(401, one_api_error("无效的令牌"))
        if scenario == "oneapi-quota":
            return _json(403, one_api_error("该令牌额度已用尽"))
        if scenario == "ratelimit":
            return self._rate_limited(anthropic)
        if scenario == "region":
            if anthropic:
                return _json(403, anthropic_error("forbidden", "Request not allowed"))
            return _json(403, OPENAI_REGION)
        if scenario == "overloaded":
            if anthropic:
                return _json(529, anthropic_error("overloaded_error", "Overloaded"))
            return _json(503, {"error": {"message": "The engine is currently overloaded, please try again later",
                                         "type": "server_error"}})
        if scenario == "html":
            return Reply(200, {"content-type": "text/html; charset=utf-8"}, CAPTIVE)
        if scenario == "cloudflare":
            return Reply(403, {"content-type": "text/html; charset=UTF-8", "cf-ray": "8f1c2d3e4a5b6c7d-FRA",
                               "server": "cloudflare"}, CLOUDFLARE)
        return None

    @staticmethod
    def _balance(path: str, scenario: str) -> Reply:
        """DeepSeek's GET /user/balance and Moonshot's GET /v1/users/me/balance, as their docs show them
        (api-docs.deepseek.com/api/get-user-balance, platform.moonshot.cn/docs/api/balance)."""
        broke = scenario == "broke"
        if path == "/user/balance":
            return _json(200, {"is_available": not broke, "balance_infos": [
                {"currency": "CNY", "total_balance": "0.00" if broke else "110.00",
                 "granted_balance": "0.00" if broke else "10.00", "topped_up_balance": "0.00" if broke else "100.00"}]})
        return _json(200, {"code": 0, "data": {"available_balance": -0.5 if broke else 49.58894,
                                               "voucher_balance": 0 if broke else 46.58893,
                                               "cash_balance": -0.5 if broke else 3.00001},
                           "scode": "0x0", "status": True})

    def _rate_limited(self, anthropic: bool) -> Reply:
        if anthropic:
            reset = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=12)).strftime("%Y-%m-%dT%H:%M:%SZ")
            return _json(429, anthropic_error("rate_limit_error", "Number of request tokens has exceeded your "
                                              "per-minute rate limit (https://docs.anthropic.com/en/api/rate-limits)"),
                         {"retry-after": "12", "anthropic-ratelimit-requests-limit": "50",
                          "anthropic-ratelimit-requests-remaining": "0",
                          "anthropic-ratelimit-requests-reset": reset,
                          "anthropic-ratelimit-tokens-limit": "40000",
                          "anthropic-ratelimit-tokens-remaining": "38000",
                          "anthropic-ratelimit-tokens-reset": reset})
        return _json(429, OPENAI_RPM, {"retry-after": "12", "x-ratelimit-limit-requests": "500",
                                       "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "12s",
                                       "x-ratelimit-limit-tokens": "200000",
                                       "x-ratelimit-remaining-tokens": "199000",
                                       "x-ratelimit-reset-tokens": "300ms"})

    def _models(self, req: Request, scenario: str, anthropic: bool) -> Reply:
        found = self._common(req, scenario, anthropic, completion=False)
        if found is not None:
            return found
        delay = self.slow if scenario == "slow" else 0.0
        headers = {}
        if scenario == "lowlimit":
            headers = {"x-ratelimit-limit-requests": "500", "x-ratelimit-remaining-requests": "3",
                       "x-ratelimit-reset-requests": "12s", "x-ratelimit-limit-tokens": "200000",
                       "x-ratelimit-remaining-tokens": "150000", "x-ratelimit-reset-tokens": "6m0s"}
        if anthropic:
            data = [{"type": "model", "id": m, "display_name": m, "created_at": "2025-10-01T00:00:00Z"}
                    for m in ANTHROPIC_MODELS]
            return _json(200, {"data": data, "has_more": False, "first_id": data[0]["id"],
                               "last_id": data[-1]["id"]}, headers, delay)
        data = [{"id": m, "object": "model", "created": 1715367049, "owned_by": "system"} for m in OPENAI_MODELS]
        return _json(200, {"object": "list", "data": data}, headers, delay)

    def _complete(self, req: Request, scenario: str, *, anthropic: bool) -> Reply:
        found = self._common(req, scenario, anthropic, completion=True)
        if found is not None:
            return found
        try:
            body = req.json()
        except ValueError:
            body = {}
        model = str(body.get("model", ""))
        if scenario == "freelimit":  # OpenRouter's answer when a free-tier key used up its :free requests
            return _json(429, {"error": {"message": "Rate limit exceeded: free-models-per-day. Add 10 credits to "
                                         "unlock 1000 free model requests per day", "code": 429,
                                         "metadata": {"headers": {"X-RateLimit-Limit": "50",
                                                                  "X-RateLimit-Remaining": "0"}}}})
        if scenario == "quota":
            return _json(429, OPENAI_QUOTA)
        if scenario == "balance":
            return _json(402, openai_error("Insufficient Balance", "unknown_error", "invalid_request_error"))
        if scenario == "oneapi-nochannel":
            return _json(503, one_api_error(f"当前分组 default 下对于模型 {model} 无可用渠道"))
        if anthropic and model not in ANTHROPIC_MODELS and not model.startswith("claude-haiku-4-5"):
            return _json(404, anthropic_error("not_found_error", f"model: {model}"))
        if not anthropic and model not in OPENAI_MODELS:
            return _json(404, openai_error(f"The model `{model}` does not exist or you do not have access to it.",
                                           "invalid_request_error", "model_not_found"))
        limits = {"x-ratelimit-limit-requests": "500", "x-ratelimit-remaining-requests": "499",
                  "x-ratelimit-reset-requests": "120ms", "x-ratelimit-limit-tokens": "200000",
                  "x-ratelimit-remaining-tokens": "199970", "x-ratelimit-reset-tokens": "9ms"}
        headers = {"content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache",
                   **({} if anthropic else limits)}
        if body.get("stream") is not True:
            return _json(200, anthropic_message(model) if anthropic else openai_completion(model),
                         {} if anthropic else limits)
        stream = anthropic_stream if anthropic else openai_stream
        if scenario == "buffered":
            whole = b"".join(p for p in stream(0.0) if isinstance(p, bytes))
            return Reply(200, {**headers, "content-length": str(len(whole))}, whole, delay=self.slow)
        if scenario == "slow":
            return Reply(200, headers, stream(self.token_gap), delay=self.slow)
        if scenario == "stall":
            return Reply(200, headers, stream(self.token_gap, self.stall))
        if scenario == "midstream-overloaded" and anthropic:  # Anthropic reports errors inside a 200 stream
            error = _anthropic_event("error", {"type": "error", "error": {"type": "overloaded_error",
                                                                         "message": "Overloaded"}})
            return Reply(200, headers, [anthropic_stream(0.0)[0], error])
        if scenario == "nostream":
            return _json(200, openai_completion(model))
        return Reply(200, headers, stream(self.token_gap))


def _leaf(certs: Certs, names: tuple[str, ...]) -> tuple[Path, Path]:
    """A leaf from the test CA for the fake's names (official hosts too, reached via --resolve)."""
    tag = f"{abs(hash(names)):x}"
    cert_path = certs.directory / f"fakeapi-{tag}.cert.pem"
    key_path = certs.directory / f"fakeapi-{tag}.key.pem"
    if not cert_path.exists():
        leaf = certs.ca.issue_cert(*names)
        cert_path.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
        key_path.write_bytes(leaf.private_key_pem.bytes())
    return cert_path, key_path
