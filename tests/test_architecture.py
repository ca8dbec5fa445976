"""The house's rules, read from the source (ast, no import): no import circles, and the layers' directions.

Every `import` counts, also those inside functions (lazy imports keep start-up fast, but a circle between
two modules is a shared vocabulary without a home whether it runs at import time or later) and those under
`TYPE_CHECKING`. docs/architecture.md draws the same picture in words; change both together.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("llmdoctor", "checks")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


def _targets(node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    """The project modules an import statement names; `from pkg import mod` names pkg.mod when it is one."""
    names: set[str] = set()
    if isinstance(node, ast.Import):
        for alias in node.names:
            parts = alias.name.split(".")
            for end in range(len(parts), 0, -1):  # `import a.b.c` imports the deepest project module named
                if ".".join(parts[:end]) in known:
                    names.add(".".join(parts[:end]))
                    break
        return names
    if node.level or not node.module:
        raise AssertionError(f"relative import at line {node.lineno}: the house uses absolute imports")
    for alias in node.names:
        full = f"{node.module}.{alias.name}"
        if full in known:
            names.add(full)
        elif node.module in known:
            names.add(node.module)
    return names


@functools.cache
def import_graph() -> dict[str, set[str]]:
    """module -> the project modules it imports (anywhere in its body); read once per test session."""
    modules = _modules()
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                edges |= _targets(node, known)
        edges.discard(name)
        graph[name] = edges
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_the_graph_sees_the_project() -> None:
    graph = import_graph()
    assert "llmdoctor.cli" in graph and "checks.dns" in graph
    assert "llmdoctor.exitcodes" in graph["llmdoctor.cli"]  # `from llmdoctor import exitcodes` is an edge
    assert "llmdoctor.config" in graph["llmdoctor.commands.run_cmd"]  # an import inside a function counts


def test_the_cycle_finder_finds_a_circle() -> None:
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles() -> None:
    cycles = find_cycles(import_graph())
    assert cycles == [], "import circles (give the shared names a module of their own): " + "; ".join(
        " <-> ".join(c) for c in cycles)


# (importer prefix, imported prefix, why): the directions the layers must not take.
FORBIDDEN = (
    ("checks", "llmdoctor.commands", "a check returns results; commands are the CLI's doors"),
    ("checks", "llmdoctor.render", "a check never lays out output: renderers never compute, checks never render"),
    ("checks", "llmdoctor.cli", "a check does not know the command line"),
    ("llmdoctor.render", "llmdoctor.net", "a view lays out data it is given; it never touches the network"),
    ("llmdoctor.render", "checks", "a view knows the report's data, not the checks that made it"),
    ("llmdoctor.net", "checks", "the network layer is the checks' tool, never the other way round"),
    ("llmdoctor.net", "llmdoctor.commands", "the network layer does not know the command line"),
    ("llmdoctor.net", "llmdoctor.render", "the network layer never prints"),
    ("llmdoctor", "checks", "the engine knows no check by module: checks arrive through the entry points"),
)


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


@pytest.mark.parametrize(("importer", "imported", "why"), FORBIDDEN)
def test_layering(importer: str, imported: str, why: str) -> None:
    graph = import_graph()
    broken = sorted(f"{src} -> {dst}" for src, dsts in graph.items() if _under(src, importer)
                    for dst in dsts if _under(dst, imported))
    assert broken == [], f"{importer} must not import {imported} ({why}): {broken}"


# The floor of the house: plain vocabulary every part may import, which imports no other part in turn.
FOUNDATION = ("llmdoctor.model", "llmdoctor.secrets", "llmdoctor.urls", "llmdoctor.exitcodes", "llmdoctor.language",
              "llmdoctor.documents", "llmdoctor.deadline", "llmdoctor.runmemo", "llmdoctor.providers",
              "llmdoctor.httpx_internals")


@pytest.mark.parametrize("module", FOUNDATION)
def test_the_foundation_imports_no_other_part(module: str) -> None:
    imported = import_graph()[module]
    assert imported <= {"llmdoctor"}, f"{module} is vocabulary: it must not import {sorted(imported)}"
