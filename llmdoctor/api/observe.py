"""What every API answer tells beyond its body: request ids for support tickets, rate-limit headers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-oneapi-request-id", "apim-request-id", "x-ms-request-id",
                      "cf-ray")
_RATE_HEADER = re.compile(r"^(x-ratelimit-|anthropic-ratelimit-|ratelimit-|retry-after)", re.I)
MAX_REQUEST_IDS = 10


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def request_ids(headers: Mapping[str, str], at: str) -> list[dict[str, str]]:
    """`[{"header", "value", "at"}]`; the report gathers them so a user can quote them to support."""
    return [{"header": name, "value": headers[name][:128], "at": at} for name in REQUEST_ID_HEADERS
            if headers.get(name)]


def rate_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: v[:100] for k, v in headers.items() if _RATE_HEADER.match(k)}


def observation(label: str, status: int | None, headers: Mapping[str, str], at: str) -> dict[str, Any]:
    """One response as later checks read it (rate-limits reads `rate_headers`, relative to `at`)."""
    return {"request": label, "status": status, "at": at, "rate_headers": rate_headers(headers)}


def merge_ids(into: list[dict[str, str]], more: list[dict[str, str]]) -> None:
    for item in more:
        if len(into) < MAX_REQUEST_IDS and item not in into:
            into.append(item)
