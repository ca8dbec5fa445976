"""Where the time goes (DNS, connect, TLS, first byte, first token), and which timeout a user hits."""

from __future__ import annotations

from typing import Any

from llmdoctor.api.ratelimits import format_seconds
from llmdoctor.check import BaseCheck
from llmdoctor.context import Context
from llmdoctor.model import CheckResult, Finding, Status, from_findings, skipped

# openai-python and anthropic-python: httpx.Timeout(600, connect=5.0), max_retries=2, backoff from 0.5 s
# doubling up to 8 s (openai/_constants.py, anthropic/_constants.py).
SDK_CONNECT_S, SDK_READ_S, SDK_RETRIES, SDK_BACKOFF_S = 5.0, 600.0, 2, 0.5 + 1.0
SLOW_FIRST_BYTE_MS = 10_000.0
_KIND_OF = {"net.connect_timeout": "connect", "proxy.unreachable": "connect", "net.tls_timeout": "tls",
            "net.read_timeout": "first_byte", "net.stream_stalled": "stream_stall"}


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def waterfall(ctx: Context) -> tuple[str, list[dict[str, Any]], float | None]:
    """(which request, rows {phase, start_ms, ms}, total_ms): DNS from the dns check, the rest from the
    completion probe when it ran, else from the auth request."""
    probe = "completion" if _num(ctx.fact("completion", "ttfb_ms")) is not None else "auth"

    def get(key: str) -> float | None:
        return _num(ctx.fact(probe, key))

    rows: list[dict[str, Any]] = []
    clock = 0.0

    def add(phase: str, ms: float | None) -> None:
        nonlocal clock
        if ms is not None:
            ms = max(0.0, ms)  # derived spans; the probe's clocks start a fraction of a ms apart
            rows.append({"phase": phase, "start_ms": round(clock, 1), "ms": round(ms, 1)})
            clock += ms

    add("dns", _num(ctx.fact("dns", "dns_ms")))
    connect = get("connect_ms") if get("connect_ms") is not None else _num(ctx.fact("tcp", "connect_ms"))
    tls = get("tls_ms") if get("tls_ms") is not None else _num(ctx.fact("tls", "tls_ms"))
    add("connect", connect)
    add("tls", tls)
    # Over a new connection the probe's clock includes its connect and handshake; over the one the
    # tls check handed on (net/handoff.py) it starts at the request: shift it onto the waterfall's clock.
    shift = (connect or 0) + (tls or 0) if ctx.fact(probe, "connection") == "handed over" else 0.0

    def at(key: str) -> float | None:
        value = get(key)
        return None if value is None else value + shift

    ttfb, total, first_token = at("ttfb_ms"), at("total_ms"), at("first_token_ms")
    if ttfb is None:
        return probe, rows, None
    add("first_byte", ttfb - (connect or 0) - (tls or 0))
    if probe == "completion" and first_token is not None and first_token >= ttfb:
        add("first_token", first_token - ttfb)
        ttfb = first_token
    if total is not None:
        add("transfer", total - ttfb)
    return probe, rows, round(clock, 1)


def _seen_kinds(ctx: Context) -> dict[str, str]:
    """timeout kind -> the check that saw it."""
    kinds: dict[str, str] = {}
    for check in ("tcp", "tls", "auth", "completion"):
        result = ctx.result(check)
        for finding in result.findings if result else ():
            kind = _KIND_OF.get(finding.code) or _KIND_OF.get(str(finding.facts.get("transport_cause", "")))
            if kind:
                kinds.setdefault(kind, check)
    return kinds


