"""`llmdoctor checks`: every check that would run, where it comes from, and what it does."""

from __future__ import annotations

import click


@click.command("checks")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable list.")
@click.pass_context
def checks(ctx: click.Context, as_json: bool) -> None:
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
        width = max((len(c.name) for c in registry.checks), default=10)
        for check in registry.checks:
            requires = f"  (after {', '.join(check.requires)})" if check.requires else ""
            opt_in = f"  [opt-in: --enable {check.name}]" if check.spec.opt_in else ""
            click.echo(f"{check.name:<{width}}  {check.source:<12}  {check.description}{requires}{opt_in}")
        for problem in registry.problems:
            click.echo(f"problem: {problem.entry_point} ({problem.source}): {problem.problem}", err=True)
    ctx.exit(exitcodes.OK)
