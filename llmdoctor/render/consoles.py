"""The consoles the terminal view prints on: rich's, and a plain one for a pipe that needs no rich.

Importing `rich.console` costs about 30 ms of CPU, more than half of `python -c "import click"` (the
yardstick of issue 16.5 for `explain`). Into a pipe, rich writes the view as plain lines: no colour (it is
not a terminal), no wrapping and no cropping (`make_console` turns soft wrap on there), so the styles and
widths the view gives it change nothing. `PlainConsole` and `PlainText` are the few parts of rich's
`Console` and `Text` the view uses, for exactly that case and no other:

- `plain_console` returns one only when rich would certainly write plain text: the stream is not a
  terminal and none of the variables that make rich treat it as one (FORCE_COLOR, TTY_COMPATIBLE, …) is
  set; otherwise it returns rich's console, so colour and wrapping stay rich's alone;
- a line holding what rich rewrites (tabs it expands to cell positions, control codes it strips) is
  handed to a real rich console on the same stream, so its output stays rich's.

`tests/test_render_plain.py` renders explain's reports of the corpus texts and real runs' reports both ways
and asserts the same bytes. `certainly_plain` also decides, for a run, whether a live line may be drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

# What rich rewrites on output: tabs (expanded to the next multiple of 8 cells, which needs its cell
# widths) and the control codes `rich.control.strip_control_codes` removes (BEL, BS, VT, FF, CR).
_REWRITTEN = frozenset("\t\x07\x08\x0b\x0c\r")
# Variables under which rich may treat a pipe as a terminal, or size it: with any of them set, rich decides.
_RICH_DECIDES = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "JUPYTER_LINES")


def make_console(stream: IO[str], no_color: bool) -> Any:
    """rich's console for the terminal view."""
    from rich.console import Console

    console = Console(file=stream, no_color=no_color, highlight=False, emoji=False)
    # In a pipe or a file, long lines stay whole (easier to grep and paste) instead of wrapping at 80.
    console.soft_wrap = not console.is_terminal
    return console


class PlainText:
    """A line being built: rich `Text`'s constructor, `+`, `append` and `plain`, without its styles
    (a pipe shows none)."""

    __slots__ = ("plain",)

    def __init__(self, text: str = "", style: Any = None) -> None:
        self.plain = text

    def append(self, text: str, style: Any = None) -> PlainText:
        self.plain += text
        return self

    def __add__(self, other: object) -> PlainText:
        if isinstance(other, PlainText):
            return PlainText(self.plain + other.plain)
        if isinstance(other, str):
            return PlainText(self.plain + other)
        return NotImplemented

    def __str__(self) -> str:
        return self.plain


class PlainConsole:
    """rich's console as the terminal view uses it in a pipe: `print` writes each object's text and a
    newline; `is_terminal` is False and `soft_wrap` True, as `make_console` sets them there."""

    is_terminal = False
    soft_wrap = True
    width = 80  # rich's width for a stream that is not a terminal; nothing here wraps at it

    def __init__(self, stream: IO[str], no_color: bool) -> None:
        self._stream, self._no_color = stream, no_color
        self._rich: Any = None

    def rich(self) -> Any:
        """A real rich console on the same stream, made on first need (a line rich would rewrite, or a
        measurement such as the short view's sentence cut)."""
        if self._rich is None:
            self._rich = make_console(self._stream, self._no_color)
        return self._rich

    def wrapped(self, text: str, width: int) -> list[str]:
        """`text` in lines of at most `width` cells, as rich's Text.wrap breaks it. A one-line text whose every
        character is one cell wide (by rich's table), whose only space is " " and whose words all fit a line is
        broken by textwrap, the same greedy fill at the spaces (tests/test_render_plain.py holds the two equal
        on every cause's explanation and on the corpus texts); anything else (a word to fold, wide characters,
        a tab) by rich."""
        from rich.cells import cell_len  # rich's own cell widths (2 ms to load, not rich's console)

        if text.isprintable() and all(c == " " or not c.isspace() for c in text) and \
                cell_len(text) == len(text) and all(len(word) <= width for word in text.split(" ")):
            import textwrap

            return textwrap.wrap(text, width, break_on_hyphens=False) or [""]
        from rich.text import Text

        return [line.plain for line in Text(text).wrap(self.rich(), width)]

    def print(self, *objects: Any, **options: Any) -> None:
        line = " ".join(str(o) for o in objects)
        # A bare string is rich markup to rich ("[bold]"): rich reads it, as it does a line it rewrites.
        if _REWRITTEN.intersection(line) or not all(isinstance(o, PlainText) for o in objects):
            from rich.text import Text

            self.rich().print(*(Text(o.plain) if isinstance(o, PlainText) else o for o in objects), **options)
            return
        self._stream.write(line + "\n")
        self._stream.flush()


def certainly_plain(stream: IO[str], env: Mapping[str, str]) -> bool:
    """True when rich would write this stream as plain text; any doubt answers False (rich decides)."""
    if any(name in env for name in _RICH_DECIDES):
        return False
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):
        return False


def plain_console(stream: IO[str], no_color: bool, env: Mapping[str, str]) -> Any:
    """A `PlainConsole` where rich would write plain text, else rich's own console."""
    if certainly_plain(stream, env):
        return PlainConsole(stream, no_color)
    return make_console(stream, no_color)


def text_type(console: Any) -> Any:
    """The line type `console` prints: rich's `Text`, or `PlainText` for a pipe's `PlainConsole`."""
    if isinstance(console, PlainConsole):
        return PlainText
    from rich.text import Text

    return Text
