"""One key's requests and what their answers mean: a class, a cause id and one line of evidence.

Answers are read by `apierrors.classify_response` (the table the live auth check and `explain`
share) and transport failures by `net.errors.classify`, so a key gets the same cause id here as in a
full run. Bodies are capped raw and decoded with the bounded decoder (a gzip bomb stays small).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from llmdoctor import providers
from llmdoctor.api.models import find, model_ids
from llmdoctor.apierrors import classify_response, redact_text
from llmdoctor.keypool.classes import KeyStatus, status_for
from llmdoctor.keypool.plan import Probe
from llmdoctor.net.bounded import WallClockTimeout
from llmdoctor.net.decoding import DecodingError, codings, decoded_chunks
from llmdoctor.net.errors import classify

if TYPE_CHECKING:
    import httpx

    from llmdoctor.config import Target
    from llmdoctor.providers import Provider

MAX_BODY = 1_000_000  # a models list is tens of KB; OpenRouter's whole catalogue is under 1 MB
_EVIDENCE_CHARS = 300


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes


@dataclass
class Verdict:
    """What one request said about the key."""

    status: KeyStatus
    cause: str | None
    evidence: str
    retry_after_s: float | None = None
    throttle: bool = False  # the host asked to slow down (429 or Retry-After): pace the whole host
    facts: dict[str, Any] = field(default_factory=dict)
    models: list[str] | None = None


async def send(client: httpx.AsyncClient, method: str, url: str, headers: Mapping[str, str], *,
               cap: float, body: Any = None, only_status: bool = False) -> Answer:
    """One request, the whole of it within `cap` seconds (a drip or a silent SOCKS proxy must end)."""
    try:
        return await asyncio.wait_for(_send(client, method, url, headers, body, only_status), cap)
    except asyncio.TimeoutError:
        raise WallClockTimeout(cap) from None


async def _send(client: httpx.AsyncClient, method: str, url: str, headers: Mapping[str, str], body: Any,
                only_status: bool) -> Answer:
    request = client.build_request(method, url, headers=headers, json=body)
    response = await client.send(request, stream=True)
    try:
        got = {k.lower(): v for k, v in response.headers.items()}
        if only_status and 200 <= response.status_code < 300:
            return Answer(response.status_code, got, b"")  # a streamed completion: the status says enough
        raw: list[bytes] = []
        size = 0
        async for chunk in response.aiter_raw():
            raw.append(chunk)
            size += len(chunk)
            if size > MAX_BODY:
                break
        data = b"".join(raw)
        layers = codings(response.headers.get_list("content-encoding"))
        if layers:
            try:
                data = b"".join(decoded_chunks([data], layers, MAX_BODY))
            except DecodingError:
                data = b""
        return Answer(response.status_code, got, data[:MAX_BODY])
    finally:
        await response.aclose()


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EVIDENCE_CHARS else text[: _EVIDENCE_CHARS - 1] + "…"


def failed(exc: BaseException, method: str, url: str, via_proxy: bool) -> Verdict:
    """A transport failure: the network, not the key (cause from the shared exception table)."""
    found = classify(exc, via_proxy=via_proxy)
    return Verdict(status_for(found.cause), found.cause, _short(f"{method} {url}: {redact_text(found.message)}"))


def _key_info(probe: Probe, body: bytes) -> Verdict | None:
    """OpenRouter's /key, DeepSeek's and Moonshot's balance: an exhausted key is told apart here."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    if probe.kind == "key-info":
        info: dict[str, Any] = data["data"] if isinstance(data.get("data"), dict) else {}
        facts: dict[str, Any] = {k: info[k] for k in ("limit", "limit_remaining", "usage", "is_free_tier") if k in info
                 and isinstance(info[k], (int, float, bool, type(None)))}
        remaining = info.get("limit_remaining")
        if isinstance(remaining, (int, float)) and not isinstance(remaining, bool) and remaining <= 0:
            return Verdict(KeyStatus.NO_QUOTA, "quota.insufficient",
                           f"the key's credit limit is used up (limit {info.get('limit')}, remaining {remaining})",
                           facts=facts)
        return Verdict(KeyStatus.VALID, None, "the key-info endpoint accepted the key", facts=facts)
    available = data.get("is_available")
    if isinstance(available, bool):  # DeepSeek
        infos: list[Any] = data["balance_infos"] if isinstance(data.get("balance_infos"), list) else []
        shown = ", ".join(f"{i.get('total_balance')} {i.get('currency')}" for i in infos[:3] if isinstance(i, dict))
        facts = {"balance": shown} if shown else {}
        if not available:
            return Verdict(KeyStatus.NO_QUOTA, "quota.insufficient",
                           f"the account's balance is not available for calls (balance {shown or 'none'})",
                           facts=facts)
        return Verdict(KeyStatus.VALID, None, f"the balance endpoint accepted the key (balance {shown})",
                       facts=facts)
    inner: dict[str, Any] = data["data"] if isinstance(data.get("data"), dict) else {}
    balance = inner.get("available_balance")
    if isinstance(balance, (int, float)) and not isinstance(balance, bool):  # Moonshot
        if balance <= 0:
            return Verdict(KeyStatus.NO_QUOTA, "quota.insufficient",
                           f"the account's available balance is {balance}", facts={"available_balance": balance})
        return Verdict(KeyStatus.VALID, None, f"the balance endpoint accepted the key (available {balance})",
                       facts={"available_balance": balance})
    return None


