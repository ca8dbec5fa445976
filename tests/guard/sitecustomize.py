"""Guard every Python process started with tests/guard first on PYTHONPATH (the CLI under test).

Python imports the first `sitecustomize` on sys.path; if another one exists further down
the path (a distribution's), it is run afterwards so we do not silently replace it.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys

import loopback_guard

loopback_guard.install(report_to_stderr=True)


def _chain_next_sitecustomize() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.loader is None or spec.origin == os.path.abspath(__file__):
        return
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)


_chain_next_sitecustomize()
