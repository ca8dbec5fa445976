"""A fake OpenAI-compatible relay holding a pool of keys, one of every class, that counts what it sees.

`KeyPoolApi(certs, keys={key: scenario})` answers `GET /v1/models` (and `POST /v1/chat/completions`)
with the providers' own error bodies (the samples of tests/peers/fakeapi.py). It counts requests in
flight (`max_in_flight`) and, with `throttle=(capacity, per_second)`, rate-limits the *auditor*:
a token bucket shared by every key, answering 429 + Retry-After when it is empty, and recording
every request that arrives while it told the client to wait (`early_arrivals`).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from .certs import Certs
from .fakeapi import (
    OPENAI_INVALID,
    OPENAI_MODELS,
    OPENAI_QUOTA,
    OPENAI_REGION,
    OPENAI_RPM,
    one_api_error,
    openai_error,
)
from .http import HttpServer, Reply, Request

# "quota_on_chat" is valid for every zero-token probe; only --probe-completion shows it has no quota.
SCENARIOS = ("valid", "invalid", "wrong_provider", "no_quota", "rate_limited", "region_blocked", "model_restricted",
             "unreachable", "error")


def pool_key(scenario: str, n: int = 0) -> str:
    """A relay-shaped key (sk- and 48 letters and digits) for `scenario`; an Anthropic key for wrong_provider."""
    body = f"{scenario.replace('_', '')}{n}".ljust(20, "x")[:20] + "Q7r9T1u3W5y7A9c1E3g5H7j9"
    return ("sk-ant-api03-" if scenario == "wrong_provider" else "sk-") + body + "Zz0" + f"{n:04d}"


def _key_of(req: Request) -> str:
    auth = req.headers.get("authorization") or ""
    return auth.removeprefix("Bearer ").strip() if auth else (req.headers.get("x-api-key") or "")


class KeyPoolApi:
    """The relay; `url` is its base URL (with /v1)."""

    def __init__(self, certs: Certs | None, keys: dict[str, str], *, work: float = 0.0, hang: float = 3.0,
                 throttle: tuple[int, float] | None = None, retry_after: int = 1) -> None:
        self.keys = dict(keys)
        self.work = work  # seconds each answer takes, so requests overlap and in-flight counts mean something
        self.hang = hang  # the "unreachable" key's answer comes this late (past the auditor's timeout)
        self.retry_after = retry_after
        self.throttle = throttle
        self._tokens = float(throttle[0]) if throttle else 0.0
        self._refilled = time.monotonic()
        self._lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.arrivals: list[float] = []
        self.throttled_at: list[float] = []  # when each 429 was sent
        self.wait_until = 0.0  # the end of the latest wait the server asked for
        self.early_arrivals = 0  # requests that came while the client had been told to wait
        self.windows: list[tuple[float, float]] = []  # (429 sent, end of the wait it asked for)
        self.server = HttpServer(self.handle, cert=certs.leaf("valid") if certs else None)

    @property
    def url(self) -> str:
        return self.server.url + "/v1"

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> KeyPoolApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def hammering(self, margin: float = 0.5) -> int:
        """Requests that arrived inside a wait the server had asked for, `margin` seconds or more after it
        told the client: sent by a client that knew it should wait (in-flight ones arrive sooner)."""
        with self._lock:
            return sum(1 for t in self.arrivals if any(told + margin <= t < until for told, until in self.windows))

    def _take_token(self, now: float) -> bool:
        assert self.throttle is not None
        capacity, rate = self.throttle
        self._tokens = min(capacity, self._tokens + (now - self._refilled) * rate)
        self._refilled = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False

    def handle(self, req: Request) -> Reply:
        now = time.monotonic()
        with self._lock:
            self.arrivals.append(now)
            if now < self.wait_until:
                self.early_arrivals += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            limited = self.throttle is not None and not self._take_token(now)
            if limited:
                self.throttled_at.append(now)
                self.wait_until = max(self.wait_until, now + self.retry_after)
        try:
            if self.work:
                time.sleep(self.work)
            if limited:
                with self._lock:
                    self.windows.append((time.monotonic(), now + self.retry_after))
                return Reply.json(429, {"error": {"message": "Too many requests, please slow down",
                                                  "type": "rate_limit_error"}},
                                  {"retry-after": str(self.retry_after)})
            return self._answer(req)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _answer(self, req: Request) -> Reply:
        scenario = self.keys.get(_key_of(req), "invalid")
        path = req.path.split("?")[0]
        if scenario == "unreachable":
            time.sleep(self.hang)
        if scenario == "invalid":
            return Reply.json(401, OPENAI_INVALID)
        if scenario == "wrong_provider":  # OpenAI-style answers quote the key's start: sk-ant-…
            return Reply.json(401, openai_error("Incorrect API key provided: sk-ant-a***********************Zz0. "
                                                "You can find your API key at https://platform.openai.com/"
                                                "account/api-keys.", "invalid_request_error", "invalid_api_key"))
        if scenario == "no_quota":
            return Reply.json(403, one_api_error("该令牌额度已用尽"))
        if scenario == "rate_limited":
            return Reply.json(429, OPENAI_RPM, {"retry-after": str(self.retry_after)})
        if scenario == "region_blocked":
            return Reply.json(403, OPENAI_REGION)
        if scenario == "error":
            return Reply.json(500, {"error": {"message": "The server had an error while processing your request.",
                                              "type": "server_error", "param": None, "code": None}})
        if path == "/v1/chat/completions" and req.method == "POST":
            if scenario == "quota_on_chat":  # OpenAI: the models list works, only a completion shows it
                return Reply.json(429, OPENAI_QUOTA)
            return Reply.sse([{"id": "chatcmpl-1", "object": "chat.completion.chunk",
                               "choices": [{"index": 0, "delta": {"content": "OK"}, "finish_reason": None}]}])
        models: tuple[str, ...] = OPENAI_MODELS
        if scenario == "model_restricted":
            models = ("gpt-4o-mini", "text-embedding-3-small")
        data: list[dict[str, Any]] = [{"id": m, "object": "model", "created": 1715367049, "owned_by": "system"}
                                      for m in models]
        return Reply.json(200, {"object": "list", "data": data})