class TimingCheck(BaseCheck):
    """Phase timing (DNS, connect, TLS, first byte, first token) against the SDKs' timeouts."""

    name = "timing"
    requires = ("endpoint",)
    reads = ("dns", "proxy", "tcp", "tls", "auth", "completion")
    phase = "timing"

    def run(self, ctx: Context) -> CheckResult:
        probe, rows, total = waterfall(ctx)
        worst_silent = (1 + SDK_RETRIES) * SDK_READ_S + SDK_BACKOFF_S
        facts: dict[str, Any] = {
            "waterfall": rows, "total_ms": total, "probe": probe,
            "sdk_defaults": {"connect_s": SDK_CONNECT_S, "read_s": SDK_READ_S, "max_retries": SDK_RETRIES,
                             "worst_case_unreachable_s": (1 + SDK_RETRIES) * SDK_CONNECT_S + SDK_BACKOFF_S,
                             "worst_case_silent_server_s": worst_silent}}
        kinds = _seen_kinds(ctx)
        if kinds:
            facts["timeout_kind"] = next(iter(kinds))
        findings = self._judge(ctx, probe, rows, kinds, facts)
        reached = any(r["phase"] != "dns" for r in rows)  # a DNS lookup alone is no request
        if not reached and not findings:
            facts["waterfall"] = []  # a DNS lookup alone draws no waterfall in the views
            seen = f": the {kinds[facts['timeout_kind']]} request hit a {facts['timeout_kind'].replace('_', ' ')} " \
                   "timeout" if kinds else ""
            return skipped("no request got far enough to be timed" + seen, facts)
        shown = ", ".join(f"{r['phase'].replace('_', ' ')} {r['ms']:.0f} ms" for r in rows)
        summary = f"{shown}; total {total:.0f} ms ({probe} request)" if total is not None else shown
        defaults = (f"; with the SDK defaults (connect {SDK_CONNECT_S:g} s, read {SDK_READ_S:g} s, {SDK_RETRIES} "
                    f"retries) a silent server makes a call wait up to {format_seconds(worst_silent)}")
        return from_findings(summary + defaults, findings, facts)

    def _judge(self, ctx: Context, probe: str, rows: list[dict[str, Any]], kinds: dict[str, str],
               facts: dict[str, Any]) -> list[Finding]:
        findings: list[Finding] = []
        limit_s = ctx.settings.timeout
        first = {r["phase"]: r for r in rows}
        waited_ms = None
        if "first_byte" in first:
            last = first.get("first_token") or first["first_byte"]
            waited_ms = last["start_ms"] + last["ms"]
            facts["first_byte_ms"] = waited_ms
        if "first_byte" in kinds:
            findings.append(Finding(
                "net.slow_first_byte", f"the {kinds['first_byte']} request connected but got no answer within "
                f"{limit_s:g} s (--timeout)",
                "The server, or a relay or proxy in between, is slow to send the first byte (reasoning models can "
                "take minutes). Give your client a read timeout above that, or check the relay.", Status.FAIL, 0.7,
                {"timeout_s": limit_s}))
        elif waited_ms is not None and waited_ms > SLOW_FIRST_BYTE_MS:
            findings.append(Finding(
                "net.slow_first_byte", f"the first byte took {format_seconds(waited_ms / 1000)}",
                "Make sure your client's read timeout is above this.", Status.WARN, 0.5, {"first_byte_ms": waited_ms}))
        client = ctx.settings.client_timeout
        if client is not None:
            too_short = waited_ms is not None and waited_ms > client * 1000
            unknown_but_longer = waited_ms is None and "first_byte" in kinds and client <= limit_s
            if too_short or unknown_but_longer:
                measured = f"the measured time to first {'token' if 'first_token' in first else 'byte'} " \
                           f"({format_seconds((waited_ms or 0) / 1000)})" if too_short else \
                           f"the time to first byte (more than {limit_s:g} s)"
                findings.append(Finding(
                    "net.client_timeout_too_short", f"your client's timeout ({client:g} s) is shorter than {measured}",
                    f"Raise the timeout in your code above {format_seconds((waited_ms or limit_s * 1000) / 1000)} "
                    f"(the SDKs default to {SDK_READ_S:g} s), or stream the answer so the first bytes come sooner.",
                    Status.FAIL, 0.85, {"client_timeout_s": client}))
        return findings
