"""`llmdoctor explain`: read a pasted error offline and explain it with the same knowledge base."""

from __future__ import annotations

import sys

import click

MAX_INPUT_BYTES = 1_000_000


def _read_input(text: tuple[str, ...]) -> bytes:
    if text and text != ("-",):
        return " ".join(text).encode("utf-8", errors="replace")
    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None or (text != ("-",) and sys.stdin.isatty()):
        raise click.UsageError("paste the error as an argument, or pipe it in: llmdoctor explain - < error.txt")
    return stream.read(MAX_INPUT_BYTES)


@click.command("explain")
@click.argument("text", nargs=-1)
@click.option("--provider", metavar="ID", help="The provider the error came from, if the text does not say.")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None, help="Language [default: from LC_ALL/LANG].")
@click.pass_context
def explain(ctx: click.Context, text: tuple[str, ...], provider: str | None, as_json: bool, lang: str | None) -> None:
    """Explain a pasted error (SDK traceback, status + body, curl line, socket error), offline.

    TEXT is the error message; '-' or no TEXT reads it from standard input.
    Exit codes: 0 recognised, 1 not recognised, 2 usage error.
    """
    import os

    from llmdoctor.explain import explain as explain_text
    from llmdoctor.language import choose_lang
    from llmdoctor.render.json_view import render_json
    from llmdoctor.render.terminal import make_console, render_terminal
    from llmdoctor.report import explanation_report

    raw = _read_input(text)
    if not raw.strip():
        raise click.UsageError("nothing to explain: the input is empty (paste the error as an argument, or pipe "
                               "it in: llmdoctor explain - < error.txt)")
    env = dict(os.environ)
    language = choose_lang(lang, env)
    report = explanation_report(explain_text(raw, provider=provider, lang=language), language, env)
    if as_json:
        sys.stdout.write(render_json(report.data))
    else:
        render_terminal(make_console(sys.stdout, no_color=bool(env.get("NO_COLOR"))), report.data)
    ctx.exit(report.exit_code)
