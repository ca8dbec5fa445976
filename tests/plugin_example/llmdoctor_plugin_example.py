"""An example third-party check: warns when the target is not in the region the team expects.

It shows everything a plug-in needs: a name, what it requires, a phase, and run(ctx) returning a
CheckResult built from the context alone (no globals, no printing); and, optionally, the causes its
finding codes stand for (CAUSES, registered under the `llmdoctor.causes` entry-point group). Without
them a finding still reaches the verdict, in the finding's own words.
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


# The same shape as llmdoctor/data/causes/<id>.json; fix steps may use {host}, {base_url}, {base_url_var}, …
CAUSES = [{
    "id": "example.unexpected_domain",
    "category": "example",
    "layer": "config",
    "title": {"en": "The API host is outside the team's domain", "zh": "API 主机不在团队约定的域名下"},
    "explanation": {"en": "The base URL points at a host the team does not run.",
                    "zh": "base URL 指向的主机不是团队运营的。"},
    "evidence": {"en": "The host does not end in LLMDOCTOR_EXPECT_DOMAIN.",
                 "zh": "主机名不以 LLMDOCTOR_EXPECT_DOMAIN 结尾。"},
    "fix": {"en": ["Set {base_url_var} to the team's gateway instead of {host}."],
            "zh": ["把 {base_url_var} 改成团队的网关，而不是 {host}。"]},
    "retry": "no",
    "docs": [],
}]
