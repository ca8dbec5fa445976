"""The Prometheus view: a report's numbers as metric families, for `/probe` and the textfile collector.

Built on prometheus_client (a custom collector in a registry of its own, the library's exposition
and content types), never by writing the text format by hand. Only bounded values become labels:
target names (from the configuration), provider ids, check names, cause ids (from the knowledge
base), phases and rate-limit kinds; anything else, a message, a URL, a key, is left out. The report
is already scrubbed, and no free text is read from it here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from prometheus_client import CollectorRegistry, write_to_textfile
from prometheus_client.exposition import generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.registry import Collector

# Status as a number, from the model's severity order: pass 0, skip 1, warn 2, fail 3, error 4.
STATUS_VALUE = {"pass": 0, "skip": 1, "warn": 2, "fail": 3, "error": 4}
# The timing check's waterfall rows (checks/timing.py); any other phase name is not exported.
PHASES = ("dns", "connect", "tls", "first_byte", "first_token", "transfer")
RATE_KINDS = ("requests", "tokens", "input-tokens", "output-tokens")
# A label value must look like an id: a plug-in whose check name or finding code is free text
# (a URL, a message) must not create a series per value.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")


def bounded(value: object) -> str | None:
    """`value` when it is a short identifier, else None (the series is dropped, not mislabelled)."""
    return value if isinstance(value, str) and _ID.match(value) else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _facts(target: Mapping[str, Any], check: str) -> Mapping[str, Any]:
    for result in target.get("results", []):
        if result.get("check") == check:
            facts = result.get("facts")
            return facts if isinstance(facts, Mapping) else {}
    return {}


def cut_short(target: Mapping[str, Any]) -> bool:
    """The run's deadline passed before every check of this target ran (the runner skips the rest)."""
    return any(isinstance(r.get("facts"), Mapping) and r["facts"].get("deadline_passed")
               for r in target.get("results", []))


def target_healthy(target: Mapping[str, Any]) -> bool:
    """No check of this target failed or crashed (the report's exit code 0), and none was skipped for
    want of time: a probe that ran out of time has not shown that the API works."""
    return not cut_short(target) and not any(r.get("status") in ("fail", "error") for r in target.get("results", []))


def _timestamp(text: object) -> float | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.timestamp()


class _Families:
    """The families of one exposition, in a fixed order, each created on first use."""

    def __init__(self) -> None:
        self._by_name: dict[str, GaugeMetricFamily | InfoMetricFamily] = {}

    def add(self, name: str, doc: str, labels: Sequence[str], values: Sequence[str], value: float,
            unit: str = "") -> None:
        family = self._by_name.get(name)
        if family is None:
            family = self._by_name[name] = GaugeMetricFamily(name, doc, labels=list(labels), unit=unit)
        assert isinstance(family, GaugeMetricFamily)
        family.add_metric(list(values), value)

    def info(self, name: str, doc: str, labels: Sequence[str], values: Sequence[str]) -> None:
        """An info metric (`NAME_info{...} 1`), typed as such for OpenMetrics scrapers."""
        family = self._by_name.get(name)
        if family is None:
            family = self._by_name[name] = InfoMetricFamily(name, doc, labels=list(labels))
        assert isinstance(family, InfoMetricFamily)
        family.add_metric(list(values), {})

    def __iter__(self) -> Iterator[Metric]:
        return iter(self._by_name.values())


def _target_metrics(out: _Families, target: Mapping[str, Any], causes: Sequence[Mapping[str, Any]],
                    duration_s: float | None) -> None:
    name = bounded(target.get("name"))
    if name is None:
        return
    results = target.get("results", [])
    out.add("probe_success", "1 when no check of the target failed and all ran within the deadline, else 0.",
            ["target"], [name], 1.0 if target_healthy(target) else 0.0)
    out.add("llmdoctor_deadline_exceeded", "1 when the deadline passed before every check ran.", ["target"],
            [name], 1.0 if cut_short(target) else 0.0)
    if duration_s is None:  # the target's checks run one after another
        duration_s = sum(_number(r.get("duration_ms")) or 0.0 for r in results) / 1000
    out.add("probe_duration_seconds", "How long the diagnosis of the target took.", ["target"], [name],
            round(duration_s, 6))
    provider = bounded(target.get("provider"))
    if provider:
        out.info("llmdoctor_target", "The provider that serves the target.", ["target", "provider"],
                 [name, provider])
    for result in results:
        check = bounded(result.get("check"))
        status = STATUS_VALUE.get(str(result.get("status")))
        if check is None or status is None:
            continue
        out.add("llmdoctor_check_status", "Each check's status: 0 pass, 1 skip, 2 warn, 3 fail, 4 error.",
                ["target", "check"], [name, check], float(status))
        ms = _number(result.get("duration_ms"))
        if ms is not None:
            out.add("llmdoctor_check_duration_seconds", "How long each check took.", ["target", "check"],
                    [name, check], round(ms / 1000, 6))
    for cause in causes:
        cause_id = bounded(cause.get("id"))
        named = cause.get("targets") or []
        if cause_id and (not named or name in named):
            out.add("llmdoctor_cause", "1 for each cause the diagnosis found (ids: docs/causes.md).",
                    ["target", "cause"], [name, cause_id], 1.0)
            # The knowledge base's own judgement: a failure that retrying does not fix (a revoked key, an
            # empty balance, a wrong base URL) waits for a person, whatever its id.
            human = cause.get("severity") == "fail" and cause.get("retry") == "no"
            out.add("llmdoctor_cause_needs_human", "1 for a cause that broke the call and that retrying does not "
                    "fix (the knowledge base's retry: no), else 0.", ["target", "cause"], [name, cause_id],
                    1.0 if human else 0.0)
    _timing(out, name, _facts(target, "timing"))
    _rate_limits(out, name, _facts(target, "rate-limits"))
    http_status = _number(_facts(target, "auth").get("status"))
    if http_status is not None:
        out.add("probe_http_status_code", "The HTTP status of the authenticated API request (auth check).",
                ["target"], [name], http_status)
    cert = _facts(target, "tls").get("cert")
    expiry = _timestamp(cert.get("not_after")) if isinstance(cert, Mapping) else None
    if expiry is not None:
        out.add("llmdoctor_tls_cert_expiry_timestamp_seconds", "When the server's certificate expires (Unix time).",
                ["target"], [name], expiry)


