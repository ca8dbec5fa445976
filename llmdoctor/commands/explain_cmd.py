"""`llmdoctor explain`: read a pasted error offline and explain it with the same knowledge base."""

from __future__ import annotations

import sys
from typing import Any

import click

MAX_INPUT_BYTES = 1_000_000


def _read_input(text: tuple[str, ...]) -> bytes:
    if text and text != ("-",):
        return " ".join(text).encode("utf-8", errors="replace")
    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None or (text != ("-",) and sys.stdin.isatty()):
        raise click.UsageError("paste the error as an argument, or pipe it in: llmdoctor explain - < error.txt")
    return stream.read(MAX_INPUT_BYTES)


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
    Exit codes: 0 recognised, 1 not recognised or not decided by the text alone, 2 usage error.
    """
    import os

    from llmdoctor import __version__
    from llmdoctor.explain import explain as explain_text
    from llmdoctor.knowledge import detect_lang
    from llmdoctor.render.json_view import render_json
    from llmdoctor.secrets import scrubber_from_env

    raw = _read_input(text)
    if not raw.strip():
        raise click.UsageError("nothing to explain: the input is empty (paste the error as an argument, or pipe "
                               "it in: llmdoctor explain - < error.txt)")
    language = lang or detect_lang(dict(os.environ))
    result = explain_text(raw, provider=provider, lang=language)
    from llmdoctor.signatures.ambiguity import RUN_HINT

    explained = result.to_dict()
    causes = explained["causes"]
    if result.recognised and causes:
        verdict = causes[0]["title"]
    elif result.ambiguous:  # never a weak guess as the verdict: the candidates and what tells them apart
        verdict = RUN_HINT.get(language, RUN_HINT["en"])
        verdict = verdict[:1].upper() + verdict[1:] + ("。" if language == "zh" else ".")
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
        "ambiguous": result.ambiguous,
        "healthy": not result.recognised and not result.ambiguous,
        "verdict": verdict,
        "causes": causes,
        "facts": dict(result.facts),
        "exit_code": 0 if result.recognised else 1,
    }
    data = scrubber_from_env(os.environ).scrub_data(data)  # type: ignore[assignment]
    if as_json:
        sys.stdout.write(render_json(data))
    else:
        _render(data, no_color=bool(os.environ.get("NO_COLOR")))
    click.get_current_context().exit(0 if result.recognised else 1)
