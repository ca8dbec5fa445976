"""Installed packages' versions and requirements, read from their METADATA headers only.

`importlib.metadata`'s `version` and `requires` parse the whole METADATA file with the email
package, long description included: ~1.5 ms a package on a 2-CPU VM, and a run asks for about
thirty (the report's package table, the SDK stacks, the plug-ins' distributions), 40-50 ms of
CPU a run. The core metadata fields come first, before a blank line (packaging's core metadata
spec), so reading the header lines gives the same answers. `importlib.metadata` still finds the
distribution: only the parsing is ours.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when first asked: importlib.metadata costs ~20 ms, and a run opens its path first
    from importlib import metadata


def headers(dist: metadata.Distribution) -> dict[str, list[str]]:
    """The METADATA header fields (a field may repeat, e.g. Requires-Dist), continuation lines joined."""
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    fields: dict[str, list[str]] = {}
    last: list[str] | None = None
    for line in text.splitlines():
        if not line.strip():
            break  # the body (the long description) follows the first blank line
        if line[0] in " \t" and last:
            last[-1] += " " + line.strip()
            continue
        key, sep, value = line.partition(":")
        if not sep:
            continue
        last = fields.setdefault(key.strip().lower(), [])
        last.append(value.strip())
    return fields


def field(dist: metadata.Distribution, name: str) -> str | None:
    values = headers(dist).get(name.lower())
    return values[0] if values else None


def find(name: str, paths: Sequence[str] | None = None) -> metadata.Distribution | None:
    """The distribution called `name` (in `paths`, site-packages folders, when given), or None."""
    from importlib import metadata

    try:
        if paths is None:
            return metadata.distribution(name)
        found = list(metadata.distributions(name=name, path=list(paths)))
        return found[0] if found else None
    except (metadata.PackageNotFoundError, ValueError, OSError):
        return None


def version(name: str, paths: Sequence[str] | None = None) -> str | None:
    """The installed version of `name`, or None when it is not installed (or its metadata is unreadable)."""
    dist = find(name, paths)
    if dist is None:
        return None
    try:
        return field(dist, "Version")
    except (OSError, UnicodeDecodeError):
        return None


def requires(dist: metadata.Distribution) -> list[str]:
    """The Requires-Dist lines, as `Distribution.requires` gives them for a wheel's METADATA."""
    try:
        found = headers(dist).get("requires-dist")
    except (OSError, UnicodeDecodeError):
        return []
    if found is not None:
        return found
    try:  # an .egg-info keeps them in requires.txt, which importlib.metadata reads
        return dist.requires or []
    except Exception:
        return []
