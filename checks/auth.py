"""The key against the API: the cheapest authenticated request, read by its status and its body."""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmdoctor.check import BaseCheck, run_probe

if TYPE_CHECKING:
    from llmdoctor.context import Context
    from llmdoctor.model import CheckResult


class AuthCheck(BaseCheck):
    """The key against the API: the cheapest authenticated request, read by status and body."""

    name = "auth"
    # tls (after tcp, dns, proxy): a broken path is reported there, where its cause is clearest.
    requires = ("key", "endpoint", "tls")
    phase = "api"
    writes = ("models", "models_total", "responses")
    budget_timeouts = 8  # the request, same-origin redirects, base-URL variants, the region probe
    # Loaded while the TLS handshake waits (the runner's preload), not at the run's start.
    # (httpx and the handed-connection transport: its first request needs them right after the handshake)
    preload = ("llmdoctor_checks.auth_probe", "httpx", "llmdoctor.net.reuse")

    def run(self, ctx: Context) -> CheckResult:
        return run_probe("llmdoctor_checks.auth_probe", "AuthProbe", ctx)
