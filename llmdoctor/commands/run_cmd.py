"""`llmdoctor` with no subcommand: run the checks, show the verdict, save the report."""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from llmdoctor import exitcodes


def enabled_checks(options: dict[str, Any]) -> frozenset[str]:
    """--enable NAME (any opt-in check), --probe-completion as the alias for `--enable completion`."""
    names = set(_split(options.get("enable", ())))
    if options.get("probe_completion"):
        names.add("completion")
    return frozenset(names)


def _write_output(path: str, data: dict[str, Any]) -> None:
    from llmdoctor.render.json_view import render_json

    lowered = path.lower()
    if lowered.endswith(".prom"):
        from llmdoctor.render.prometheus_view import write_textfile

        write_textfile(path, data)  # temp file + rename: the collector never reads half a file
        return
    if lowered.endswith((".md", ".markdown")):
        from llmdoctor.render.markdown_view import render_markdown

        text = render_markdown(data)
    elif lowered.endswith((".html", ".htm")):
        from llmdoctor.render.html_view import render_html

        text = render_html(data)
    else:
        text = render_json(data)
    Path(path).write_text(text, encoding="utf-8")


def _write_junit(path: str, data: dict[str, Any]) -> None:
    from llmdoctor.render.junit_view import render_junit

    Path(path).write_text(render_junit(data), encoding="utf-8")


# Bytes that are not UTF-8 in argv or the environment arrive as lone surrogates (PEP 383).
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_EMPTY = ("provider", "base_url", "api_key", "model", "proxy", "output", "junit")


def check_values(options: dict[str, Any]) -> None:
    """Usage errors click cannot see: an empty value (often an unset shell variable, as in
    `--api-key "$KEY"`) would silently mean "not given"; a base URL must at least parse."""
    from llmdoctor.urls import split_url

    for name in _NOT_EMPTY:
        if options.get(name) is not None and not str(options[name]).strip():
            raise click.BadParameter("the value is empty", param_hint=f"--{name.replace('_', '-')}")
    for name in ("only", "skip"):
        if options.get(name) and not _split(options[name]):
            raise click.BadParameter("no check ids given", param_hint=f"--{name}")
    key = options.get("api_key")
    if key and _SURROGATE.search(key):
        raise click.BadParameter("the key contains bytes that are not UTF-8", param_hint="--api-key")
    base = options.get("base_url")
    if base and split_url(base) is None:
        raise click.BadParameter(f"{base[:200]!r} is not a URL (a bad port or an unclosed [IPv6] bracket?)",
                                 param_hint="--base-url")


def cli_key_warning(provider_id: str | None) -> str:
    """One line on stderr: argv is kept in shell history and readable by every user through `ps`."""
    from llmdoctor import providers

    try:
        names = providers.get(provider_id).key_env if provider_id else ()
    except KeyError:
        names = ()
    var = names[0] if names else "OPENAI_API_KEY"
    return ("llmdoctor: warning: a key typed on the command line stays in your shell history and shows in `ps` "
            f"to other users; safer: --api-key - (paste it on stdin) or export {var}=…")


def provider_for_key(key: str) -> str:
    """The provider a key's prefix names (sk-ant- is Anthropic's, gsk_ Groq's…), for a key given without
    --provider: sending it to every default target would make llmdoctor report the key as meant for
    another provider, a problem of its own making. A bare `sk-` names no one: ask."""
    from llmdoctor.config import ConfigError
    from llmdoctor.providers import owners_of_key
    from llmdoctor.secrets import redact

    owners = owners_of_key(key.strip())
    if owners:
        return owners[0].id
    raise ConfigError(f"--api-key: the key ({redact(key.strip())}) does not say which provider it is for "
                      "(OpenAI, DeepSeek, Moonshot, DashScope and relays all use sk-): add --provider ID "
                      "or --base-url URL")


def run_command(options: dict[str, Any]) -> int:
    import os

    from llmdoctor import prestart, warmup

    env = dict(os.environ)
    check_values(options)
    warmup.start(env)  # the trust stores load on the other CPU while the run starts
    # A check's socket returns from its wait while another thread runs Python (imports, the machine
    # facts); it gets the GIL back after at most the switch interval. 5 ms a return is tens of ms
    # over a tunnel, a handshake and a request; 1 ms costs the busy thread almost nothing.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, prestart.SWITCH_INTERVAL_S))
    try:
        return _run(options, env)
    finally:
        sys.setswitchinterval(interval)
        warmup.wait()