def _timing(out: _Families, name: str, facts: Mapping[str, Any]) -> None:
    for row in facts.get("waterfall") or []:
        if not isinstance(row, Mapping) or row.get("phase") not in PHASES:
            continue
        ms = _number(row.get("ms"))
        if ms is not None:
            out.add("llmdoctor_phase_duration_seconds", "Time spent in each phase of the API request "
                    "(dns, connect, tls, first_byte, first_token, transfer).", ["target", "phase"],
                    [name, str(row["phase"])], round(ms / 1000, 6))


def _rate_limits(out: _Families, name: str, facts: Mapping[str, Any]) -> None:
    for item in facts.get("limits") or []:
        if not isinstance(item, Mapping) or item.get("kind") not in RATE_KINDS:
            continue
        kind = str(item["kind"])
        limit, remaining, reset = (_number(item.get(k)) for k in ("limit", "remaining", "reset_s"))
        labels, values = ["target", "kind"], [name, kind]
        if limit is not None:
            out.add("llmdoctor_ratelimit_limit", "The provider's rate limit for the window (from its headers).",
                    labels, values, limit)
        if remaining is not None:
            out.add("llmdoctor_ratelimit_remaining", "What is left of the rate limit in this window.",
                    labels, values, remaining)
        if limit and remaining is not None:
            out.add("llmdoctor_ratelimit_headroom_ratio", "remaining / limit: 0 means the next call gets a 429.",
                    labels, values, round(max(0.0, remaining) / limit, 6))
        if reset is not None:
            out.add("llmdoctor_ratelimit_reset_seconds", "Seconds until the rate-limit window resets.",
                    labels, values, reset)


class ReportCollector(Collector):
    """Metric families of one report: every target of it, or only `only` (a probe's target).

    `duration_s` is the probe's wall time when a server measured it; `timestamp` adds when the
    run happened, for the textfile collector, where a stale file must be noticed."""

    def __init__(self, data: Mapping[str, Any], *, only: str | None = None, duration_s: float | None = None,
                 timestamp: bool = False) -> None:
        self._data = data
        self._only = only
        self._duration_s = duration_s
        self._timestamp = timestamp

    def collect(self) -> Iterator[Metric]:
        out = _Families()
        causes = [c for c in self._data.get("causes", []) if isinstance(c, Mapping)]
        for target in self._data.get("targets", []):
            if self._only is None or target.get("name") == self._only:
                _target_metrics(out, target, causes, self._duration_s)
        if self._timestamp:
            when = _timestamp(self._data.get("generated_at"))
            if when is not None:
                out.add("llmdoctor_run_timestamp_seconds", "When this llmdoctor run started (Unix time).", [], [],
                        when)
        return iter(out)


def registry_for(data: Mapping[str, Any], *, only: str | None = None, duration_s: float | None = None,
                 timestamp: bool = False) -> CollectorRegistry:
    """A registry of its own per report (as blackbox_exporter builds one per probe): nothing from one
    probe can leak into the next, and nothing grows with the number of probes."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(ReportCollector(data, only=only, duration_s=duration_s, timestamp=timestamp))
    return registry


def render_prometheus(data: Mapping[str, Any]) -> bytes:
    """The text exposition format of every target in the report."""
    return generate_latest(registry_for(data, timestamp=True))


def write_textfile(path: str, data: Mapping[str, Any]) -> None:
    """For node_exporter's textfile collector: prometheus_client writes a temporary file next to
    `path` and renames it over `path`, so the collector never reads half a file."""
    write_to_textfile(path, registry_for(data, timestamp=True))
