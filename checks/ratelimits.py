"""Rate-limit headroom from the headers of every API answer seen: what is left, and when it resets."""

from __future__ import annotations

from typing import Any

from llmdoctor.api.ratelimits import Headroom, format_seconds, headroom, retry_after
from llmdoctor.check import BaseCheck
from llmdoctor.context import Context
from llmdoctor.model import CheckResult, Finding, Status, from_findings, skipped

# Checks whose facts carry "responses" (see llmdoctor.api.observe.observation), latest last.
_SOURCES = ("auth", "models", "completion")


def _seen(ctx: Context) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    for check in _SOURCES:
        responses = ctx.fact(check, "responses", [])
        if isinstance(responses, list):
            seen += [r for r in responses if isinstance(r, dict)]
    return seen


class RateLimitsCheck(BaseCheck):
    """Rate-limit headroom from every API answer's headers: what is left and when it resets."""

    name = "rate-limits"
    # Not `requires` auth: a 429 fails the auth check, and that is when the headroom matters most.
    requires = ("key", "endpoint")
    reads = _SOURCES
    phase = "api"

    def run(self, ctx: Context) -> CheckResult:
        seen = _seen(ctx)
        if not seen:
            return skipped("no API answer to read (the auth check got none)")
        latest: tuple[dict[str, Any], list[Headroom]] | None = None
        waits: list[float] = []
        for response in seen:
            headers = response.get("rate_headers") or {}
            at = str(response.get("at", ""))
            limits = headroom(headers, at)
            if limits:
                latest = (response, limits)
            wait = retry_after(headers, at)
            if wait is not None:
                waits.append(wait)
        facts: dict[str, Any] = {"responses_seen": len(seen)}
        if waits:
            facts["retry_after_s"] = max(waits)
        if latest is None:
            name = ctx.target.provider.name
            if waits:
                return from_findings("", [Finding("ratelimit.exceeded", f"the server asked to wait "
                                     f"{format_seconds(max(waits))} (retry-after) but sends no limit headers",
                                     "Wait that long before retrying.", Status.WARN, 0.7)], facts)
            return skipped(f"{name} sent no rate-limit headers in {len(seen)} answer(s)", facts)
        response, limits = latest
        facts.update(limits=[h.to_dict() for h in limits], source=response.get("request"),
                     status=response.get("status"))
        text = "; ".join(h.text() for h in limits)
        findings = [self._low(h, facts) for h in limits if h.low]
        ok = f"{text} (from the {response.get('request')} answer): a 429 now would be a burst or a quota " \
             "problem, not this window's limit"
        return from_findings(ok, findings, facts)

    @staticmethod
    def _low(limit: Headroom, facts: dict[str, Any]) -> Finding:
        empty = (limit.remaining or 0) <= 0
        when = f" in {format_seconds(limit.reset_s)}" if limit.reset_s is not None else ""
        wait = facts.get("retry_after_s")
        message = f"{limit.text()}: " + ("the next call gets a 429 until the window resets" if empty
                                         else "the next few calls may get a 429")
        hint = (f"Wait until the window resets{when}" + (f" (the server says retry after {wait:g} s)" if wait else "")
                + ", lower your request rate or concurrency, or ask the provider for a higher tier. The SDKs "
                "retry a 429 twice with backoff, which only helps if the window resets within seconds.")
        return Finding("ratelimit.exceeded", message, hint, Status.WARN, 0.85 if empty else 0.5, limit.to_dict())
