"""The terminal view (rich): one screen per failure, the verdict last.

Short by default: per target its failing and warning checks with their summaries (passes and skips
folded into one line each), the top cause in full, the other causes by title, the verdict. `--verbose`
is the long view: every check line and every cause in full.

Layout rules (issue 15): targets in the report's order, not the order checks happened to finish;
prose wraps with a hanging indent; a fix step is never hard-wrapped, so a command in it can be copied
whole (on a terminal it is soft-wrapped by the terminal itself); in a pipe nothing is wrapped at all.
rich writes no ANSI codes when the stream is not a terminal, and honours NO_COLOR.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

from llmdoctor.model import CheckResult
from llmdoctor.render.consoles import PlainConsole, text_type
from llmdoctor.render.labels import STATUS_MARK, label

_STYLE = {"pass": "green", "warn": "yellow", "fail": "bold red", "skip": "dim", "error": "magenta"}
_ALSO_MAX = 3  # other causes named by title in the short view
_FIX_MAX = 3  # fix steps of the lead cause in the short view (the first ones are the likeliest)
# Rows per line in the short view, so one failure fits a 100x30 screen (issue 15.3); --verbose has all of it.
_FAIL_ROWS = 3  # a failing check's summary
_WARN_ROWS = 1  # a warning's summary: one row each
_EVIDENCE_MAX, _EVIDENCE_ROWS = 2, 2  # evidence lines of the lead cause not already on a check line


def _status_word(lang: str, status: str) -> str:
    return label(lang, f"status_{status}")


def _hanging(console: Any, prefix: Any, body: str, style: str | None = None, rows: int | None = None) -> None:
    """`prefix` then `body`, the body's continuation lines aligned under its first character; with `rows`,
    at most that many lines on a terminal, the last one ending in "…"."""
    Text = text_type(console)

    head = prefix if isinstance(prefix, Text) else Text(str(prefix))
    if console.soft_wrap:  # a pipe: one whole line
        console.print(head + Text(body, style=style or ""))
        return
    pad = head.cell_len
    width = max(20, console.width - pad)
    lines = list(Text(body, style=style or "").wrap(console, width))
    if rows is not None and len(lines) > rows:
        lines = lines[:rows]
        last = lines[-1]
        last.rstrip()
        if last.cell_len >= width:
            last.truncate(width - 1)
        last.append("…")
    for index, line in enumerate(lines):
        line.rstrip()
        console.print((head if index == 0 else Text(" " * pad)) + line, no_wrap=True, overflow="ignore")
    if not lines:
        console.print(head)


def _first_lines(console: Any, text: str, rows: int) -> str:
    """The short view's explanation: whole sentences that fit in `rows` lines (--verbose has the rest)."""
    # In a pipe, as much as a 100-column screen would show.
    width = 100 if console.soft_wrap else max(20, console.width - 3)
    if isinstance(console, PlainConsole):
        lines = console.wrapped(text, width)
    else:
        from rich.text import Text

        lines = [line.plain for line in Text(text).wrap(console, width)]
    if len(lines) <= rows:
        return text
    head = " ".join(line.strip() for line in lines[:rows])
    cut = max(head.rfind(". "), head.rfind("。"))
    return head[: cut + 1] if cut > 0 else head[: max(0, len(head) - 1)].rstrip() + "…"


def _unwrapped(console: Any, text: Any) -> None:
    """A line that must never be broken by us (a fix step holding a command): the terminal may wrap
    it visually, but copying it yields one line."""
    console.print(text, soft_wrap=True)


