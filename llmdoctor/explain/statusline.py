"""An HTTP library's own line for a status says the status and its reason phrase, nothing about the cause.

httpx's `raise_for_status()` prints "Client error '429 Too Many Requests' for url '...'" and a link to MDN
(httpx/_models.py), requests' prints "429 Client Error: Too Many Requests for url: ..." (requests/models.py),
urllib's HTTPError "HTTP Error 429: Too Many Requests", aiohttp's ClientResponseError "429, message='Too Many
Requests', url=...", and fetch wrappers "429 Too Many Requests". "Too Many Requests", "Service Unavailable",
"Forbidden" or "Not Found" there is the status said again in words: a 429 that way may be a rate limit or
an exhausted quota, a 404 a wrong model or a wrong path. So explain reads such a text as the status alone,
which lets the open statuses (rank._STATUS_ONLY_OPEN) say that the text does not tell.
"""

from __future__ import annotations

import re

from llmdoctor.signatures.prefilter import Lazy

_LIBRARY_LINES = Lazy(
    r"(?:informational response|redirect response|client error|server error) '\d{3}[^'\n]*' for url '[^'\n]*'"
    r"(?:\s*for more information check: \S+)?"  # httpx
    r"|\b\d{3} (?:client|server) error: [^\n]*? for url: \S+"  # requests
    r"|\bhttp error \d{3}: [^\n]*"  # urllib.error.HTTPError
    r"|\b\d{3}, message='[^'\n]*', url=\S+",  # aiohttp.ClientResponseError
    re.I)
_STATUS_AND_WORDS = re.compile(r"\b([1-5]\d\d)([ :,-]+)([A-Za-z][A-Za-z' -]{1,40})")


def _phrase(status: int) -> str:
    from http import HTTPStatus  # stdlib, loaded only for a text with a status

    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return ""


def strip(message: str) -> str:
    """`message` without the library status lines and without a standard reason phrase after its status."""
    message = _LIBRARY_LINES.compiled().sub(" ", message) if _LIBRARY_LINES.search(message) else message

    def drop_phrase(match: re.Match[str]) -> str:
        phrase = _phrase(int(match.group(1)))
        words = match.group(3)
        rest = words[len(phrase):]
        # only the phrase as a whole: "404 Not found the model X" goes on to say which model
        if phrase and words.lower().startswith(phrase) and not re.match(r"\s*[A-Za-z]", rest):
            return match.group(1) + match.group(2) + rest
        return match.group(0)

    return _STATUS_AND_WORDS.sub(drop_phrase, message)

