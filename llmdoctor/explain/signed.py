"""A token the client signed itself, said to be expired: the local clock or a stale cached token, not the key.

Zhipu's SDKs (zhipuai `core/_jwt_token.py`, and the hand-written helpers its docs show) sign a JWT from the
key with `exp = now + 3 min` from the local clock and cache it; the API answers code 1003 "Authorization
Token已过期" when that exp is already past by its clock. A new key makes the same token (zhipuai-sdk-python-v4#8,
#6): the key is not what failed. The text cannot tell a wrong clock from a token reused past its TTL, so both
are candidates; a bad key answers 1000/1002/1004 instead.
"""

from __future__ import annotations

import re

from llmdoctor.explain.match import Found
from llmdoctor.signatures.evidence import keep_stronger
from llmdoctor.signatures.prefilter import Lazy

_SIGNED_TOKEN_EXPIRED = Lazy(r"authorization token\s*(?:已过期|has expired|expired)", re.I)


def read(text: str, found: Found, vague: Found) -> None:
    """Opens an expired self-signed token between the clock and a stale token; leaves every other text alone."""
    scan = text[:200_000]
    if not _SIGNED_TOKEN_EXPIRED.search(scan, scan.lower()):
        return
    if "auth.invalid_key" in found:
        confidence, said = found.pop("auth.invalid_key")
        keep_stronger(vague, "auth.invalid_key", min(confidence, 0.5), said)
    keep_stronger(vague, "tls.clock_skew", 0.45, "The API says the token the client signed from the key (a JWT with "
                  "an expiry from the local clock) has expired: the computer's clock is behind, or a cached token "
                  "was reused past its few minutes.")
