"""prefetch imports in the background, once, and never raises for a module that is missing."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

from llmdoctor import prefetch as prefetching


def _wait_for(predicate: object, seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def test_a_module_is_imported_in_the_background_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "llmd_prefetch_probe.py").write_text("import threading\nLOADED_BY = threading.current_thread().name\n",
                                                    encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "llmd_prefetch_probe", raising=False)
    prefetching.prefetch("llmd_prefetch_probe")
    prefetching.prefetch("llmd_prefetch_probe")  # a second call starts nothing
    assert _wait_for(lambda: "llmd_prefetch_probe" in sys.modules and
                     hasattr(sys.modules["llmd_prefetch_probe"], "LOADED_BY"))
    loaded_by = sys.modules["llmd_prefetch_probe"].LOADED_BY
    assert loaded_by == "llmdoctor-prefetch-llmd_prefetch_probe" != threading.current_thread().name
    monkeypatch.delitem(sys.modules, "llmd_prefetch_probe")


def test_a_missing_module_is_no_error() -> None:
    prefetching.prefetch("llmd_no_such_module_anywhere")
    assert _wait_for(lambda: not any(t.name.endswith("llmd_no_such_module_anywhere") for t in threading.enumerate()))
    assert "llmd_no_such_module_anywhere" not in sys.modules
