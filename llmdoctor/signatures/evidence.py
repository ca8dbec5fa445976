"""The one rule by which every source of evidence adds a cause to what was found.

The live API classifier, the pasted-text matcher and the status fallbacks all collect
`cause -> (confidence, payload)`; a weaker sighting of a cause must never lower a stronger one.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def keep_stronger(found: dict[str, tuple[float, T]], cause: str, confidence: float, payload: T) -> None:
    """Adds `cause` unless it is already there with at least this confidence."""
    if cause not in found or found[cause][0] < confidence:
        found[cause] = (confidence, payload)
