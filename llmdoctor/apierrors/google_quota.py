"""Which quota a Google 429 ran out of: per minute (wait), per day or a tier with none (quota), or it does not say.

Gemini answers every quota with the same sentence, "You exceeded your current quota, please check your plan
and billing details" (ai.google.dev/gemini-api/docs/rate-limits), the sentence OpenAI uses for an unpaid
account. Google's own SDKs and Vertex add what tells them apart: QuotaFailure violations whose quotaId names
the window (GenerateRequestsPerMinutePerProjectPerModel-FreeTier, GenerateRequestsPerDayPerProjectPerModel),
"Quota exceeded for metric: ..., limit: 0" (the tier grants nothing for that model), or a limit named in words
("... Requests per day per user per tier", "..._requests_per_minute_per_project_..."). Without one of them,
or with minute and day windows both exceeded, the text alone does not tell which limit to wait for.
"""

from __future__ import annotations

import re
from typing import Any

_Found = dict[str, tuple[float, dict[str, Any]]]

_GOOGLE = re.compile(r"resource_exhausted|ai\.google\.dev/gemini-api|generativelanguage\.googleapis\.com|"
                     r"aiplatform\.googleapis\.com|cloudcode-pa\.googleapis\.com")
_DAY = re.compile(r"per ?day|per_day|_day\b|perprojectperday|\brpd\b")
_MINUTE = re.compile(r"per ?minute|per_minute|per ?min\b|\b(?:rpm|tpm)\b")
# the tier has no quota for this model at all: a free tier without the model, a key without billing
_NONE_GRANTED = re.compile(r"\blimit:\s*0\b|\"quotavalue\":\s*\\?\"0\\?\"")
# Gemini's sentence for every quota window
_SAME_WORDS = "exceeded your current quota"


_GOOGLE_PROVIDERS = ("gemini", "gemini-native", "vertex", "google")


def read(parsed_text: str, haystack: str, provider: str | None, found: _Found) -> bool:
    """Ranks quota.insufficient against ratelimit.exceeded for a Google answer; False when it is not one."""
    text = " ".join([haystack, parsed_text[:16384].lower()])
    if "quota.insufficient" not in found and "ratelimit.exceeded" not in found:
        return False
    if provider not in _GOOGLE_PROVIDERS and not _GOOGLE.search(text):
        return False
    day, minute = bool(_DAY.search(text)), bool(_MINUTE.search(text))
    found.pop("quota.insufficient", None)
    found.pop("ratelimit.exceeded", None)
    if _NONE_GRANTED.search(text):
        found["quota.insufficient"] = (0.9, {})
        found["ratelimit.exceeded"] = (0.4, {})
    elif day and not minute:
        found["quota.insufficient"] = (0.85, {})
        found["ratelimit.exceeded"] = (0.5, {})
    elif minute and not day:
        found["ratelimit.exceeded"] = (0.85, {})
        found["quota.insufficient"] = (0.45, {})
    elif day or _SAME_WORDS in text:
        # both windows exceeded, or Gemini's one sentence with no window: candidates, not a verdict
        found["ratelimit.exceeded"] = (0.5, {})
        found["quota.insufficient"] = (0.45, {})
    else:  # "Resource has been exhausted (e.g. check quota)": Google's throttling answer
        found["ratelimit.exceeded"] = (0.85, {})
        found["quota.insufficient"] = (0.45, {})
    return True
