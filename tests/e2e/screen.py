"""What a user at a 100-column terminal sees of a report: one failure fits 30 rows, the verdict last (15.3)."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any

from rich.cells import cell_len
from rich.console import Console

from llmdoctor.render.terminal import render_terminal

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
WIDTH, ROWS = 100, 30


def screen(report: Mapping[str, Any]) -> tuple[str, int]:
    """The short view at WIDTH columns (as tests/test_terminal_view.py renders it) and its rows there."""
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=WIDTH, no_color=True, color_system=None,
                      highlight=False, emoji=False)
    render_terminal(console, report)
    text = ANSI.sub("", buf.getvalue())
    return text, sum(max(1, -(-cell_len(line) // WIDTH)) for line in text.split("\n")[:-1])


def screen_problems(report: Mapping[str, Any]) -> list[str]:
    """For a report with one failing target: more than ROWS rows, or the verdict not last."""
    failing = [t for t in report.get("targets", []) if t.get("status") in ("fail", "error")]
    if len(failing) != 1:
        return []
    text, rows = screen(report)
    problems = []
    if rows > ROWS:
        problems.append(f"one failing target takes {rows} rows at {WIDTH} columns (at most {ROWS}):\n{text}")
    lines = [line for line in text.splitlines() if line.strip()]
    heads = ("Verdict: ", "结论：")
    at = max((i for i, line in enumerate(lines) if line.startswith(heads)), default=-1)
    if at < 0 or not all(line.startswith(" ") for line in lines[at + 1:]):
        problems.append(f"the verdict is not last:\n{text}")
    if report.get("causes"):
        lead = next((c for c in report["causes"] if c.get("severity") != "warn"), report["causes"][0])
        if lead.get("title") and " ".join(lead["title"].split()) not in " ".join(text.split()):
            problems.append(f"the failure's cause {lead['id']} is not on the screen:\n{text}")
        if lead.get("fix") and lead["fix"][0] not in text:
            problems.append(f"its first fix step is not on the screen: {lead['fix'][0]}")
    return problems
