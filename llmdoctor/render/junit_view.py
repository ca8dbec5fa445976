"""The JUnit XML view, for CI systems: one test suite per target, one test case per check.

A failing check's `<failure>` carries the cause it found and the fix, so the CI's test page says
what to do, not only that a link broke. Skipped checks (opt-in, blocked by an earlier failure)
are `<skipped>`; a warning passes and is written to `<system-out>`. The shape is the one Jenkins,
GitLab and GitHub's test reporters read (testsuites > testsuite > testcase > failure|error|skipped).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

# XML 1.0 has no way to write most control characters, even escaped; a server's echo may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def _causes_of(result: Mapping[str, Any], target: str, causes: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The ranked causes this check's findings named, for this target, in the report's order."""
    codes = {f.get("code") for f in result.get("findings", []) if isinstance(f, Mapping)}
    return [c for c in causes if c.get("id") in codes and (not c.get("targets") or target in c["targets"])]


def _failure_text(result: Mapping[str, Any], found: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """(one-line message, body): the cause and its first fix step, then everything the report says."""
    summary = " ".join(str(result.get("summary", "")).split())
    if found:
        top = found[0]
        fixes = [str(step) for step in top.get("fix", [])]
        message = f"{top.get('title', top.get('id'))} ({top.get('id')}): {summary}"
        if fixes:
            message = message.rstrip(".") + f". Fix: {fixes[0]}"
    else:
        message = summary
    lines = [summary, ""]
    for cause in found:
        lines.append(f"Cause: {cause.get('title', '')} ({cause.get('id')})")
        if cause.get("explanation"):
            lines.append(str(cause["explanation"]))
        lines.extend(f"  Fix {n}. {step}" for n, step in enumerate(cause.get("fix", []), 1))
        lines.append("")
    for finding in result.get("findings", []):
        if isinstance(finding, Mapping) and finding.get("hint") and not found:
            lines.append(f"{finding.get('code')}: {finding.get('message')}\n  Hint: {finding['hint']}")
    return message, "\n".join(lines).strip() + "\n"


def _case(suite: ET.Element, target: Mapping[str, Any], result: Mapping[str, Any],
          causes: Sequence[Mapping[str, Any]]) -> str:
    name = str(target.get("name", ""))
    seconds = float(result.get("duration_ms") or 0) / 1000
    case = ET.SubElement(suite, "testcase", classname=_text(f"llmdoctor.{name}"), name=_text(result.get("check", "")),
                         time=f"{seconds:.3f}")
    status = str(result.get("status"))
    if status in ("fail", "error"):
        found = _causes_of(result, name, causes)
        message, body = _failure_text(result, found)
        element = ET.SubElement(case, "failure" if status == "fail" else "error", message=_text(message),
                                type=_text(found[0].get("id") if found else status))
        element.text = _text(body)
    elif status == "skip":
        ET.SubElement(case, "skipped", message=_text(result.get("summary", "")))
    elif status == "warn":
        ET.SubElement(case, "system-out").text = _text(f"warning: {result.get('summary', '')}")
    return status


def render_junit(data: Mapping[str, Any]) -> str:
    causes = [c for c in data.get("causes", []) if isinstance(c, Mapping)]
    root = ET.Element("testsuites", name="llmdoctor")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "time": 0.0}
    for target in data.get("targets", []):
        suite = ET.SubElement(root, "testsuite", name=_text(f"llmdoctor: {target.get('name', '')}"),
                              timestamp=_text(data.get("generated_at", "")))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "time": 0.0}
        for result in target.get("results", []):
            status = _case(suite, target, result, causes)
            counts["tests"] += 1
            counts["failures"] += status == "fail"
            counts["errors"] += status == "error"
            counts["skipped"] += status == "skip"
            counts["time"] += float(result.get("duration_ms") or 0) / 1000
        for key, value in counts.items():
            suite.set(key, f"{value:.3f}" if key == "time" else str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, f"{value:.3f}" if key == "time" else str(int(value)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
