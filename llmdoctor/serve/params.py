"""A /probe request's parameters: which target, and how long the probe may take.

The deadline follows blackbox_exporter: Prometheus sends its scrape timeout in the
`X-Prometheus-Scrape-Timeout-Seconds` header, and the probe keeps an offset of it (0.5 s by
default) so that it answers with its own failure before Prometheus gives up on the scrape.
`?timeout=` (for curl, scripts and scrape jobs that want less) can only shorten that, and
nothing goes beyond the server's cap. A problem is one line for a 400 that echoes nothing
the client sent: a query string may carry what someone pasted there by mistake, such as a key.
"""

from __future__ import annotations

import math
import urllib.parse
from collections.abc import Collection
from dataclasses import dataclass

TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds"
DEFAULT_TIMEOUT = 10.0  # Prometheus' default scrape_timeout, for a request that names none
MAX_TIMEOUT = 60.0
TIMEOUT_OFFSET = 0.5
MIN_TIMEOUT = 0.1
_ACCEPTED = ("target", "timeout")
_MAX_FIELDS = 8
_MAX_LISTED = 20


class BadRequest(ValueError):
    """One line for the client, answered with status 400."""


@dataclass(frozen=True)
class ProbeRequest:
    target: str
    timeout_s: float


def _seconds(text: str, what: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise BadRequest(f"{what} must be a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise BadRequest(f"{what} must be a positive number of seconds")
    return value


def _known_list(known: Collection[str]) -> str:
    names = sorted(known)
    shown = ", ".join(names[:_MAX_LISTED]) + (", ..." if len(names) > _MAX_LISTED else "")
    return shown or "none configured"


def parse(query: str, header: str | None, known: Collection[str], *, max_timeout: float = MAX_TIMEOUT,
          default_timeout: float = DEFAULT_TIMEOUT, offset: float = TIMEOUT_OFFSET) -> ProbeRequest:
    """The target and the probe's timeout, or BadRequest."""
    try:
        fields = urllib.parse.parse_qs(query, keep_blank_values=True, max_num_fields=_MAX_FIELDS,
                                       errors="strict")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest(f"the query string is malformed (at most {_MAX_FIELDS} parameters)") from None
    if set(fields) - set(_ACCEPTED):
        raise BadRequest("unknown parameter: /probe takes only target= and timeout= "
                         "(URLs and keys come from the server's configuration)")
    for name, values in fields.items():
        if len(values) > 1:
            raise BadRequest(f"{name} is given more than once")
    target = (fields.get("target") or [""])[0]
    if not target:
        raise BadRequest(f"the target parameter is missing (known targets: {_known_list(known)})")
    if target not in known:
        raise BadRequest(f"unknown target (known targets: {_known_list(known)})")
    timeout = default_timeout
    asked = fields["timeout"][0] if "timeout" in fields else None
    from_header = header is not None and bool(header.strip())
    if from_header:
        scrape = _seconds(str(header), TIMEOUT_HEADER)
        # What Prometheus allows, less the offset; a scrape timeout under twice the offset keeps half.
        timeout = scrape - offset if scrape > 2 * offset else scrape / 2
    if asked is not None:
        wanted = _seconds(asked, "timeout")
        timeout = min(timeout, wanted) if from_header else wanted
    return ProbeRequest(target, max(MIN_TIMEOUT, min(timeout, max_timeout)))
