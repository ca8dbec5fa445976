"""Every JSON document starts with schema_version, kind and tool, and docs/report-schema.md names each version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from llmdoctor import __version__, exitcodes
from llmdoctor.cli import main
from llmdoctor.documents import SCHEMA_VERSIONS, header

DOC = Path(__file__).resolve().parent.parent / "docs" / "report-schema.md"


@pytest.mark.parametrize("kind", sorted(SCHEMA_VERSIONS))
def test_the_schema_doc_names_every_kind_and_its_version(kind: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert f"| `{kind}` |" in text and f"| {SCHEMA_VERSIONS[kind]} |" in text, kind
    assert f"{kind} {SCHEMA_VERSIONS[kind]}" in text.splitlines()[0], "the title lists every kind's version"


def test_header_is_the_same_three_keys_for_every_kind() -> None:
    for kind, version in SCHEMA_VERSIONS.items():
        assert header(kind) == {"schema_version": version, "kind": kind,
                                "tool": {"name": "llmdoctor", "version": __version__}}
    with pytest.raises(KeyError):
        header("no-such-kind")


@pytest.mark.parametrize(("args", "kind", "code"), [
    (["checks", "--json"], "checks", exitcodes.OK),
    (["explain", "--json", "httpx.ProxyError: 407 Proxy Authentication Required"], "explain", exitcodes.PROBLEM),
    (["explain", "--json", "nothing anyone would recognise"], "explain", exitcodes.OK),
])
def test_offline_commands_write_their_kind(args: list[str], kind: str, code: int) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code, result.output
    data = json.loads(result.stdout)
    assert list(data)[:3] == ["schema_version", "kind", "tool"]
    assert data["kind"] == kind and data["schema_version"] == SCHEMA_VERSIONS[kind]