def _looks_like_other_provider(key: str, provider: Provider) -> Provider | None:
    """A prefix that names another vendor (sk-ant- sent to OpenAI); a relay takes any key, so never there."""
    if provider.id == "relay":
        return None
    owners = [p for p in providers.owners_of_key(key) if p.id != provider.id and p.id != "gemini-native"]
    if owners and provider.key_prefix_of(key) in (None, "sk-"):
        return owners[0]
    return None


def judge(answer: Answer, target: Target, provider: Provider, probe: Probe, *, endpoint: str = "models",
          model_probe: bool = False) -> Verdict:
    """The class of one answer; `model_probe` reads "not found" and "forbidden" as about the model."""
    where = f"{'POST' if endpoint == 'chat' else 'GET'} {probe.url}"
    if 300 <= answer.status < 400:
        location = redact_text(answer.headers.get("location", "(none)"))
        return Verdict(KeyStatus.ERROR, "endpoint.redirect",
                       _short(f"{where} answered HTTP {answer.status}, a redirect to {location} (not followed: a "
                              "redirect must not carry the key to another host)"))
    found = classify_response(answer.status, answer.body, answer.headers, provider.id, endpoint)
    if 200 <= answer.status < 300 and not found:
        if probe.kind != "models" and endpoint == "models":
            verdict = _key_info(probe, answer.body)
            if verdict is not None:
                return verdict
        if endpoint == "models" and probe.kind == "models":
            ids = model_ids(answer.body)
            if ids is None:
                return Verdict(KeyStatus.ERROR, "endpoint.not_an_api",
                               f"{where} answered HTTP {answer.status} but not with a model list")
            return Verdict(KeyStatus.VALID, None, f"{len(ids)} models listed", models=ids)
        return Verdict(KeyStatus.VALID, None, f"{where} answered HTTP {answer.status}")
    top = found[0]
    cause = top.cause_id
    message = top.message
    key = target.api_key.reveal() if target.api_key is not None else ""
    other = _looks_like_other_provider(key, provider)
    if other is not None and cause in ("auth.invalid_key", "auth.permission_denied"):
        cause = "auth.key_wrong_provider"
        message = f"this looks like a {other.name} key, sent to {provider.name}; {message}"
    retry = top.facts.get("retry_after_s")
    retry_after = float(retry) if isinstance(retry, (int, float)) else _http_date_wait(top.facts.get("retry_after"))
    status = status_for(cause, model_probe=model_probe)
    throttle = answer.status == 429 and status is KeyStatus.RATE_LIMITED
    throttle = throttle or (retry_after is not None and answer.status in (429, 503))
    facts = {k: v for k, v in top.facts.items() if k in ("status", "error_code", "error_type", "request_id",
                                                          "relay", "key_looks_like", "limit_kind")}
    return Verdict(status, cause, _short(message), retry_after, throttle, facts)


def _http_date_wait(value: object) -> float | None:
    """`Retry-After: Wed, 21 Oct 2026 07:28:00 GMT` (RFC 9110 allows a date) as seconds from now."""
    if not isinstance(value, str):
        return None
    import datetime as dt
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return round(max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds()), 3)


def model_verdict(model: str, ids: list[str]) -> Verdict | None:
    """--model against the key's own model list: absent means this key cannot use it."""
    how, _listed = find(model, ids)
    if how != "absent":
        return None
    return Verdict(KeyStatus.MODEL_RESTRICTED, "model.not_found",
                   _short(f"the key's model list ({len(ids)} models) does not include {redact_text(model)!r}"))
