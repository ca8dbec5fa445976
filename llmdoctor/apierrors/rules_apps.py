"""Rows for provider and server answers that coding agents' and chat apps' users meet (issue 16, clients class).

Same shape as `rules._RULE_TEXT` (cause, confidence, pattern over the lower-cased type, code, status, reasons and
message), kept in a block of their own. Each row is the server's own sentence, from its source or reference:

- Google APIs (cloud.google.com/docs/authentication; the ErrorInfo reasons of googleapis): a key sent to an API
  that takes only OAuth (Vertex AI's aiplatform.googleapis.com) is answered "API keys are not supported by this
  API. Expected OAuth2 access token ..." (reason CREDENTIALS_MISSING): the key may be fine, the endpoint is the
  wrong one for a key (the Gemini API, generativelanguage.googleapis.com, takes keys); a request carrying both a
  key and a Bearer token is refused with "Multiple authentication credentials received. Please pass only one."
  (INVALID_ARGUMENT): two credentials configured at once;
- llama.cpp's server (tools/server/server.cpp) answers 503 {"message": "Loading model", "type":
  "unavailable_error"} while it loads the model: busy, not broken - retry once it has loaded;
- gateways that cap the request body in bytes (Block's LLM gateway, 32 MiB): "Server received a request which
  exceeds maximum allowed content length. RequestSize(bytes): N, Limit(bytes): M" is a request too large, whatever
  status (400, 413) it comes with.
"""

from __future__ import annotations

RULE_TEXT: tuple[tuple[str, float, str], ...] = (
    ("auth.wrong_endpoint", 0.94, r"api keys are not supported by this api"),
    ("config.conflicting_keys", 0.93, r"multiple authentication credentials received"),
    ("server.overloaded", 0.9, r"unavailable_error|(?:^|exception - |message\W{1,4})loading model\b(?! from)"),
    ("request.too_large", 0.93, r"exceeds (?:the )?maximum allowed content length|requestsize\(bytes\)"),
)
