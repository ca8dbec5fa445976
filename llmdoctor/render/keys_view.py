"""Views of a key audit: a table sorted by class, CSV, and the summary line. They lay out, never compute."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

_STYLE = {"valid": "green", "invalid": "bold red", "wrong_provider": "bold red", "no_quota": "yellow",
          "rate_limited": "yellow", "region_blocked": "magenta", "model_restricted": "yellow",
          "unreachable": "cyan", "error": "magenta"}
CSV_COLUMNS = ("fingerprint", "redacted", "name", "status", "cause", "evidence", "retry_after_s", "lines", "notes")


def summary_line(data: Mapping[str, Any]) -> str:
    counts = ", ".join(f"{n} {status}" for status, n in data["summary"].items() if n)
    total = data["input"]["keys"]
    line = f"{total} key{'s' if total != 1 else ''}: {counts}"
    dups = data["input"]["duplicate_lines"]
    if dups:
        line += f"; {dups} duplicate line{'s' if dups != 1 else ''} audited once"
    if data.get("deadline_hit"):
        line += "; the deadline came before every key was probed"
    return line


def render_table(console: Any, data: Mapping[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, header_style="bold", pad_edge=False, expand=False)
    for name, kwargs in (("line", {"justify": "right"}), ("name", {}), ("key", {"no_wrap": True}),
                         ("fingerprint", {"no_wrap": True}), ("status", {"no_wrap": True}), ("cause", {}),
                         ("retry", {"justify": "right"}), ("evidence", {"overflow": "fold"})):
        table.add_column(name, **kwargs)
    for row in data["keys"]:
        lines = ",".join(str(n) for n in row["lines"])
        evidence = row["evidence"]
        if row["notes"]:
            evidence += " [" + "; ".join(n["message"] for n in row["notes"]) + "]"
        retry = f"{row['retry_after_s']:g}s" if row["retry_after_s"] is not None else ""
        table.add_row(lines, row["name"], row["redacted"], row["fingerprint"],
                      Text(row["status"], style=_STYLE.get(row["status"], "")), row["cause"] or "", retry, evidence)
    console.print(table)
    console.print(summary_line(data))
    causes = data.get("causes", [])
    if causes:
        console.print()
    zh = data.get("lang") == "zh"
    for cause in causes:
        count = f"{cause['keys']} 个密钥" if zh else f"{cause['keys']} key{'s' if cause['keys'] != 1 else ''}"
        line = Text(f"{cause['id']} ({count}): ", style="bold")
        line.append(cause["title"])
        if cause["fix"]:
            line.append(f" — {cause['fix'][0]}", style="dim")
        console.print(line)
    for host in data.get("hosts", []):
        if host["backoffs"]:
            console.print(f"{host['host']} asked to slow down {host['backoffs']} time"
                          f"{'s' if host['backoffs'] != 1 else ''}: paused {host['paused_s']:g} s in all, "
                          f"at most {host['peak_in_flight']} requests in flight")


def render_csv(data: Mapping[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in data["keys"]:
        writer.writerow([row["fingerprint"], row["redacted"], row["name"], row["status"], row["cause"] or "",
                         row["evidence"], "" if row["retry_after_s"] is None else row["retry_after_s"],
                         " ".join(str(n) for n in row["lines"]), "; ".join(n["message"] for n in row["notes"])])
    return out.getvalue()
