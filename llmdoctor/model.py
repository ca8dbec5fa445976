"""Plain, frozen result data that checks return and every renderer reads."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JSONValue = Any  # str | int | float | bool | None | list[JSONValue] | dict[str, JSONValue]


class Status(str, enum.Enum):
    """Outcome of one check, ordered from best to worst by `severity`."""

    PASS = "pass"
    SKIP = "skip"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    @property
    def blocks_dependents(self) -> bool:
        """A failed or crashed prerequisite makes its dependents meaningless."""
        return self in (Status.FAIL, Status.ERROR)


_SEVERITY = {Status.PASS: 0, Status.SKIP: 1, Status.WARN: 2, Status.FAIL: 3, Status.ERROR: 4}


@dataclass(frozen=True)
class Finding:
    """One thing a check saw.

    `code` is a stable cause id from the knowledge base (e.g. `dns.hijacked`) so the
    diagnosis can match it; `message` says what was seen, `hint` what to do about it.
    `confidence` (0..1) says how sure the check is that this cause explains a failure.
    """

    code: str
    message: str
    hint: str = ""
    severity: Status = Status.FAIL
    confidence: float = 0.8
    facts: Mapping[str, JSONValue] = field(default_factory=dict)

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
            "confidence": round(self.confidence, 2),
            "facts": dict(self.facts),
        }


@dataclass(frozen=True)
class CheckResult:
    """What `Check.run` returns; the runner stamps `check`, `target` and `duration_ms`."""

    status: Status
    summary: str = ""
    findings: tuple[Finding, ...] = ()
    facts: Mapping[str, JSONValue] = field(default_factory=dict)
    check: str = ""
    target: str = ""
    duration_ms: float = 0.0

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "check": self.check,
            "target": self.target,
            "status": self.status.value,
            "summary": self.summary,
            "duration_ms": round(self.duration_ms, 1),
            "findings": [f.to_dict() for f in self.findings],
            "facts": dict(self.facts),
        }


def passed(summary: str, facts: Mapping[str, JSONValue] | None = None,
           findings: tuple[Finding, ...] = ()) -> CheckResult:
    return CheckResult(Status.PASS, summary, findings, dict(facts or {}))


def skipped(reason: str, facts: Mapping[str, JSONValue] | None = None) -> CheckResult:
    return CheckResult(Status.SKIP, reason, (), dict(facts or {}))


def from_findings(ok_summary: str, findings: list[Finding] | tuple[Finding, ...],
                  facts: Mapping[str, JSONValue] | None = None,
                  summary: str | None = None) -> CheckResult:
    """The status is the worst finding's severity; the summary the worst finding's message."""
    ordered = tuple(sorted(findings, key=lambda f: -f.severity.severity))
    status = Status.PASS
    for finding in ordered:
        if finding.severity.severity > status.severity:
            status = finding.severity
    if summary is None:
        summary = ordered[0].message if ordered and status is not Status.PASS else ok_summary
    return CheckResult(status, summary, ordered, dict(facts or {}))


def naming(finding: Finding, **facts: JSONValue) -> Finding:
    """The same finding with `facts` added where it does not name them itself (one finding's `about`)."""
    given = {k: v for k, v in facts.items() if v is not None}
    return Finding(finding.code, finding.message, finding.hint, finding.severity, finding.confidence,
                   {**given, **dict(finding.facts)})


def about(result: CheckResult, **facts: JSONValue) -> CheckResult:
    """The same result with `facts` (host, address, port, proxy: llmdoctor/concerns.py) added to every
    finding that does not name them itself: what the diagnosis links causes by."""
    given = {k: v for k, v in facts.items() if v is not None}
    if not given or not result.findings:
        return result
    findings = tuple(naming(f, **given) for f in result.findings)
    return CheckResult(result.status, result.summary, findings, result.facts, result.check, result.target,
                       result.duration_ms)
