"""Leaves a message open when it names two causes itself ("invalid subscription key or wrong API endpoint").

The API rules read such a message's words and may settle on one of them; the text does not say which
it is, so both become candidates and the verdict goes to the ambiguity path (`signatures.ambiguity`).
The rows are data in `signatures.frameworks.EITHER` and `signatures.apps.EITHER`.
"""

from __future__ import annotations

import functools
import re

from llmdoctor.explain.match import Found
from llmdoctor.signatures.apps import EITHER as APP_EITHER
from llmdoctor.signatures.evidence import keep_stronger
from llmdoctor.signatures.frameworks import EITHER
from llmdoctor.signatures.prefilter import Lazy


@functools.cache
def _rows() -> tuple[tuple[Lazy, tuple[tuple[str, float], ...]], ...]:
    return tuple((Lazy(pattern, re.I), causes) for pattern, causes in (*EITHER, *APP_EITHER))


def read(text: str, found: Found, vague: Found) -> None:
    """Moves the causes an either-or message leaves open from `found` to `vague`, unless something else in the
    paste names a cause more surely than the message's own words do."""
    scan = text[:200_000]
    for pattern, causes in _rows():
        hit = pattern.search(scan, scan.lower())
        if not hit:
            continue
        open_ids = {cause for cause, _ in causes}
        stronger = [c for c, (confidence, _) in found.items() if c not in open_ids and confidence >= 0.9]
        if stronger:
            continue
        message = f"The error names two causes itself: {hit.group(0)!r}."
        for cause in list(found):  # what the message's words made of it becomes a candidate too
            if cause in open_ids or found[cause][0] < 0.9:
                confidence, said = found.pop(cause)
                keep_stronger(vague, cause, min(confidence, 0.5), said)
        for cause, confidence in causes:
            keep_stronger(vague, cause, confidence, message)
