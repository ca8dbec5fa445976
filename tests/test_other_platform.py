"""Providers with several platforms, regions or resources: a key of the other one gets the same 401 as a
bad key, so llmdoctor says both (the platforms are data: providers.json "other_platform")."""

from __future__ import annotations

import json

import pytest

from llmdoctor.api.findings import from_classified
from llmdoctor.apierrors import classify_response
from llmdoctor.config import CliValues, _target_for
from llmdoctor.providers import get

MOONSHOT_401 = {"error": {"message": "Invalid Authentication", "type": "invalid_authentication_error"}}
# DashScope compatible-mode 401 (help.aliyun.com/zh/model-studio/error-code)
DASHSCOPE_401 = {"error": {"message": "Incorrect API key provided. ", "type": "invalid_request_error", "param": None,
                           "code": "invalid_api_key"}, "request_id": "0ba4a8b4-2a6b-9d8f-a11d-2f0c4ad62e2a"}
AZURE_401 = {"error": {"code": "401", "message": "Access denied due to invalid subscription key or wrong API "
                       "endpoint. Make sure to provide a valid key for an active subscription and use a correct "
                       "regional API endpoint for your resource."}}


def _findings(provider: str, base: str, body: dict[str, object]) -> list[tuple[str, str, str]]:
    target = _target_for(get(provider), {}, {}, CliValues(provider=provider, base_url=base,
                                                          api_key="sk-" + "0123456789abcdef" * 2))
    found = classify_response(401, json.dumps(body), None, provider, "models")
    return [(f.code, f.severity.value, f.hint) for f in from_classified(found, target, f"GET {base}/models")]


@pytest.mark.parametrize("provider,base,body,other,words", [
    ("moonshot", "https://api.moonshot.ai/v1", MOONSHOT_401, "auth.wrong_region",
     ("https://api.moonshot.cn/v1", "https://api.moonshot.ai/v1")),
    ("dashscope", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", DASHSCOPE_401, "auth.wrong_region",
     ("https://dashscope.aliyuncs.com/compatible-mode/v1", "international")),
    ("azure", "https://contoso-eastus.openai.azure.com", AZURE_401, "auth.wrong_endpoint",
     ("another Azure OpenAI resource", "Keys and Endpoint")),
])
def test_a_401_says_bad_key_and_key_of_the_other_platform(provider: str, base: str, body: dict[str, object],
                                                          other: str, words: tuple[str, ...]) -> None:
    found = _findings(provider, base, body)
    assert [code for code, _, _ in found][:2] == ["auth.invalid_key", other], found
    assert found[0][1] == "fail" and found[1][1] == "warn"
    for hint in (found[0][2], found[1][2]):
        for word in words:
            assert word in hint, hint


def test_a_single_platform_provider_says_only_bad_key() -> None:
    found = _findings("openai", "https://api.openai.com/v1", {"error": {
        "message": "Incorrect API key provided: sk-abc***1234.", "type": "invalid_request_error",
        "code": "invalid_api_key"}})
    assert [code for code, _, _ in found] == ["auth.invalid_key"]