class LiveStatus:
    """A one-line live display while checks wait ("openai: tls… 2.1 s"), on a terminal only.

    It is fed the same results the report is built from, and learns each target from its first result
    (the engine owns the targets; building them again here would read .env a second time); in a pipe it
    draws nothing."""

    def __init__(self, console: Any, checks: Sequence[str], lang: str, targets: Sequence[str] = (),
                 enabled: bool = True) -> None:
        self.console = console
        self.enabled = enabled and console is not None and console.is_terminal
        self.targets = list(targets)
        self.checks = list(checks)
        self.lang = lang
        self.done: dict[str, set[str]] = {t: set() for t in self.targets}
        self.running: dict[str, list[str]] = {}  # by target, in the order the checks started
        self.failed = 0
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self._status: Any = None

    def __enter__(self) -> LiveStatus:
        if self.enabled:
            self._status = self.console.status(self._text(), spinner="dots")
            self._status.start()
            self._tick()
        return self

    def __exit__(self, *exc: object) -> None:
        status, self._status = self._status, None
        if status is not None:
            status.stop()

    def _tick(self) -> None:
        # Refreshes the elapsed seconds even while no check finishes (a check waiting 4 s on a timeout).
        status = self._status
        if status is None:
            return
        status.update(self._text())
        timer = threading.Timer(0.25, self._tick)
        timer.daemon = True
        timer.start()

    def _text(self) -> str:
        with self._lock:
            waiting = []
            for target in self.targets:
                # What is running (a check held back for later, such as proxy-env, is not named while it
                # waits); before the runner said anything, the first check still to come.
                running = [c for c in self.running.get(target, []) if c not in self.done[target]]
                pending = running or [c for c in self.checks if c not in self.done[target]][:1]
                if pending:
                    waiting.append(f"{target}: {', '.join(pending[:2])}…")
            total = len(self.targets) * len(self.checks)
            finished = sum(len(v) for v in self.done.values())
        seconds = time.monotonic() - self.started
        if not waiting:  # the last check ended: the causes are being ranked, not a check awaited
            return f"{label(self.lang, 'diagnosing')}…  {finished}/{total}  {seconds:.1f} s"
        shown = ", ".join(waiting[:3]) + (" …" if len(waiting) > 3 else "")
        return f"{label(self.lang, 'checking')} {shown}  {finished}/{total}  {seconds:.1f} s"

    def check_started(self, target: str, check: str) -> None:
        """The runner's word that a check began (runner.OnStart)."""
        with self._lock:
            if target not in self.done:
                self.targets.append(target)
                self.done[target] = set()
            self.running.setdefault(target, []).append(check)
        if self._status is not None:
            self._status.update(self._text())

    def __call__(self, result: CheckResult) -> None:
        with self._lock:
            if result.target not in self.done:
                self.targets.append(result.target)
            self.done.setdefault(result.target, set()).add(result.check)
        if self._status is not None:
            self._status.update(self._text())


def check_line(console: Any, result: Mapping[str, Any], lang: str, name_width: int = 34) -> None:
    """The long view's `target  check ........ ✓ pass  summary` line."""
    Text = text_type(console)

    name = f"{result.get('target', ''):<10} {result['check']}"
    dots = "." * max(2, name_width - len(name))
    status = str(result["status"])
    head = Text(f"{name} {dots} ")
    head.append(f"{STATUS_MARK[status]} {_status_word(lang, status):<5}", style=_STYLE[status])
    head.append("  ")
    _hanging(console, head, str(result.get("summary", "")), "dim" if status in ("pass", "skip") else None)


