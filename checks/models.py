"""The models the key can see, and whether the one the user names is among them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmdoctor.check import BaseCheck, run_probe

if TYPE_CHECKING:
    from llmdoctor.context import Context
    from llmdoctor.model import CheckResult


class ModelsCheck(BaseCheck):
    """The models the key can list, and whether the configured model is one of them."""

    name = "models"
    requires = ("auth",)
    phase = "api"
    # Loaded while the TLS handshake waits (the runner's preload), not at the run's start.
    preload = ("llmdoctor_checks.models_probe",)

    def run(self, ctx: Context) -> CheckResult:
        return run_probe(self.preload[0], "ModelsProbe", ctx)
