"""Key and path templates inside Chinese apps' and agent frameworks' wrappers (issue 16, keys, second pass)."""

from __future__ import annotations

from click.testing import CliRunner

from llmdoctor.cli import main
from llmdoctor.explain import explain


def _top(text: str) -> str:
    found = explain(text)
    assert found.recognised and found.causes
    return found.causes[0].id


def test_ragflow_data_false_is_a_failure_not_a_payload() -> None:
    # https://github.com/infiniflow/ragflow/issues/6256 (api/utils/api_utils.py: get_json_result(data=False, ...))
    assert _top('{"code":109,"data":false,"message":"Authentication error: API key is invalid!"}') == "auth.invalid_key"


def test_a_successful_payload_is_still_no_error() -> None:
    assert not explain('{"code":0,"data":{"id":"x"},"message":"success"}').recognised


def test_azure_hex_key_echoed_by_openai_is_another_providers_key() -> None:
    # https://github.com/microsoft/autogen/issues/2875
    text = ("Incorrect API key provided: 774ada94********************f98c. You can find your API key at "
            "https://platform.openai.com/account/api-keys. Status: 401 (Unauthorized) ErrorCode: invalid_api_key")
    assert _top(text) == "auth.key_wrong_provider"
    # an ordinary OpenAI key's echo stays a rejected key
    assert _top(text.replace("774ada94********************f98c", "sk-proj-****************************NBQA")) == \
        "auth.invalid_key"


def test_github_models_scope_is_permission_not_a_bad_key() -> None:
    # https://github.com/microsoft/ai-agents-for-beginners/issues/213 (Semantic Kernel ServiceResponseException)
    text = ("ServiceResponseException: (\"<class 'semantic_kernel.connectors.ai.open_ai.services."
            "open_ai_chat_completion.OpenAIChatCompletion'> service failed to complete the prompt\", "
            "AuthenticationError(\"Error code: 401 - "
            "{'error': {'code': 'unauthorized', 'message': 'The `models` permission is required to access this "
            "endpoint', 'details': 'The `models` permission is required to access this endpoint'}}\"))")
    assert _top(text) == "auth.permission_denied"


def test_moonshot_404_echoing_a_path_without_v1_is_the_base_url() -> None:
    # https://github.com/1Panel-dev/MaxKB/issues/190
    text = ("校验失败,请检查参数是否正确: Error code: 404 - {'code': 5, 'error': 'url.not_found', "
            "'message': '没找到对象', 'method': 'POST', 'scode': '0x5', 'status': False, "
            "'ua': 'OpenAI/Python 1.23.1', 'url': '/chat/completions'}")
    assert _top(text) == "config.base_url_invalid"
    # '/v1/responses' is a path Moonshot does not serve, not a base URL
    other = explain(text.replace("'/chat/completions'", "'/v1/responses'"))
    assert not other.causes or other.causes[0].id != "config.base_url_invalid" or other.ambiguous


def test_cli_names_the_base_url_for_moonshot_path() -> None:
    text = ("Error code: 404 - {'code': 5, 'error': 'url.not_found', 'message': '没找到对象', 'method': 'POST', "
            "'url': '/chat/completions'}")
    result = CliRunner().invoke(main, ["explain", text])
    assert "config.base_url_invalid" in result.output
    assert result.exit_code != 0


def test_ragflow_authorization_empty_is_no_key_or_header_and_says_so() -> None:
    # RAGFlow api/utils/api_utils.py token_required: get_json_result(data=False, message="`Authorization` can't be
    # empty"); quoted by its SDK tests (test_invalid_auth: (None, 0, "`Authorization` can't be empty"))
    found = explain('{"code":0,"data":false,"message":"`Authorization` can\'t be empty"}')
    assert found.ambiguous
    assert {c.id for c in found.causes[:2]} == {"config.missing_key", "auth.wrong_header"}
