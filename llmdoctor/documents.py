"""The JSON documents llmdoctor writes, each with its own `schema_version`, kept in one table.

Four kinds: `report` (`llmdoctor --json`, `--output x.json`), `explain` (`llmdoctor explain --json`),
`env` (`llmdoctor env --json`) and `checks` (`llmdoctor checks --json`). Each document starts with
the same three keys so a consumer can tell them apart: `schema_version`, `kind`, `tool`. The rules
for a version bump (a new key is minor; a removed, renamed or re-typed key is major) and every
kind's keys are in docs/report-schema.md; render/json_view.py is the one writer.
"""

from __future__ import annotations

from typing import Any

from llmdoctor import __version__

SCHEMA_VERSIONS = {
    "report": "1.1",  # 1.1: `kind` added
    "explain": "1.2",  # 1.2: `likely` added
    "env": "1.1",  # 1.1: `kind` and `tool` added
    "checks": "1.0",  # 1.0: the listing's first versioned form
}


def header(kind: str) -> dict[str, Any]:
    """The keys every document starts with; KeyError for a kind without a schema version."""
    return {"schema_version": SCHEMA_VERSIONS[kind], "kind": kind,
            "tool": {"name": "llmdoctor", "version": __version__}}
