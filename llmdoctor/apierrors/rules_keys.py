"""Rows for what an API says about the key's organization, project and model access (issue 16, keys class).

Same shape as `rules._RULE_TEXT` (cause, confidence, pattern over the lower-cased haystack), in a block of
their own. Wordings from OpenAI's error-code guide and answers quoted in issue threads:

- "No such organization: org-…" / code `invalid_organization`, "OpenAI-Organization header should match
  organization for API key" (`mismatched_organization`), and the same for `OpenAI-Project`: the key is
  fine, the organization or project header names one it does not belong to (401, typed
  invalid_request_error, so the 401 fallback would call it a bad key);
- "Project `proj_…` does not have access to model `gpt-4o`" (403, code `model_not_found`) and "You are not
  allowed to sample from this model": the model is not enabled for the key's project, the same way out as a
  model that does not exist (pick another or enable it), not a bad request.
"""

from __future__ import annotations

RULE_TEXT: tuple[tuple[str, float, str], ...] = (
    ("auth.permission_denied", 0.9,
     r"invalid_organization|no such organization|mismatched_project|"
     r"openai-(?:organization|project) header should match"),
    ("model.not_found", 0.9,
     r"project `?[\w-]*`? does not have access to model|not allowed to sample from this model"),
)
