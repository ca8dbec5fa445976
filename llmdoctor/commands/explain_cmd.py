"""`llmdoctor explain`: read a pasted error offline and explain it with the same knowledge base."""

from __future__ import annotations

import sys

import click

MAX_INPUT_BYTES = 1_000_000


def _read_input(text: tuple[str, ...], lang: str) -> bytes:
    if text and text != ("-",):
        return " ".join(text).encode("utf-8", errors="replace")
    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None or (text != ("-",) and sys.stdin.isatty()):
        raise click.UsageError("paste the error as an argument, or pipe it in: llmdoctor explain - < error.txt")
    if sys.stdin.isatty():
        # A terminal would otherwise wait in silence: say what it waits for, on stderr (stdout may be JSON).
        eof = "Ctrl-Z then Enter" if sys.platform == "win32" else "Ctrl-D"
        click.echo(_prompt(lang).format(eof=eof), err=True)
    return stream.read(MAX_INPUT_BYTES)


def _prompt(lang: str) -> str:
    if lang == "zh":
        return "请粘贴错误信息，然后在新的一行按 {eof} 结束："
    return "Paste the error, then press {eof} on a new line:"


@click.command("explain")
@click.argument("text", nargs=-1)
@click.option("--provider", metavar="ID", help="The provider the error came from, if the text does not say.")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None, help="Language [default: from LC_ALL/LANG].")
@click.pass_context
def explain(ctx: click.Context, text: tuple[str, ...], provider: str | None, as_json: bool, lang: str | None) -> None:
    """Explain a pasted error (SDK traceback, status + body, curl line, socket error), offline.

    TEXT is the error message; '-' or no TEXT reads it from standard input.
    Exit codes, as for a run: 1 a known problem was recognised (or seen, the text alone not telling which),
    0 none was, 2 usage error.
    """
    import os

    from llmdoctor.cli import group_lang
    from llmdoctor.explain import explain as explain_text
    from llmdoctor.language import choose_lang
    from llmdoctor.render.consoles import plain_console
    from llmdoctor.render.json_view import render_json
    from llmdoctor.render.terminal import render_terminal
    from llmdoctor.report import explanation_report

    env = dict(os.environ)
    language = choose_lang(group_lang(lang), env)
    raw = _read_input(text, language)
    if not raw.strip():
        raise click.UsageError("nothing to explain: the input is empty (paste the error as an argument, or pipe "
                               "it in: llmdoctor explain - < error.txt)")
    report = explanation_report(explain_text(raw, provider=provider, lang=language), language, env)
    if as_json:
        sys.stdout.write(render_json(report.data))
    else:
        render_terminal(plain_console(sys.stdout, bool(env.get("NO_COLOR")), env), report.data)
    ctx.exit(report.exit_code)