def _target_block(console: Any, target: Mapping[str, Any], lang: str, verdict: str = "") -> list[str]:
    """One target in the short view; returns the `target/check: summary` lines it showed (the causes'
    evidence does not repeat them). A failure the verdict quotes gets one row here: the verdict has it whole."""
    Text = text_type(console)

    results = target.get("results", [])
    head = Text(str(target["name"]), style="bold")
    head.append(f"  {target.get('base_url', '')} ({target.get('base_url_source', '')})", style="dim")
    console.print(head)
    shown: list[str] = []
    names = {str(r["check"]) for r in results}
    width = max((len(n) for n in names), default=0)
    folded: dict[str, list[str]] = {"pass": [], "skip": []}
    for result in results:
        status = str(result["status"])
        if status in folded:
            folded[status].append(str(result["check"]))
            continue
        prefix = Text("  ")
        prefix.append(f"{STATUS_MARK[status]} {_status_word(lang, status):<5}", style=_STYLE[status])
        prefix.append(f" {result['check']:<{width}}  ")
        summary = str(result.get("summary", ""))
        quoted = bool(summary) and " ".join(summary.split())[:60] in verdict
        _hanging(console, prefix, summary, rows=_WARN_ROWS if status == "warn" or quoted else _FAIL_ROWS)
        shown.append(f"{target['name']}/{result['check']}: {result.get('summary', '')}")
    if folded["pass"]:
        prefix = Text("  ")
        prefix.append(f"{STATUS_MARK['pass']} {_status_word(lang, 'pass'):<5} ", style=_STYLE["pass"])
        _hanging(console, prefix, ", ".join(folded["pass"]), "dim")
    if folded["skip"]:
        # Grouped by reason: "tcp, tls: blocked by proxy; auth, models: blocked by key". Skips by design
        # (opt-in, nothing to read, direct connection) are only named; --verbose says why.
        reasons: dict[str, list[str]] = {}
        routine: list[str] = []
        for result in results:
            if result["status"] != "skip":
                continue
            if (result.get("facts") or {}).get("_blocked_by"):
                reasons.setdefault(str(result.get("summary", "")), []).append(str(result["check"]))
            else:
                routine.append(str(result["check"]))
        if routine:
            reasons[""] = routine
        semi, colon = ("；", "：") if lang == "zh" else ("; ", ": ")
        body = semi.join(f"{', '.join(checks)}{colon}{why}" if why else ", ".join(checks)
                         for why, checks in reasons.items())
        prefix = Text("  ")
        prefix.append(f"{STATUS_MARK['skip']} {_status_word(lang, 'skip'):<5} ", style=_STYLE["skip"])
        _hanging(console, prefix, body, "dim")
    return shown


