"""One minimal generation, streamed then not (opt-in: it costs tokens): credit, model access, streaming,
and whether the official SDK could parse each answer (llmdoctor/api/shape.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmdoctor.check import BaseCheck, run_probe

if TYPE_CHECKING:
    from llmdoctor.context import Context
    from llmdoctor.model import CheckResult


class CompletionCheck(BaseCheck):
    """One minimal streamed generation (opt-in, costs tokens): credit, model access, streaming."""

    name = "completion"
    requires = ("auth",)
    phase = "api"
    opt_in = True  # costs a few tokens: --enable completion (or --probe-completion)
    writes = ("ttfb_ms", "responses")
    budget_timeouts = 6  # the streamed request, then the same one not streamed
    # Loaded while the TLS handshake waits (the runner's preload), not at the run's start.
    preload = ("llmdoctor_checks.completion_probe",)

    def run(self, ctx: Context) -> CheckResult:
        return run_probe(self.preload[0], "CompletionProbe", ctx)
