"""`llmdoctor explain`: read a pasted error offline and explain it with the same knowledge base."""

from __future__ import annotations

import sys
from typing import Any

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


def _render(data: dict[str, Any], no_color: bool) -> None:
    from llmdoctor.render.terminal import make_console, render_terminal

    render_terminal(make_console(sys.stdout, no_color=no_color), data)


@click.command("explain")
@click.argument("text", nargs=-1)
@click.option("--provider", metavar="ID", help="The provider the error came from, if the text does not say.")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None, help="Language [default: from LC_ALL/LANG].")
def explain(text: tuple[str, ...], provider: str | None, as_json: bool, lang: str | None) -> None:
    """Explain a pasted error (SDK traceback, status + body, curl line, socket error), offline.

    TEXT is the error message; '-' or no TEXT reads it from standard input.
    Exit codes, as for a run: 1 a known problem was recognised, 0 none was, 2 usage error.
    """
    import os

    from llmdoctor import __version__
    from llmdoctor.cli import EXIT_OK, EXIT_PROBLEM, group_lang
    from llmdoctor.explain import explain as explain_text
    from llmdoctor.knowledge import detect_lang
    from llmdoctor.render.json_view import render_json
    from llmdoctor.secrets import scrubber_from_env

    language = group_lang(lang) or detect_lang(dict(os.environ))
    raw = _read_input(text, language)
    if not raw.strip():
        raise click.UsageError("nothing to explain: the input is empty (paste the error as an argument, or pipe "
                               "it in: llmdoctor explain - < error.txt)")
    result = explain_text(raw, provider=provider, lang=language)
    causes = [c.to_dict() for c in result.causes]
    if language == "zh":  # the evidence quotes the parsed error in English sentences
        from llmdoctor.i18n import to_zh

        for cause in causes:
            cause["evidence"] = [to_zh(line) for line in cause.get("evidence", [])]
    if result.recognised and causes:
        verdict = causes[0]["title"]
    elif language == "zh":
        verdict = "无法识别这段错误信息。请运行 llmdoctor 做一次实时诊断。"
    else:
        verdict = "Not recognised. Run llmdoctor for a live diagnosis of your configuration and network."
    data = {
        "schema_version": "1.0",
        "kind": "explain",
        "tool": {"name": "llmdoctor", "version": __version__},
        "lang": language,
        "recognised": result.recognised,
        # The run report's meanings: `healthy` is "no problem found", and exit code 1 says a problem was
        # found (here: recognised), 0 that none was; never healthy with exit 1 or unhealthy with exit 0.
        "healthy": not result.recognised,
        "verdict": verdict,
        "causes": causes,
        "facts": dict(result.facts),
        "exit_code": EXIT_PROBLEM if result.recognised else EXIT_OK,
    }
    data = scrubber_from_env(os.environ).scrub_data(data)  # type: ignore[assignment]
    if as_json:
        sys.stdout.write(render_json(data))
    else:
        _render(data, no_color=bool(os.environ.get("NO_COLOR")))
    click.get_current_context().exit(int(data["exit_code"]))
