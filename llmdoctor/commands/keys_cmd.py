"""`llmdoctor keys`: audit a pool of API keys. Parses options, reads the file, calls the engine, renders."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Any

import click

from llmdoctor import exitcodes
from llmdoctor.cli import MAX_SECONDS

DEFAULT_DEADLINE = 300.0  # a pool of 1,000 keys at 8 in flight and 300 ms a call takes about 40 s
_INHERITED = ("provider", "base_url", "model", "timeout", "deadline", "proxy", "no_proxy", "allow_insecure",
              "probe_completion", "as_json", "lang")


def _seconds(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not 0 < value <= MAX_SECONDS:
        raise click.BadParameter(f"must be a positive number of seconds, at most {MAX_SECONDS:g}")
    return value


def _read(file: str | None) -> tuple[bytes, str]:
    from llmdoctor.keypool.source import MAX_BYTES, SourceError, read_bytes

    if file is None or file == "-":
        if file is None and (sys.stdin is None or sys.stdin.isatty()):
            raise click.UsageError("give a key file, or pipe keys in: llmdoctor keys - < keys.txt")
        if sys.stdin is None:
            raise SourceError("standard input is closed")
        return read_bytes(sys.stdin.buffer, "standard input"), "standard input"
    path = Path(file)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise SourceError(f"{file} is a directory, not a key file")
        if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
            raise SourceError(f"{file} is larger than {MAX_BYTES // (1024 * 1024)} MB: not a key file")
        with path.open("rb") as stream:  # read only: the file is never copied or rewritten
            return read_bytes(stream, file), file
    except OSError as exc:
        raise SourceError(f"cannot read {file}: {exc.strerror or exc}") from None


@click.command("keys")
@click.argument("file", required=False, metavar="[FILE | -]")
@click.option("--column", metavar="NAME|N", help="The CSV column or JSON field holding the keys [default: key, "
              "api_key, token…].")
@click.option("--format", "fmt", type=click.Choice(["auto", "lines", "csv", "json"]), default="auto",
              show_default=True, help="How FILE is written.")
@click.option("--provider", metavar="ID", help="Send every key to this provider [default: by each key's prefix, "
              "else openai].")
@click.option("--base-url", metavar="URL", help="The base URL your code uses (a relay's, for its keys).")
@click.option("--model", metavar="NAME", help="Also check that each key may use this model (model_restricted).")
@click.option("--concurrency", type=click.IntRange(1, 64), default=8, show_default=True, metavar="N",
              help="At most N requests in flight per host.")
@click.option("--timeout", type=float, default=None, callback=_seconds, metavar="SECONDS",
              help="Timeout of each network operation [default: 4].")
@click.option("--deadline", type=float, default=None, callback=_seconds, metavar="SECONDS",
              help=f"Deadline for the whole audit [default: {DEFAULT_DEADLINE:g}].")
@click.option("--proxy", metavar="URL", help="Use this proxy instead of the environment's.")
@click.option("--no-proxy", is_flag=True, help="Connect directly, ignoring proxy variables.")
@click.option("--allow-insecure", is_flag=True, help="Allow sending keys over plain http:// to a non-local host.")
@click.option("--probe-completion", is_flag=True, help="Also send one tiny completion per valid key: SPENDS TOKENS, "
              "but shows what only a completion shows (quota on some providers and relays).")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None,
              help="Language of the causes' titles and fixes [default: from LC_ALL/LANG].")
@click.option("--json", "as_json", is_flag=True, help="Print the audit as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the audit as CSV.")
@click.pass_context
def keys(ctx: click.Context, /, file: str | None, **options: Any) -> None:
    """Audit a pool of API keys: one zero-token request each, and a class for each key.

    FILE has one key per line, NAME=KEY lines, or is CSV or JSON with a key column; '-' reads
    standard input. Blank lines and # comments are skipped; a repeated key is audited once.
    Classes: valid, invalid, wrong_provider, no_quota, rate_limited, region_blocked,
    model_restricted, unreachable, error. Keys are shown only redacted and by fingerprint (the
    first 12 hex digits of their SHA-256). Exit codes: 0 every key valid, 1 otherwise, 2 usage error.
    """
    parent = ctx.parent.params if ctx.parent is not None else {}
    for name in _INHERITED:  # `llmdoctor --provider X keys FILE` means the same as `keys --provider X`
        if not options.get(name) and parent.get(name):
            options[name] = parent[name]
    if options["as_json"] and options["as_csv"]:
        raise click.UsageError("--json and --csv exclude each other")
    if options["proxy"] and options["no_proxy"]:
        raise click.UsageError("--proxy and --no-proxy exclude each other")
    for name in ("provider", "base_url", "model", "proxy", "column"):
        if options.get(name) is not None and not str(options[name]).strip():
            raise click.BadParameter("the value is empty", param_hint=f"--{name.replace('_', '-')}")
    ctx.exit(_audit(file, options))


def _audit(file: str | None, options: dict[str, Any]) -> int:
    from llmdoctor.config import ConfigError
    from llmdoctor.keypool.source import SourceError, decode, parse

    env = dict(os.environ)
    try:
        data, label = _read(file)
        pool = parse(decode(data, label), label, options["column"], options["fmt"])
        del data
        plan, settings = _plan(options, env, [e.secret.reveal() for e in pool.entries])
    except (SourceError, ConfigError) as exc:
        click.echo(f"llmdoctor: error: {exc}", err=True)
        return exitcodes.USAGE
    except Exception as exc:  # a bug while reading: its message might quote the input, so only where it was
        import traceback

        where = traceback.extract_tb(exc.__traceback__)[-1]
        click.echo(f"llmdoctor: internal error: {type(exc).__name__} while reading the keys "
                   f"({Path(where.filename).name}:{where.lineno}; please report it)", err=True)
        return exitcodes.INTERNAL
    from llmdoctor.keypool.report import scrubber_for
    from llmdoctor.secrets import scrubber_from_env

    scrub = scrubber_for(pool, scrubber_from_env(env))
    try:
        return _run(pool, plan, settings, env, options, label, scrub)
    except Exception as exc:  # never a traceback, and never a key in the message
        import traceback

        if os.environ.get("LLMDOCTOR_DEBUG"):
            click.echo(scrub("".join(traceback.format_exception(exc))), err=True)
        click.echo(f"llmdoctor: internal error: {type(exc).__name__}: {scrub(str(exc))} "
                   "(please report it; LLMDOCTOR_DEBUG=1 shows the traceback)", err=True)
        return exitcodes.INTERNAL


def _plan(options: dict[str, Any], env: dict[str, str], keys: list[str]) -> tuple[Any, Any]:
    from llmdoctor.config import DEFAULT_TIMEOUT, ConfigError, Settings
    from llmdoctor.dotenv import read_dotenv
    from llmdoctor.keypool.plan import Plan
    from llmdoctor.language import detect_lang
    from llmdoctor.urls import split_url, validate_proxy_url

    if options["proxy"]:
        problem = validate_proxy_url(options["proxy"])
        if problem:
            raise ConfigError(f"--proxy: {problem}")
    if options["base_url"] and split_url(options["base_url"]) is None:
        raise ConfigError(f"--base-url {options['base_url'][:200]!r} is not a URL")
    settings = Settings(timeout=options["timeout"] or DEFAULT_TIMEOUT,
                        deadline=options["deadline"] or DEFAULT_DEADLINE, proxy=options["proxy"],
                        no_proxy=bool(options["no_proxy"]), allow_insecure=bool(options["allow_insecure"]),
                        enabled=frozenset({"completion"} if options["probe_completion"] else ()),
                        lang=options["lang"] or detect_lang(env))
    plan = Plan(options["provider"], options["base_url"], options["model"], env, read_dotenv(Path.cwd())[0],
                settings)
    plan.prepare(keys)
    return plan, settings


def _run(pool: Any, plan: Any, settings: Any, env: dict[str, str], options: dict[str, Any], label: str,
         scrub: Any) -> int:
    from llmdoctor.deadline import Deadline
    from llmdoctor.keypool import audit, report
    from llmdoctor.net.http import HttpClientFactory
    from llmdoctor.render.consoles import make_console

    err = make_console(sys.stderr, bool(env.get("NO_COLOR")))
    if "completion" in settings.enabled:
        err.print(f"--probe-completion: one tiny completion per valid key ({len(pool.entries)} keys at most): "
                  "this spends tokens.")
    audit_options = audit.AuditOptions(concurrency=options["concurrency"], model=options["model"],
                                       probe_completion="completion" in settings.enabled)
    factory = HttpClientFactory(settings, env, Deadline(settings.deadline))
    with _progress(err, len(pool.entries)) as advance:
        result = audit.run(pool, plan, factory, audit_options, advance)
    data = report.build(pool, result, audit_options, label, settings.lang)
    if options["as_json"]:
        from llmdoctor.render.json_view import render_json

        sys.stdout.write(scrub(render_json(data)))
    elif options["as_csv"]:
        from llmdoctor.render.keys_view import render_csv

        sys.stdout.write(scrub(render_csv(data)))
    else:
        _table(data, env, scrub)
    code: int = data["exit_code"]
    return code


def _table(data: dict[str, Any], env: dict[str, str], scrub: Any) -> None:
    """The table is drawn into a buffer, scrubbed as text, then written: no key can reach the screen."""
    import io

    from rich.console import Console

    from llmdoctor.render.keys_view import render_table

    out = sys.stdout
    terminal = out.isatty()
    buffer = io.StringIO()
    # In a pipe or a file, a row stays on one line (easier to grep), as make_console's soft_wrap does.
    width = Console(file=out).width if terminal else 500
    console = Console(file=buffer, force_terminal=terminal and not env.get("NO_COLOR"), no_color=bool(
        env.get("NO_COLOR")), width=width, highlight=False, emoji=False)
    render_table(console, data)
    out.write(scrub(buffer.getvalue()))


class _progress:
    """A live bar on a terminal (stderr), nothing in a pipe; yields the per-key callback."""

    def __init__(self, console: Any, total: int) -> None:
        self.console = console
        self.total = total
        self.bar: Any = None

    def __enter__(self) -> Any:
        if not self.console.is_terminal:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("auditing keys"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            TextColumn("{task.fields[problems]} not valid"), console=self.console, transient=True)
        self.bar.start()
        task = self.bar.add_task("keys", total=self.total, problems=0)
        problems = 0

        def advance(result: Any) -> None:
            nonlocal problems
            problems += result.status.value != "valid"
            self.bar.update(task, advance=1, problems=problems)

        return advance

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
