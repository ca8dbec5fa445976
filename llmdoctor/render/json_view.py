"""The one JSON writer: every document (report, explain, env, checks) as is, UTF-8, two-space indent.

Each document carries its own `schema_version` (llmdoctor/documents.py); all are described in
docs/report-schema.md. `default=str` keeps a stray non-JSON value (a Path, an enum) from crashing a run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def render_json(data: Mapping[str, Any]) -> str:
    """The document as text, ending in one newline (what `--json` prints and `--output x.json` saves)."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
