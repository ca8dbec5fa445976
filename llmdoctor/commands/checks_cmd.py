"""`llmdoctor checks`: every check that would run, where it comes from, and what it does."""

from __future__ import annotations

import click


@click.command("checks")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable list.")
def checks(as_json: bool) -> None:
    """List every check (built-in and plug-ins) in run order."""
    import contextlib
    import json
    import sys

    from llmdoctor.plugins import discover

    # A plug-in that prints while it is imported must not corrupt the listing on stdout.
    with contextlib.redirect_stdout(sys.stderr):
        registry = discover()
    if as_json:
        click.echo(json.dumps({
            "checks": [{"id": c.name, "source": c.source, "phase": c.phase, "requires": list(c.requires),
                        "reads": list(c.spec.reads), "after": list(c.spec.after), "opt_in": c.spec.opt_in,
                        "description": c.description} for c in registry.checks],
            "problems": [p.to_dict() for p in registry.problems],
        }, indent=2))
        return
    width = max((len(c.name) for c in registry.checks), default=10)
    for check in registry.checks:
        requires = f"  (after {', '.join(check.requires)})" if check.requires else ""
        opt_in = f"  [opt-in: --enable {check.name}]" if check.spec.opt_in else ""
        click.echo(f"{check.name:<{width}}  {check.source:<12}  {check.description}{requires}{opt_in}")
    for problem in registry.problems:
        click.echo(f"problem: {problem.entry_point} ({problem.source}): {problem.problem}", err=True)
