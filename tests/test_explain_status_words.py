"""A status said after a client's own word for a failure is read; a port, a size or a duration never is.

"Error: Groq error: 401" is a real text (tests/corpus, missing_key); the others are the same family of
wordings as clients and frameworks print them ("request failed with 401", "got a 429", "401 error").
"""

from __future__ import annotations

import pytest

from llmdoctor.explain import explain


@pytest.mark.parametrize(("text", "cause"), [
    ("Error: Groq error: 401", "auth.invalid_key"),
    ("Error: 401", "auth.invalid_key"),
    ("request failed with 401", "auth.invalid_key"),
    ("401 error when calling the API", "auth.invalid_key"),
    ("the upstream answered 529 overloaded", "server.overloaded"),
])
def test_a_status_after_a_failure_word_is_read(text: str, cause: str) -> None:
    result = explain(text.encode())
    assert result.recognised and not result.ambiguous
    assert result.causes[0].id == cause


@pytest.mark.parametrize("text", ["Groq error: 429", "got a 429 from the API", "the server returned 503"])
def test_a_bare_status_that_names_several_causes_is_said_so(text: str) -> None:
    result = explain(text.encode())
    assert result.ambiguous and len(result.causes) >= 2


@pytest.mark.parametrize("text", ["timeout after 500 ms", "failed: 443 refused", "connect to port 443 failed",
                                  "request body of 413 bytes"])
def test_a_number_that_is_no_status_names_no_api_cause(text: str) -> None:
    result = explain(text.encode())
    assert not any(c.layer == "api" for c in result.causes)
