"""The terminal view (rich): a status line per check as it finishes, then the verdict and the fix.

rich writes no ANSI codes when the stream is not a terminal, and honours NO_COLOR.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from llmdoctor.model import CheckResult
from llmdoctor.render.labels import STATUS_MARK, label

_STYLE = {"pass": "green", "warn": "yellow", "fail": "bold red", "skip": "dim", "error": "magenta"}


def make_console(stream: IO[str], no_color: bool) -> Any:
    from rich.console import Console

    console = Console(file=stream, no_color=no_color, highlight=False, emoji=False)
    # In a pipe or a file, long lines stay whole (easier to grep and paste) instead of wrapping at 80.
    console.soft_wrap = not console.is_terminal
    return console


class ProgressPrinter:
    """Prints `target  check ........ status  summary` as each check finishes."""

    def __init__(self, console: Any, show_target: bool) -> None:
        self.console = console
        self.show_target = show_target

    def __call__(self, result: CheckResult) -> None:
        from rich.text import Text

        name = f"{result.target:<10} {result.check}" if self.show_target else result.check
        dots = "." * max(2, 34 - len(name))
        status = result.status.value
        line = Text(f"{name} {dots} ")
        line.append(f"{STATUS_MARK[status]} {status:<5}", style=_STYLE[status])
        if result.summary:
            line.append(f"  {result.summary}", style="dim" if status in ("pass", "skip") else None)
        self.console.print(line)


def _waterfalls(data: Mapping[str, Any]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    found = []
    for target in data.get("targets", []):
        for result in target.get("results", []):
            rows = result.get("facts", {}).get("waterfall")
            if rows:
                found.append((target["name"], rows))
    return found


def render_waterfall(console: Any, name: str, rows: list[Mapping[str, Any]], width: int = 40) -> None:
    """An httpstat-like bar per phase, laid out from the timing check's rows."""
    from rich.text import Text

    end = max((float(r.get("start_ms", 0)) + float(r.get("ms", 0)) for r in rows), default=0.0) or 1.0
    console.print(Text(f"{name} timing", style="bold"))
    for row in rows:
        start, span = float(row.get("start_ms", 0)), float(row.get("ms", 0))
        offset = int(start / end * width)
        length = max(1, int(span / end * width))
        line = Text(f"  {row.get('phase', '')!s:<12} {span:>8.1f} ms  ")
        line.append(" " * offset)
        line.append("█" * length, style="cyan")
        console.print(line)


def render_terminal(console: Any, data: Mapping[str, Any]) -> None:
    from rich.text import Text

    lang = data.get("lang", "en")
    for name, rows in _waterfalls(data):
        console.print()
        render_waterfall(console, name, rows)
    console.print()
    healthy = data.get("healthy", False)
    head = Text(f"{label(lang, 'verdict')}: ", style="bold")
    head.append(str(data.get("verdict", "")), style="bold green" if healthy else "bold red")
    console.print(head)
    for index, cause in enumerate(data.get("causes", [])[:5], 1):
        console.print()
        title = Text(f"{index}. {cause.get('title', cause['id'])}", style="bold")
        title.append(f"  [{cause['id']}, {label(lang, 'confidence')} {cause.get('confidence', 0):.0%}]",
                     style="dim")
        console.print(title)
        if cause.get("tells"):  # explain's candidate for a text that does not name its cause: what would
            console.print(Text(f"   {label(lang, 'tells')}: {cause['tells']}"))  # show it, not a fix for
            continue  # a cause nobody has seen yet (the JSON keeps every field)
        if cause.get("explanation"):
            console.print(Text("   " + cause["explanation"]))
        for line in cause.get("evidence", [])[:6]:
            console.print(Text(f"   • {line}", style="dim"))
        fixes = cause.get("fix", [])
        if fixes:
            console.print(Text(f"   {label(lang, 'fix')}:", style="bold"))
            for number, step in enumerate(fixes, 1):
                console.print(Text(f"   {number}. {step}"))
        if cause.get("docs"):
            console.print(Text(f"   {label(lang, 'docs')}: " + " ".join(cause["docs"]), style="dim"))
    for problem in data.get("plugin_problems", []):
        console.print(Text(f"{label(lang, 'plugins')}: {problem['entry_point']} ({problem['source']}): "
                           f"{problem['problem']}", style="yellow"))
    if data.get("kind") != "explain":
        console.print()
        console.print(Text(label(lang, "report_hint"), style="dim"))
