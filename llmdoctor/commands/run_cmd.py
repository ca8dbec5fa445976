"""`llmdoctor` with no subcommand: run the checks, show the verdict, save the report."""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from llmdoctor.cli import EXIT_USAGE, detect_lang, env_snapshot


def _settings_from(options: dict[str, Any], env: dict[str, str]) -> Any:
    from llmdoctor.config import DEFAULT_DEADLINE, DEFAULT_TIMEOUT, Settings, parse_dns_server, parse_resolve

    if options.get("proxy") and options.get("no_proxy"):
        raise click.UsageError("--proxy and --no-proxy exclude each other")
    proxy = options.get("proxy")
    if proxy:
        from llmdoctor.config import ConfigError
        from llmdoctor.urls import validate_proxy_url

        problem = validate_proxy_url(proxy)
        if problem:
            raise ConfigError(f"--proxy: {problem}")
    timeout = options.get("timeout") or DEFAULT_TIMEOUT
    from llmdoctor.interpreter import check_python

    return Settings(
        timeout=timeout,
        deadline=options.get("deadline") or max(DEFAULT_DEADLINE, timeout * 4),
        proxy=proxy,
        no_proxy=bool(options.get("no_proxy")),
        dns_servers=tuple(parse_dns_server(v) for v in options.get("dns_servers", ())),
        resolve=parse_resolve(tuple(options.get("resolve", ()))),
        allow_insecure=bool(options.get("allow_insecure")),
        probe_completion=bool(options.get("probe_completion")),
        client_timeout=options.get("client_timeout"),
        lang=options.get("lang") or detect_lang(env),
        redact_hosts=bool(options.get("redact_hosts")),
        python=check_python(options.get("python")),
    )


def _write_output(path: str, data: dict[str, Any]) -> None:
    from llmdoctor.render.json_view import render_json
    from llmdoctor.render.markdown_view import render_markdown

    lowered = path.lower()
    text = render_markdown(data) if lowered.endswith(".md") or lowered.endswith(".markdown") else render_json(data)
    Path(path).write_text(text, encoding="utf-8")


# Bytes that are not UTF-8 in argv or the environment arrive as lone surrogates (PEP 383).
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_EMPTY = ("provider", "base_url", "api_key", "model", "proxy", "output")


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


def run_command(options: dict[str, Any]) -> int:
    from llmdoctor import warmup

    env = env_snapshot()
    check_values(options)
    warmup.start(env)  # the trust stores load on the other CPU while the run starts
    try:
        return _run(options, env)
    finally:
        warmup.wait()


def _run(options: dict[str, Any], env: dict[str, str]) -> int:
    from llmdoctor import app
    from llmdoctor.config import CliValues, ConfigError
    from llmdoctor.render.terminal import ProgressPrinter, make_console, render_terminal

    output = options.get("output")
    if output and not output.lower().endswith((".json", ".md", ".markdown")):
        raise click.BadParameter("the report file must end in .json or .md", param_hint="--output")
    try:
        api_key = options.get("api_key")
        if api_key == "-":
            line = sys.stdin.readline() if sys.stdin else ""
            api_key = line.rstrip("\r\n")
            if not api_key:
                raise ConfigError("--api-key -: nothing was read from standard input")
            if _SURROGATE.search(api_key):
                raise ConfigError("--api-key -: the key read from standard input is not UTF-8")
        settings = _settings_from(options, env)
        cli = CliValues(provider=options.get("provider"), base_url=options.get("base_url"),
                        api_key=api_key, model=options.get("model"))
        selection = app.Selection(only=_split(options.get("only", ())), skip=_split(options.get("skip", ())))
        no_color = bool(env.get("NO_COLOR"))
        console = make_console(sys.stderr if options.get("as_json") else sys.stdout, no_color)
        quiet = bool(options.get("quiet") or options.get("as_json"))
        printer = None
        if not quiet:
            printer = _scrubbed(ProgressPrinter(console, show_target=True), cli, settings, env)
        # A plug-in that prints must not corrupt the JSON on stdout: during the run, stdout is stderr.
        guard = contextlib.redirect_stdout(sys.stderr) if options.get("as_json") else contextlib.nullcontext()
        with guard:
            report, _names = app.run(cli, settings, env, Path.cwd(), selection, printer)
    except ConfigError as exc:
        click.echo(f"llmdoctor: error: {exc}", err=True)
        return EXIT_USAGE
    data = _valid_text(dict(report.data))
    if output:
        try:
            _write_output(output, data)
        except OSError as exc:
            click.echo(f"llmdoctor: error: cannot write {output}: {exc.strerror or exc}", err=True)
            return EXIT_USAGE
    if options.get("as_json"):
        from llmdoctor.render.json_view import render_json

        sys.stdout.write(render_json(data))
    else:
        render_terminal(console, data)
        if output:
            console.print(f"Report saved to {output}")
    return report.exit_code


def _scrubbed(printer: Callable[[Any], None], cli: Any, settings: Any, env: dict[str, str]) -> Callable[[Any], None]:
    """The live lines pass the report's scrubber too: a proxy's or server's echo may carry a secret,
    and --redact-hosts hides the relay's name there as well."""
    import dataclasses

    from llmdoctor.config import build_targets
    from llmdoctor.dotenv import read_dotenv
    from llmdoctor.report import scrubber_for

    scrub = scrubber_for(build_targets(cli, env, read_dotenv(Path.cwd())[0]), env, settings)
    return lambda result: printer(dataclasses.replace(result, summary=scrub(result.summary)))


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