def _waterfalls(data: Mapping[str, Any]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    found = []
    for target in data.get("targets", []):
        for result in target.get("results", []):
            rows = result.get("facts", {}).get("waterfall")
            if rows:
                found.append((target["name"], rows))
    return found


def render_waterfall(console: Any, name: str, rows: list[Mapping[str, Any]], width: int = 40,
                     lang: str = "en") -> None:
    """An httpstat-like bar per phase, laid out from the timing check's rows."""
    Text = text_type(console)

    end = max((float(r.get("start_ms", 0)) + float(r.get("ms", 0)) for r in rows), default=0.0) or 1.0
    console.print(Text(f"{name} {label(lang, 'timing')}", style="bold"))
    for row in rows:
        start, span = float(row.get("start_ms", 0)), float(row.get("ms", 0))
        offset = int(start / end * width)
        length = max(1, int(span / end * width))
        line = Text(f"  {row.get('phase', '')!s:<12} {span:>8.1f} ms  ")
        line.append(" " * offset)
        line.append("█" * length, style="cyan")
        console.print(line, no_wrap=True, overflow="ignore")


def _cause(console: Any, index: int, cause: Mapping[str, Any], lang: str, skip_evidence: Sequence[str],
           full: bool) -> None:
    Text = text_type(console)

    confidence = f"{label(lang, 'confidence')} " if full else ""
    _hanging(console, Text(f"{index}. ", style="bold"),
             f"{cause.get('title', cause['id'])}  [{cause['id']}, {confidence}{cause.get('confidence', 0):.0%}]",
             "bold")
    if cause.get("tells"):  # explain's candidate for a text that does not name its cause: what would show
        _hanging(console, Text(f"   {label(lang, 'tells')}{label(lang, 'colon')}"), str(cause["tells"]))
        return  # it, not a fix for a cause nobody has seen yet (the JSON keeps every field)
    if cause.get("explanation"):
        text = str(cause["explanation"])
        _hanging(console, "   ", text if full else _first_lines(console, text, 3))
    skip = {_plain_label(e) for e in skip_evidence}
    evidence = [e for e in cause.get("evidence", []) if full or _plain_label(str(e)) not in skip]
    for line in evidence[:6] if full else evidence[:_EVIDENCE_MAX]:
        _hanging(console, Text("   • ", style="dim"), str(line), "dim", rows=None if full else _EVIDENCE_ROWS)
    fixes = cause.get("fix", [])
    if fixes:
        console.print(Text(f"   {label(lang, 'fix')}{label(lang, 'colon').rstrip()}", style="bold"))
        shown_fixes = fixes if full else fixes[:_FIX_MAX]
        for number, step in enumerate(shown_fixes, 1):
            _unwrapped(console, Text(f"   {number}. {step}"))
        if len(shown_fixes) < len(fixes):
            console.print(Text(f"   {label(lang, 'more_fixes').format(n=len(fixes) - len(shown_fixes))}",
                               style="dim"))
    if full and cause.get("docs"):
        docs = " ".join(cause["docs"])
        _unwrapped(console, Text(f"   {label(lang, 'docs')}{label(lang, 'colon')}{docs}", style="dim"))


def _plain_label(line: str) -> str:
    """"openai/tls：…" (a Chinese evidence line) as "openai/tls: …", to match the check line it repeats."""
    head, sep, rest = line.partition("：")
    return f"{head}: {rest}" if sep and "/" in head and " " not in head else line


def _verdict(console: Any, data: Mapping[str, Any], lang: str) -> None:
    Text = text_type(console)

    healthy = data.get("healthy", False)
    head = Text(f"{label(lang, 'verdict')}{label(lang, 'colon')}", style="bold")
    _hanging(console, head, str(data.get("verdict", "")), "bold green" if healthy else "bold red")


def render_terminal(console: Any, data: Mapping[str, Any], verbose: bool = False, quiet: bool = False,
                    saved_to: str | None = None) -> None:
    """Lays out a report (a run's or explain's); the verdict is always the last line of substance."""
    Text = text_type(console)

    lang = data.get("lang", "en")
    explain = data.get("kind") == "explain"
    full = verbose or explain
    shown: list[str] = []
    if not quiet:
        for target in data.get("targets", []):
            if verbose:
                for result in target.get("results", []):
                    check_line(console, result, lang)
            else:
                shown += _target_block(console, target, lang, " ".join(str(data.get("verdict", "")).split()))
    causes = list(data.get("causes", []))
    # The cause the verdict names comes first: the first that blocks, ahead of warnings ranked above it
    # (a key of an odd shape may outrank the 401 that actually stopped the call).
    lead = next((c for c in causes if c.get("severity") != "warn"), causes[0] if causes else None)
    if lead is not None:
        causes = [lead, *[c for c in causes if c is not lead]]
    # The waterfall is the story when the call works or time is the problem; otherwise --verbose has it.
    if full or lead is None or data.get("healthy") or lead.get("layer") == "timing":
        for name, rows in _waterfalls(data):
            console.print()
            render_waterfall(console, name, rows, lang=lang)
    detailed = causes[:5] if full else causes[:1]
    for index, cause in enumerate(detailed, 1):
        if index > 1 or not explain:
            console.print()
        _cause(console, index, cause, lang, shown, full)
    others = causes[len(detailed):len(detailed) + _ALSO_MAX] if not full else []
    if others:
        console.print(Text(f"{label(lang, 'also')}{label(lang, 'colon').rstrip()}", style="bold"))
        for index, cause in enumerate(others, len(detailed) + 1):
            line = Text(f"{index}. {cause.get('title', cause['id'])}")
            line.append(f"  [{cause['id']}, {cause.get('confidence', 0):.0%}]", style="dim")
            console.print(Text("   ") + line)
    for problem in data.get("plugin_problems", []):
        _hanging(console, Text(f"{label(lang, 'plugins')}{label(lang, 'colon')}", style="yellow"),
                 f"{problem['entry_point']} ({problem['source']}): {problem['problem']}", "yellow")
    console.print()
    if saved_to:  # the verdict stays last
        _unwrapped(console, Text(label(lang, "saved_to").format(path=saved_to)))
    elif not explain and not quiet:
        hint = label(lang, "report_hint") if verbose else label(lang, "more_hint")
        _unwrapped(console, Text(hint, style="dim"))
    _verdict(console, data, lang)
