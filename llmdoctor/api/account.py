"""Reads a provider's own account endpoint (zero tokens): balance, credit limit, free tier.

Where a provider has one (OpenRouter's GET /key, DeepSeek's GET /user/balance, Moonshot's GET
/users/me/balance), it says whether the account can pay for a call before any token is spent, so
"no credit" is a measured fact, not a guess from a 402 or 429. The endpoints and the fields to read
are data (providers.json "account", each with the documentation it was taken from); this module
only follows the paths and judges the numbers. The key goes only to the provider's own hosts.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from llmdoctor.api.session import Session
from llmdoctor.config import Target
from llmdoctor.model import Finding, Status
from llmdoctor.net.http import HttpAnswer
from llmdoctor.providers import Provider

_TIMEOUT = 5.0


def account_url(target: Target, provider: Provider) -> str | None:
    """Where to read the account, or None: no endpoint, or the base URL is not the provider's own host."""
    spec = provider.account
    if not spec or not provider.owns_host(target.host):
        return None
    base = target.base_url.value.rstrip("/")
    if spec.get("from") == "origin":
        parts = urllib.parse.urlsplit(base)
        base = f"{parts.scheme}://{parts.netloc}"
    return base + str(spec["path"])


def _at(data: Any, path: str) -> Any:
    """`data` followed along a dotted path ("balance_infos.0.total_balance"); None where it breaks."""
    for step in path.split("."):
        if isinstance(data, list) and step.isdigit() and int(step) < len(data):
            data = data[int(step)]
        elif isinstance(data, dict):
            data = data.get(step)
        else:
            return None
    return data


def _number(value: Any) -> float | None:
    """DeepSeek sends balances as strings ("110.00"), Moonshot as numbers."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def read(answer: HttpAnswer, target: Target, provider: Provider) -> dict[str, Any]:
    """The account's fields as facts (JSON-safe); empty when the answer is not the documented shape."""
    import json

    if not 200 <= answer.status < 300:
        return {}
    try:
        data = json.loads(answer.body)
    except ValueError:
        return {}
    spec = provider.account
    facts: dict[str, Any] = {}
    for name, path in dict(spec.get("fields", {})).items():
        value = _at(data, str(path))
        if isinstance(value, (str, int, float, bool)) or value is None:
            facts[name] = value
    if not any(v is not None for v in facts.values()):
        return {}
    currency = facts.get("currency") or dict(spec.get("currency_by_host", {})).get(target.host) or spec.get("currency")
    if currency:
        facts["currency"] = currency
    return facts


def judge(facts: dict[str, Any], provider: Provider) -> list[Finding]:
    """A failure when the account cannot pay for a call; the numbers are the evidence."""
    if not facts:
        return []
    spec = provider.account
    top_up = spec.get("top_up") or provider.docs.get("keys", "the provider's console")
    unit = f" {facts['currency']}" if facts.get("currency") else ""
    remaining = _number(facts.get("remaining"))
    balance = _number(facts.get("balance"))
    if remaining is not None and remaining <= 0:
        return [Finding("quota.insufficient", f"{provider.name} says the key's credit limit is used up (limit "
                        f"{facts.get('limit')}, remaining {facts.get('remaining')}{unit}, used {facts.get('usage')})",
                        f"Raise the key's limit or add credit: {top_up}. Retrying does not help.",
                        Status.FAIL, 0.92, {"account": facts})]
    if facts.get("available") is False or (balance is not None and balance <= 0):
        parts = [f"{k.replace('_', ' ')} {facts[k]}" for k in ("granted", "topped_up", "cash", "voucher")
                 if facts.get(k) is not None]
        detail = f" ({', '.join(parts)})" if parts else ""
        flag = "; it is not available for API calls" if facts.get("available") is False else ""
        return [Finding("quota.insufficient", f"{provider.name} says the account balance is "
                        f"{facts.get('balance')}{unit}{detail}{flag}: every call will be refused until it is "
                        "topped up", f"Top up the account: {top_up}. Retrying does not help.",
                        Status.FAIL, 0.92, {"account": facts})]
    return []


def summary(facts: dict[str, Any], provider: Provider) -> str:
    """One clause for the auth check's summary: what the account has left."""
    unit = f" {facts['currency']}" if facts.get("currency") else ""
    if facts.get("balance") is not None:
        text = f"balance {facts['balance']}{unit}"
    elif "remaining" in facts:
        remaining = facts.get("remaining")
        text = "no credit limit on the key" if remaining is None else f"{remaining}{unit} left of the key's limit"
    else:
        return ""
    if facts.get("free_tier") and provider.account.get("free_tier_note"):
        text += f"; {provider.account['free_tier_note']}"
    return text


def probe(session: Session, target: Target, provider: Provider) -> tuple[dict[str, Any], list[Finding]]:
    """GET the account endpoint when it is not the auth request itself; its failure is no finding."""
    url = account_url(target, provider)
    if url is None:
        return {}, []
    answer = session.send("GET", url, "account", timeout=min(session.ctx.timeout(), _TIMEOUT), follow=False)
    if not isinstance(answer, HttpAnswer):
        return {}, []
    facts = read(answer, target, provider)
    return facts, judge(facts, provider)
