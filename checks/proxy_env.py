"""The proxy environment: what httpx (and the SDKs), requests and curl would do for this target's URL."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, ClassVar

from llmdoctor.check import BaseCheck
from llmdoctor.model import CheckResult, from_findings
from llmdoctor.prefetch import prefetch
from llmdoctor.proxyenv import ports

if TYPE_CHECKING:
    from llmdoctor.context import Context
    from llmdoctor.proxyenv.stack import PythonStack
    from llmdoctor.proxyenv.system import SystemProxyReader


def summary_of(decisions: list[dict[str, object]]) -> str:
    """`httpx: via http://127.0.0.1:7890 (env:https_proxy); requests: direct; curl: direct`."""
    parts = []
    for d in decisions:
        if d.get("problem"):
            text = "fails"
        elif d.get("proxy"):
            text = f"via {d['proxy']} ({d['source']})"
        elif d.get("bypassed_by"):
            text = f"direct (NO_PROXY {d['bypassed_by']})"
        else:
            text = "direct"
        parts.append(f"{d['client']}: {text}")
    return "; ".join(parts)


class ProxyEnvCheck(BaseCheck):
    """Proxy variables and system proxy settings: what httpx, requests and curl do with this target's URL."""

    name = "proxy-env"
    phase = "env"
    budget_timeouts = 2
    beside = True  # nothing on the request path needs it first: it runs while the handshake waits
    # Injectable for tests (a subclass sets them): which 127.0.0.1 ports to probe, where the SDKs live.
    scan_ports: ClassVar[tuple[int, ...] | None] = ports.DEFAULT_PORTS
    sdk_paths: ClassVar[tuple[str, ...] | None] = None
    describe_pythons: ClassVar[bool] = True  # probe the user's interpreter(s) (llmdoctor.interpreter)

    def reader(self, ctx: Context) -> SystemProxyReader:
        from llmdoctor.proxyenv.system import reader_for

        return reader_for(sys.platform, ctx.env)

    def run(self, ctx: Context) -> CheckResult:
        # The analysis modules load here, while the handshake waits (the check is `beside`), not at start.
        from llmdoctor.proxyenv.analysis import PYTHON_SIDE, analyse, observe

        prefetch("httpx")  # analyse() asks httpx itself; it loads while the OS is read and ports are probed
        # The machine is the same for every target: read it once per run (the class names the ports
        # and SDK paths it probes, the reader's type the OS it asks).
        reader = self.reader(ctx)
        pythons = None
        if self.describe_pythons and self.sdk_paths is None:
            from llmdoctor.interpreter import describe_once

            def pythons() -> list[PythonStack]:  # probed in a thread while the OS and ports are read
                return describe_once(ctx.env, ctx.settings.python)
        obs = ctx.memo.once(("proxy-env", type(self), type(reader)), lambda: observe(
            ctx.env, reader, self.scan_ports, self.sdk_paths, timeout=min(0.3, ctx.timeout()), pythons=pythons,
            memo=ctx.memo))
        analysis = analyse(ctx.env, [(ctx.target.name, ctx.target.base_url.value)], obs, ctx.dotenv)
        facts = analysis.facts()
        decisions = [d.to_dict() for d in analysis.targets[0].decisions]
        facts["decision"] = decisions
        python_side = [d for d in decisions if d["client"] in PYTHON_SIDE]
        if ctx.settings.proxy or ctx.settings.no_proxy:
            facts["overridden_by"] = "--proxy" if ctx.settings.proxy else "--no-proxy"
        return from_findings(summary_of(python_side), analysis.findings, facts)
