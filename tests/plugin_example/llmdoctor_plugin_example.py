"""An example third-party check: warns when the target is not in the region the team expects.

It shows everything a plug-in needs: a name, what it requires, a phase, and run(ctx) returning a
CheckResult built from the context alone (no globals, no printing).
"""

from __future__ import annotations

from llmdoctor.check import BaseCheck
from llmdoctor.model import Finding, Status, from_findings


class RegionCheck(BaseCheck):
    """Example plug-in: the target's host ends in the domain the team expects (LLMDOCTOR_EXPECT_DOMAIN)."""

    name = "example-region"
    requires = ("endpoint",)
    phase = "other"

    def run(self, ctx):  # type: ignore[no-untyped-def]
        expected = ctx.env.get("LLMDOCTOR_EXPECT_DOMAIN", "")
        host = ctx.target.host
        if expected and not host.endswith(expected):
            return from_findings("", [Finding("example.unexpected_domain",
                                              f"{host} is not under {expected}",
                                              f"Point the base URL at a host under {expected}.", Status.WARN, 0.3)])
        return from_findings(f"{host} is fine", [], {"host": host})
