"""The private httpx names llmdoctor uses are still where llmdoctor/httpx_internals.py expects them.

When an httpx upgrade moves one, this test fails with a line naming the name and the module to fix,
instead of a run failing somewhere deep in net/proxies.py or net/reuse.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from llmdoctor import httpx_internals

ROOT = Path(__file__).resolve().parent.parent


def test_the_private_httpx_names_are_still_there() -> None:
    problems = httpx_internals.problems()
    assert problems == [], "httpx moved names llmdoctor uses; fix llmdoctor/httpx_internals.py:\n" + "\n".join(
        problems)


def _private_uses(path: Path) -> list[str]:
    """`httpx._x` / `httpcore._x` modules imported, and `._pool` read or written, in one source file."""
    uses: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("httpx", "httpcore"):
            if any(part.startswith("_") for part in node.module.split(".")[1:]):
                uses.append(f"line {node.lineno}: from {node.module} import …")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                root, *rest = alias.name.split(".")
                if root in ("httpx", "httpcore") and any(p.startswith("_") for p in rest):
                    uses.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(
                ("httpx._", "httpcore._")):
            uses.append(f"line {node.lineno}: {node.value!r}")
        elif isinstance(node, ast.Attribute) and node.attr == "_pool" and not (
                isinstance(node.value, ast.Name) and node.value.id == "self" and path.name == "reuse.py"):
            uses.append(f"line {node.lineno}: ._pool")
    return uses


def test_no_other_module_touches_httpx_internals() -> None:
    """Only llmdoctor/httpx_internals.py may name httpx's or httpcore's private modules or the transport's pool."""
    found = {}
    for package in ("llmdoctor", "checks"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name == "httpx_internals.py":
                continue
            uses = _private_uses(path)
            if uses:
                found[str(path.relative_to(ROOT))] = uses
    assert found == {}, f"move these into llmdoctor/httpx_internals.py: {found}"


def test_the_checker_sees_a_private_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from httpx._utils import URLPattern\nimport httpcore._sync\nt._pool = 1\n", encoding="utf-8")
    assert len(_private_uses(sample)) == 3


def test_a_moved_name_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard itself: with URLPattern gone from httpx._utils, problems() says so and names the module."""
    import httpx._utils

    monkeypatch.delattr(httpx._utils, "URLPattern")
    problems = httpx_internals.problems()
    assert any("URLPattern" in p and "llmdoctor/httpx_internals.py" in p for p in problems), problems
