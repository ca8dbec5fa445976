"""The JSON view: the report's data as is (schema in docs/report-schema.md)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def render_json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
