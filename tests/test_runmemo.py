"""Machine-wide facts are measured once per run, however many targets ask at the same moment."""

from __future__ import annotations

import dataclasses
import threading
import time
from types import MappingProxyType
from typing import ClassVar

import pytest

from checks.proxy_env import ProxyEnvCheck
from llmdoctor.config import Settings
from llmdoctor.context import Context
from llmdoctor.deadline import Deadline
from llmdoctor.plugins import LoadedCheck
from llmdoctor.proxyenv.system import SystemProxyReader, SystemProxySettings
from llmdoctor.runmemo import RunMemo
from llmdoctor.runner import run_all
from tests.helpers import make_target


def _together(count: int, call: object) -> list[object]:
    """Runs `call()` in `count` threads released at once; their answers (or exceptions)."""
    start = threading.Barrier(count)
    answers: list[object] = [None] * count

    def worker(index: int) -> None:
        start.wait()
        try:
            answers[index] = call()  # type: ignore[operator]
        except Exception as exc:
            answers[index] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return answers


def test_the_first_caller_computes_and_the_others_get_its_answer() -> None:
    memo, calls = RunMemo(), []

    def compute() -> object:
        calls.append(1)
        time.sleep(0.05)  # the others arrive while it works
        return object()

    answers = _together(8, lambda: memo.once("machine", compute))
    assert len(calls) == 1
    assert all(a is answers[0] for a in answers) and answers[0] is not None


def test_a_failure_reaches_every_caller() -> None:
    memo, calls = RunMemo(), []

    def compute() -> object:
        calls.append(1)
        time.sleep(0.05)
        raise OSError("gsettings hung up")

    answers = _together(4, lambda: memo.once("machine", compute))
    assert len(calls) == 1
    assert all(isinstance(a, OSError) and str(a) == "gsettings hung up" for a in answers)
    with pytest.raises(OSError):
        memo.once("machine", lambda: "not asked again")


def test_different_keys_are_different_facts() -> None:
    memo = RunMemo()
    assert memo.once("a", lambda: 1) == 1
    assert memo.once("b", lambda: 2) == 2
    assert memo.once("a", lambda: 3) == 1


class _CountingReader:
    reads: ClassVar[list[int]] = []

    def read(self) -> SystemProxySettings:
        _CountingReader.reads.append(1)
        time.sleep(0.05)
        return SystemProxySettings("linux", enabled=True, servers={"https": "127.0.0.1:7890"}, source="test")


class _OncePerRunProxyEnv(ProxyEnvCheck):
    scan_ports = ()
    sdk_paths = ("/nonexistent-site-packages",)

    def reader(self, ctx: Context) -> SystemProxyReader:
        return _CountingReader()


def test_eight_targets_read_the_machine_once() -> None:
    _CountingReader.reads = []
    check = _OncePerRunProxyEnv()
    loaded = LoadedCheck.of(check)
    targets = [dataclasses.replace(make_target("relay", f"https://127.0.0.1:{9000 + i}/v1", "sk-test-0000000000000000"),
                                   name=f"t{i}") for i in range(8)]
    settings = Settings()
    outcomes = run_all(targets, [loaded], settings, MappingProxyType({}), MappingProxyType({}),
                       Deadline(settings.deadline))
    assert len(_CountingReader.reads) == 1
    systems = [results[0].facts["system"] for results in outcomes.values()]
    assert len(systems) == 8 and all(s == systems[0] for s in systems)
    assert systems[0]["servers"] == {"https": "127.0.0.1:7890"}
