"""The command line: parse options, build settings, call the engine, pick a view, return the exit code.

Only click is imported at start-up; httpx, dnspython and rich load when a run needs them, so
`--help` and `--version` stay fast.
"""

from __future__ import annotations

import os
import sys
from typing import Any, ClassVar

import click

from llmdoctor import DIST_NAME, __version__, exitcodes


class _LazyGroup(click.Group):
    """Subcommands are imported only when used (`llmdoctor env`, `explain`, `checks`, `keys`)."""

    _lazy: ClassVar[dict[str, tuple[str, str, str]]] = {
        "checks": ("llmdoctor.commands.checks_cmd", "checks", "List every check (built-in and plug-ins)."),
        "env": ("llmdoctor.commands.env_cmd", "env", "Show proxy settings and what each client does with them."),
        "explain": ("llmdoctor.commands.explain_cmd", "explain", "Explain a pasted error message, offline."),
        "keys": ("llmdoctor.commands.keys_cmd", "keys", "Audit a pool of API keys (valid, revoked, no quota, …)."),
        "serve": ("llmdoctor.commands.serve_cmd", "serve", "Run a Prometheus exporter: a diagnosis per scrape."),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self._lazy)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Static one-liners: listing the commands must not import them.
        with formatter.section("Commands"):
            formatter.write_dl([(name, self._lazy[name][2]) for name in self.list_commands(ctx)])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self._lazy:
            return None
        import importlib

        module, attr, _help = self._lazy[cmd_name]
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command


def group_lang(lang: str | None) -> str | None:
    """A subcommand's --lang, else the group's (`llmdoctor --lang zh env`), else None (then LC_ALL/LANG)."""
    if lang:
        return lang
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return obj.get("lang") if isinstance(obj, dict) else None


MAX_SECONDS = 86400.0  # a day; `inf` or 1e400 would overflow the socket and thread timeouts (exit 3)


def _positive(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not 0 < value <= MAX_SECONDS:  # also refuses nan
        raise click.BadParameter(f"must be a positive number of seconds, at most {MAX_SECONDS:g}")
    return value


@click.group(cls=_LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
# The distribution's name, not the command's: "llmdoctor" on PyPI is another project, and this line
# tells someone who installed that one which they have.
@click.version_option(__version__, "--version", "-V", prog_name=DIST_NAME,
                      message="%(prog)s %(version)s (command: llmdoctor)")
@click.option("--provider", metavar="ID", help="Diagnose only this provider (openai, anthropic, gemini, deepseek, "
              "moonshot, dashscope, openrouter, azure, groq, mistral, ollama, relay, gemini-native).")
@click.option("--base-url", metavar="URL", help="The base URL your code uses (overrides *_BASE_URL).")
@click.option("--api-key", metavar="KEY|-", help="'-' reads the key from standard input (preferred); "
              "by default keys come from the SDKs' environment variables or .env.")
@click.option("--model", metavar="NAME", help="The model your code asks for.")
@click.option("--timeout", type=float, default=None, callback=_positive, metavar="SECONDS",
              help="Timeout of each network operation [default: 4].")
@click.option("--deadline", type=float, default=None, callback=_positive, metavar="SECONDS",
              help="Deadline for the whole run [default: 25].")
@click.option("--proxy", metavar="URL", help="Use this proxy instead of the environment's (http://, socks5://, socks5h://).")
@click.option("--no-proxy", is_flag=True, help="Connect directly, ignoring proxy variables.")
@click.option("--dns-server", "dns_servers", multiple=True, metavar="ADDR[:PORT]",
              help="Also resolve with this DNS server and compare.")
@click.option("--resolve", "resolve", multiple=True, metavar="HOST:PORT:ADDR",
              help="Pin a host to an address, as curl does.")
@click.option("--allow-insecure", is_flag=True, help="Allow sending the key over plain http:// to a non-local host.")
@click.option("--probe-completion", is_flag=True, help="Also send one tiny streamed completion (costs a few tokens); "
              "the same as --enable completion.")
@click.option("--enable", multiple=True, metavar="IDS", help="Run these opt-in checks too (comma-separated ids).")
@click.option("--client-timeout", type=float, default=None, callback=_positive, metavar="SECONDS",
              help="The timeout your code sets, to compare with what was measured.")
@click.option("--only", multiple=True, metavar="IDS", help="Run only these checks (comma-separated ids).")
@click.option("--skip", multiple=True, metavar="IDS", help="Skip these checks (comma-separated ids).")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON report on stdout instead of the terminal view.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Save the report: .json, .md, .html, or .prom (node_exporter's textfile collector) by extension.")
@click.option("--junit", type=click.Path(dir_okay=False, writable=True), metavar="FILE.xml",
              help="Also write a JUnit XML file for CI: one test case per check per target.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None, help="Language [default: from LC_ALL/LANG].")
@click.option("--redact-hosts", is_flag=True, help="Hide the relay's host name in the report.")
@click.option("--quiet", "-q", is_flag=True, help="Only the verdict, no per-check lines.")
@click.option("--verbose", "-v", is_flag=True, help="Every check line and every cause in full.")
@click.pass_context
def main(ctx: click.Context, /, **options: Any) -> None:
    """Find out why your call to an LLM API failed, link by link, and how to fix it.

    With no command, diagnoses every configured provider (from the SDKs' environment variables,
    .env, or the options below). Exit codes: 0 healthy, 1 problem found, 2 usage error,
    3 internal error, 130 interrupted.
    """
    if ctx.invoked_subcommand is not None:
        # `llmdoctor --lang zh explain …`: the group's language reaches the subcommand (its own --lang wins).
        ctx.ensure_object(dict)["lang"] = options.get("lang")
        return
    from llmdoctor.commands.run_cmd import run_command

    ctx.exit(run_command(options))


def _scrub(text: str) -> str:
    """Hides any key or proxy password from the environment that an error message might echo."""
    from llmdoctor.secrets import scrubber_from_env

    return scrubber_from_env(os.environ)(text)


def _short_lived_process() -> None:
    """One run allocates a few MB and builds few cycles, but collecting them cost more than the run's
    own work: the cyclic GC walked every imported module's objects during start-up, and again at
    interpreter exit (about 130 ms of a 0.9 s healthy run on a 2-CPU VM). Off for this process;
    `atexit` freezes what is left so the final collections skip it."""
    import atexit
    import gc

    gc.disable()
    atexit.register(gc.freeze)


def entry() -> None:
    """Console-script entry: turns every failure into a one-line message and a documented exit code."""
    _short_lived_process()
    try:
        code = main.main(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else exitcodes.OK)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        # One line, not click's usage block: the message says what is wrong with which option.
        message = " ".join(exc.format_message().split())
        click.echo(f"llmdoctor: error: {_scrub(message)} (see llmdoctor --help)", err=True)
        sys.exit(exc.exit_code if exc.exit_code not in (0, 1) else exitcodes.USAGE)
    except click.Abort:
        click.echo("llmdoctor: interrupted", err=True)
        sys.exit(exitcodes.INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("llmdoctor: interrupted", err=True)
        sys.exit(exitcodes.INTERRUPTED)
    except BrokenPipeError:
        sys.exit(exitcodes.OK)
    except Exception as exc:  # never a traceback for the user; LLMDOCTOR_DEBUG=1 shows one
        if os.environ.get("LLMDOCTOR_DEBUG"):
            raise
        click.echo(f"llmdoctor: internal error: {type(exc).__name__}: {_scrub(str(exc))} "
                   "(please report it; LLMDOCTOR_DEBUG=1 shows the traceback)", err=True)
        sys.exit(exitcodes.INTERNAL)
