"""Rows for a key or account the provider has put in a state of its own (issue 16, provider answers).

Same shape as `rules._RULE_TEXT` (cause, confidence, pattern over the lower-cased type, code, status,
reasons and message). These answers arrive under a generic 403/400 (Google's PERMISSION_DENIED,
an `invalid_request_error`) whose words, not status, say what to do:

- Google (ai.google.dev/gemini-api/docs/troubleshooting, "Your API key was reported as leaked"): a key
  found in public code is blocked for good; the way out is a new key, as for a key that is wrong.
"""

from __future__ import annotations

RULE_TEXT: tuple[tuple[str, float, str], ...] = (
    # Google: a key reported as leaked is blocked; a new key is the fix, not a permission on the project
    ("auth.invalid_key", 0.94, r"api key was reported as leaked|reported as leaked\. please use another api key"),
)