def _run(options: dict[str, Any], env: dict[str, str]) -> int:
    from llmdoctor import app, prestart
    from llmdoctor.beside import Beside
    from llmdoctor.config import CliValues, ConfigError, build_settings

    output = options.get("output")
    if output and not output.lower().endswith(prestart.REPORT_SUFFIXES):
        raise click.BadParameter("the report file must end in .html, .json, .md or .prom", param_hint="--output")
    junit = options.get("junit")
    try:
        api_key = options.get("api_key")
        if api_key == "-":
            line = sys.stdin.readline() if sys.stdin else ""
            api_key = line.rstrip("\r\n")
            if not api_key:
                raise ConfigError("--api-key -: nothing was read from standard input")
            if _SURROGATE.search(api_key):
                raise ConfigError("--api-key -: the key read from standard input is not UTF-8")
        if api_key and not options.get("provider") and not options.get("base_url"):
            options = {**options, "provider": provider_for_key(api_key)}
        if options.get("api_key") not in (None, "-"):
            click.echo(cli_key_warning(options.get("provider")), err=True)
        settings = build_settings(
            env, timeout=options.get("timeout"), deadline=options.get("deadline"), proxy=options.get("proxy"),
            no_proxy=bool(options.get("no_proxy")), dns_servers=tuple(options.get("dns_servers", ())),
            resolve=tuple(options.get("resolve", ())), allow_insecure=bool(options.get("allow_insecure")),
            enabled=enabled_checks(options), client_timeout=options.get("client_timeout"),
            lang=options.get("lang"), redact_hosts=bool(options.get("redact_hosts")),
            python=_python_option(options.get("python")))
        cli = CliValues(provider=options.get("provider"), base_url=options.get("base_url"),
                        api_key=api_key, model=options.get("model"))
        selection = app.Selection(only=_split(options.get("only", ())), skip=_split(options.get("skip", ())))
        no_color = bool(env.get("NO_COLOR"))
        stream = sys.stderr if options.get("as_json") else sys.stdout
        quiet = bool(options.get("quiet") or options.get("as_json"))
        beside = Beside()
        # The live line needs the console before the checks; where rich would certainly write plain text
        # (no live line), the console and the report's modules load while the checks wait on the wire.
        from llmdoctor.render.consoles import certainly_plain

        early = not certainly_plain(stream, env) and not quiet
        console = _console(stream, no_color, env) if early else None
        prepared = None if early else beside.submit(lambda: _prepare_views(stream, no_color, env, settings.lang))
        # A plug-in that prints (even at import) must not corrupt the JSON on stdout: meanwhile stdout is stderr.
        guard = contextlib.redirect_stdout(sys.stderr) if options.get("as_json") else contextlib.nullcontext()
        with guard:
            begun: app.Begun | None = None
            try:
                # The path opens while the checks load; a plain run opened it before the CLI loaded.
                begun = prestart.take(cli, settings, env, Path.cwd(), selection) or \
                    app.begin(cli, settings, env, Path.cwd(), selection)
                from llmdoctor import plugins

                registry = plugins.discover()
                live = _live_status(console, app.select_checks(registry, selection), settings.lang, quiet)
                with live:
                    report, _names = app.run(cli, settings, env, Path.cwd(), selection, live, registry, beside, begun,
                                             on_start=live.check_started)
            finally:
                if begun is not None:
                    begun.close()
                beside.close()  # what is queued still runs; then its thread ends
    except ConfigError as exc:
        click.echo(f"llmdoctor: error: {exc}", err=True)
        return exitcodes.USAGE
    if console is None:
        console = _ready(prepared) or _console(stream, no_color, env)
    data = _valid_text(dict(report.data))
    for path, write in ((output, _write_output), (junit, _write_junit)):
        if not path:
            continue
        try:
            write(path, data)
        except OSError as exc:
            click.echo(f"llmdoctor: error: cannot write {path}: {exc.strerror or exc}", err=True)
            return exitcodes.USAGE
    if options.get("as_json"):
        from llmdoctor.render.json_view import render_json

        sys.stdout.write(render_json(data))
    else:
        from llmdoctor.render.terminal import render_terminal

        saved = ", ".join(path for path in (output, junit) if path) or None
        render_terminal(console, data, verbose=bool(options.get("verbose")), quiet=bool(options.get("quiet")),
                        saved_to=saved)
    return report.exit_code


def _python_option(value: str | None) -> str | None:
    """`--python`, checked; without it the interpreter module (~30 ms of imports) loads later, beside the
    network, where the stack detection needs it."""
    if value is None:
        return None
    from llmdoctor.interpreter import check_python

    return check_python(value)


def _live_status(console: Any, checks: Sequence[Any], lang: str, quiet: bool) -> Any:
    """The spinner line while checks wait: on a terminal only, and it shows only target and check
    names (no summary, so nothing a server echoed can reach the screen unscrubbed)."""
    from llmdoctor.render.terminal import LiveStatus

    shown = console is not None and not quiet and console.is_terminal
    return LiveStatus(console, [c.name for c in checks], lang, enabled=shown)


def _console(stream: Any, no_color: bool, env: dict[str, str]) -> Any:
    """rich's console, or where rich would write plain text (a pipe, a file) the plain one (~30 ms less)."""
    from llmdoctor.render.consoles import plain_console

    return plain_console(stream, no_color, env)


def _prepare_views(stream: Any, no_color: bool, env: dict[str, str], lang: str) -> Any:
    """The console, and the modules the report and its views need, loaded while the checks wait."""
    from llmdoctor import knowledge
    from llmdoctor.render import json_view, terminal  # noqa: F401  (loaded now, used after the checks)

    knowledge.load()
    import llmdoctor.diagnosis
    import llmdoctor.fixvalues  # noqa: F401  (not i18n: its ~230 patterns are for a Chinese run only)
    from llmdoctor.render.consoles import PlainConsole

    console = _console(stream, no_color, env)
    if lang != "en" and isinstance(console, PlainConsole):
        console.rich()  # a pipe's plain console measures Chinese text with rich: load it now, not after the checks
    return console


def _ready(prepared: Any) -> Any:
    """The console `_prepare_views` made, or None when that failed (the caller makes one itself)."""
    try:
        return prepared.result(timeout=10.0) if prepared is not None else None
    except Exception:
        return None


def _valid_text(data: Any) -> Any:
    """A model name or a URL given as non-UTF-8 bytes must not make the JSON or Markdown invalid UTF-8
    (or make writing it fail): lone surrogates become U+FFFD."""
    if isinstance(data, str):
        return _SURROGATE.sub("\ufffd", data)
    if isinstance(data, dict):
        return {_valid_text(k): _valid_text(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_valid_text(v) for v in data]
    return data


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())
