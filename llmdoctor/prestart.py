"""A plain run's start, made before click and the CLI load (the entry, `llmdoctor.launch`, makes it).

`llmdoctor` with no options that change what is diagnosed (the common case, and the monitoring probe's)
spends its first ~40 ms of Python on importing click and the command modules, and only then opens the
proxy tunnel. Here those imports overlap the tunnel: for an argument list made only of the options
below, the run's start (`app.begin`: .env, the targets, the early tunnel and handshakes) is made first,
with the settings the CLI will build from the same options; the CLI then takes it (`take`) when its own
targets and settings are the same, and otherwise closes it and starts anew. Anything else (a
subcommand, --help, another option, a bad value) goes to the CLI untouched, which reports it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from llmdoctor.app import Begun, Selection
    from llmdoctor.config import CliValues, Settings

SWITCH_INTERVAL_S = 0.001  # the GIL's hand-over interval during a run (Python's default: 0.005)
# The report file's kinds, by extension (the CLI refuses any other).
REPORT_SUFFIXES = (".json", ".md", ".markdown", ".html", ".htm", ".prom")
# Options that change only how the result is shown or saved, or the language: none of them changes
# the targets, the proxy or the checks, so the start made before parsing them is the run's start.
_FLAGS = {"--json": "as_json", "-q": "quiet", "--quiet": "quiet", "-v": "verbose", "--verbose": "verbose"}
_VALUED = {"--output": "output", "-o": "output", "--junit": "junit", "--lang": "lang"}

_lock = threading.Lock()
_early: tuple[tuple[Any, ...], Begun] | None = None


def plain_options(argv: Sequence[str]) -> dict[str, Any] | None:
    """The options of a plain run's argument list, as click would give them; None when it is not one."""
    options: dict[str, Any] = {}
    tokens = list(argv)
    while tokens:
        token = tokens.pop(0)
        name, eq, value = token.partition("=")
        if token in _FLAGS:
            options[_FLAGS[token]] = True
        elif name in _VALUED and (eq or tokens):
            options[_VALUED[name]] = value if eq else tokens.pop(0)
        else:
            return None
    output, junit = options.get("output"), options.get("junit")
    if (output is not None and not str(output).lower().endswith(REPORT_SUFFIXES)) or \
            options.get("lang") not in (None, "en", "zh") or "" in (output, junit):
        return None
    return options


def _key(cli: CliValues, settings: Settings, env: Mapping[str, str], cwd: Path, selection: Selection) -> tuple[
        Any, ...]:
    return cli, settings, tuple(sorted(env.items())), str(cwd), selection


def begin_early(options: Mapping[str, Any], env: dict[str, str], cwd: Path) -> None:
    """Makes the run's start for these plain options; a failure is left to the CLI, which meets it again."""
    global _early
    from llmdoctor import app, warmup
    from llmdoctor.config import CliValues, build_settings

    warmup.start(env)  # the trust stores load while the CONNECT is on the wire, as the CLI would do
    # The run's threads get the GIL back within 1 ms of their socket's answer (run_cmd.run_command).
    sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL_S))
    settings = build_settings(env, lang=options.get("lang"), enabled=frozenset())
    cli, selection = CliValues(), app.Selection()
    begun = app.begin(cli, settings, env, cwd, selection)
    with _lock:
        _early = (_key(cli, settings, env, cwd, selection), begun)


def take(cli: CliValues, settings: Settings, env: Mapping[str, str], cwd: Path, selection: Selection) -> Begun | None:
    """The start made before the CLI loaded, when it was made for exactly this run; else None (and a
    start made for another is closed: its tunnel is never used)."""
    global _early
    with _lock:
        early, _early = _early, None
    if early is None:
        return None
    key, begun = early
    if key == _key(cli, settings, env, cwd, selection):
        return begun
    begun.close()
    return None
