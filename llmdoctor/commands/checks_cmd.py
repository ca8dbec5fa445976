"""`llmdoctor checks`: every check that would run, where it comes from, and what it does."""

from __future__ import annotations

import click


@click.command("checks")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable list.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None,
              help="Language of the descriptions (default: the group's --lang, else LANG/LC_ALL).")
@click.pass_context
def checks(ctx: click.Context, as_json: bool, lang: str | None) -> None:
    """List every check (built-in and plug-ins) in run order.

    Exit code 0; a plug-in that could not be loaded is named on standard error (and in --json).
    """
    import contextlib
    import sys

    from llmdoctor import exitcodes
    from llmdoctor.documents import header
    from llmdoctor.plugins import discover
    from llmdoctor.render.json_view import render_json

    # A plug-in that prints while it is imported must not corrupt the listing on stdout.
    with contextlib.redirect_stdout(sys.stderr):
        registry = discover()
    if as_json:
        sys.stdout.write(render_json({
            **header("checks"),
            "checks": [{"id": c.name, "source": c.source, "phase": c.phase, "requires": list(c.requires),
                        "reads": list(c.spec.reads), "after": list(c.spec.after), "opt_in": c.spec.opt_in,
                        "description": c.description} for c in registry.checks],
            "problems": [p.to_dict() for p in registry.problems],
        }))
    else:
        import os

        from llmdoctor.cli import group_lang
        from llmdoctor.i18n import CHECK_DESCRIPTIONS_ZH
        from llmdoctor.language import choose_lang

        zh = choose_lang(group_lang(lang), dict(os.environ)) == "zh"
        width = max((len(c.name) for c in registry.checks), default=10)
        for check in registry.checks:
            description = check.description
            if zh and check.source == "built-in":
                description = CHECK_DESCRIPTIONS_ZH.get(check.name, description)
            after, opt_in_word = ("  （在 {} 之后）", "  [需主动开启：--enable {}]") if zh else (
                "  (after {})", "  [opt-in: --enable {}]")
            requires = after.format(", ".join(check.requires)) if check.requires else ""
            opt_in = opt_in_word.format(check.name) if check.spec.opt_in else ""
            source = "内置" if zh and check.source == "built-in" else check.source
            click.echo(f"{check.name:<{width}}  {source:<12}  {description}{requires}{opt_in}")
        for problem in registry.problems:
            click.echo(f"problem: {problem.entry_point} ({problem.source}): {problem.problem}", err=True)
    ctx.exit(exitcodes.OK)
