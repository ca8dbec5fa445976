"""Readings that hold for a pasted answer but not for one the live run received (issue 16).

The live auth check knows whether it sent a key; a paste does not say. OpenRouter's 401 "No auth
credentials found" means no Authorization header arrived: in a live run that sent one, something moved
or dropped the header (`auth.wrong_header`, as the API table reads it); in a user's paste the usual
reason is that the key variable was never set, so the SDK sent no header at all. Both stay candidates;
the paste's reading comes first.
"""

from __future__ import annotations

import re

from llmdoctor.explain.match import Found
from llmdoctor.signatures.evidence import keep_stronger

_NO_CREDENTIALS = re.compile(r"no auth credentials found", re.I)


def read(text: str, found: Found) -> None:
    """Adjusts `found` for what only a paste can mean."""
    if ("auth.wrong_header" in found or not found) and _NO_CREDENTIALS.search(text[:200_000]):
        header = found.get("auth.wrong_header", (0.7, ""))[0]
        keep_stronger(found, "config.missing_key", max(header, 0.7) + 0.02,
                      "The server got no key at all: the key variable (OPENROUTER_API_KEY, OPENAI_API_KEY) was not "
                      "set where the program ran, so the SDK sent no Authorization header.")
