# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""An Azure OpenAI client with no endpoint or no api-version: `config.azure_endpoint_missing`, on real texts
(tests/corpus/azure_config.jsonl, tuned part) and on the wordings of the clients' sources
(llmdoctor/signatures/azure_config.py names where each is raised)."""

from __future__ import annotations

import pytest
from helpers import reading

from llmdoctor.explain import explain
from llmdoctor.knowledge import builtin

CAUSE = "config.azure_endpoint_missing"

REAL = [
    ("ValueError('Must provide one of the `base_url` or `azure_endpoint` arguments, or the `AZURE_OPENAI_ENDPOINT` environment variable')",
     "https://github.com/infiniflow/ragflow/issues/1402"),
    ("Must provide one of the `baseURL` or `endpoint` arguments.",
     "https://github.com/Azure/azure-sdk-for-js/issues/31995"),
    ("ValueError: Must provide either the `api_version` argument or the `OPENAI_API_VERSION` environment variable",
     "https://github.com/openai/openai-python/issues/779"),
    ("openai.error.InvalidRequestError: An API version is required for the Azure API type.",
     "https://github.com/openinterpreter/openinterpreter/issues/719"),
    ("AI_LoadSettingError: Azure OpenAI resource name setting is missing. Pass it using the 'resourceName' parameter or the AZURE_RESOURCE_NAME environment variable.",
     "https://github.com/anomalyco/opencode/issues/11792"),
    ("azureOpenAIApiInstanceName is required when using azureOpenAIApiKey",
     "https://github.com/langchain-ai/langchainjs/issues/10998"),
]

# the clients' own wordings, as their sources raise them
SOURCE = [
    # openai-node src/azure.ts
    "OpenAIError: The OPENAI_API_VERSION environment variable is missing or empty; either provide it, or instantiate the AzureOpenAI client with an apiVersion option, like new AzureOpenAI({ apiVersion: 'My API Version' }).",
    "OpenAIError: Must provide one of the `baseURL` or `endpoint` arguments, or the `AZURE_OPENAI_ENDPOINT` environment variable",
    # a framework that re-quotes the names (LangChain's pydantic validator in older langchain-openai)
    "pydantic.error_wrappers.ValidationError: 1 validation error for AzureOpenAIEmbeddings\n__root__\n  Must provide one of the 'base_url' or 'azure_endpoint' arguments, or the 'AZURE_OPENAI_ENDPOINT' environment variable (type=value_error)",
    # @ai-sdk/provider-utils loadSetting where process is undefined (an edge runtime)
    "Azure OpenAI resource name setting is missing. Pass it using the 'resourceName' parameter. Environment variables are not supported in this environment.",
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("text", "source"), REAL)
def test_real_texts(text: str, source: str, lang: str) -> None:
    assert reading(explain(text, lang=lang)) == CAUSE, source


@pytest.mark.parametrize("text", SOURCE)
def test_source_wordings(text: str) -> None:
    assert reading(explain(text)) == CAUSE


def test_other_azure_set_up_errors_are_not_this() -> None:
    # both given is another mistake, and the key's own message is the missing key
    assert reading(explain("ValueError: base_url and azure_endpoint are mutually exclusive")) != CAUSE
    text = ("openai.OpenAIError: Missing credentials. Please pass one of `api_key`, `azure_ad_token`, "
            "`azure_ad_token_provider`, or the `AZURE_OPENAI_API_KEY` or `AZURE_OPENAI_AD_TOKEN` environment variables.")
    assert reading(explain(text)) == "config.missing_key"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_fix_names_the_variables_with_a_value_shape(lang: str) -> None:
    steps = " ".join(builtin().get(CAUSE).fix(lang))
    for needed in ('AZURE_OPENAI_ENDPOINT="https://your-resource.openai.azure.com"', 'OPENAI_API_VERSION="2024-10-21"',
                   'AZURE_RESOURCE_NAME="your-resource"'):
        assert needed in steps
