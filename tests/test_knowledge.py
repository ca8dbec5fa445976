"""The knowledge base is complete, bilingual and well-formed, and the doc table never drifts from it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from llmdoctor import apierrors, knowledge
from llmdoctor.explain.parse import _PROVIDER_HINTS
from llmdoctor.knowledge import load, parse
from llmdoctor.language import detect_lang

MINIMUM_TEXT = """config.missing_key
config.key_malformed config.base_url_invalid auth.invalid_key auth.key_wrong_provider
auth.wrong_endpoint auth.permission_denied auth.region_blocked quota.insufficient ratelimit.exceeded request.too_large
request.invalid model.not_found endpoint.not_found endpoint.not_an_api server.overloaded server.error gateway.error
env.socks_dependency_missing env.proxy_misconfigured env.proxy_bypassed dns.failure dns.hijacked proxy.unreachable
proxy.not_responding proxy.auth_failed proxy.upstream_failed proxy.protocol_mismatch net.connect_refused
net.connect_timeout net.ipv6_broken net.read_timeout net.stream_stalled tls.verify_failed tls.intercepted
tls.clock_skew tls.handshake_reset tls.protocol_mismatch config.key_whitespace config.key_placeholder
config.insecure_http config.conflicting_keys config.env_mismatch config.misspelled_variable auth.wrong_header
auth.wrong_region ratelimit.relay_saturated env.sdk_incompatible env.system_proxy_ignored proxy.socks_handshake_hang
net.unreachable net.client_timeout_too_short net.slow_first_byte net.stream_buffered tls.ca_bundle_missing
tls.trust_store_mismatch tls.hostname_mismatch tls.expired tls.self_signed tls.unknown_ca"""
MINIMUM = MINIMUM_TEXT.split()
PROVIDERS = {"openai", "anthropic", "gemini", "gemini-native", "deepseek", "moonshot", "dashscope", "openrouter",
             "relay-anthropic",  # advice only: a relay behind ANTHROPIC_BASE_URL (api.build.advice_provider)
             "azure", "groq", "mistral", "ollama", "relay"}
# ... and the providers explain names from a pasted text alone (explain/parse.py: Zhipu, Qianfan, Spark, ...): a fix
# of theirs is said when the paste names them, no live target needed
PROVIDERS |= {name for name, _ in _PROVIDER_HINTS}
ID_RE = re.compile(r"^[a-z0-9]+(\.[a-z0-9_]+)+$")
HAN = re.compile(r"[\u4e00-\u9fff]")


def raw() -> dict[str, object]:
    data: dict[str, object] = {"causes": knowledge.read_entries()}
    return data


ENTRIES = raw()["causes"]
assert isinstance(ENTRIES, list)


def test_every_minimum_id_exists() -> None:
    missing = sorted(set(MINIMUM) - set(load().ids()))
    assert missing == []


def test_ids_are_well_formed_and_category_matches() -> None:
    for entry in ENTRIES:
        assert ID_RE.match(entry["id"]), entry["id"]
        assert entry["category"] == entry["id"].split(".")[0]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["id"])
def test_every_text_field_is_bilingual_and_non_empty(entry: dict[str, object]) -> None:
    for field in ("title", "explanation", "evidence"):
        value = entry[field]
        assert isinstance(value, dict) and set(value) == {"en", "zh"}, field
        assert value["en"].strip() and value["zh"].strip(), field
        assert HAN.search(value["zh"]), f"{field}.zh should be Chinese"
        assert not HAN.search(value["en"]) or "当前分组" in value["en"] or "令牌" in value["en"] \
            or "额度" in value["en"] or "无可用渠道" in value["en"], f"{field}.en should be English"
    fix = entry["fix"]
    assert isinstance(fix, dict) and set(fix) == {"en", "zh"}
    assert fix["en"] and len(fix["en"]) == len(fix["zh"])
    assert all(step.strip() for step in fix["en"] + fix["zh"])
    for provider, steps in (entry.get("fix_by_provider") or {}).items():
        assert provider in PROVIDERS, provider
        assert set(steps) <= {"en", "zh", "replace"} and steps.get("replace", False) in (True, False)
        assert steps["en"] and len(steps["en"]) == len(steps["zh"])
        assert all(step.strip() for step in steps["en"] + steps["zh"])
    for provider in entry.get("docs_by_provider") or {}:
        assert provider in PROVIDERS, provider
    assert entry["retry"] in ("no", "yes", "after_wait")
    for url in list(entry["docs"]) + [u for urls in (entry.get("docs_by_provider") or {}).values() for u in urls]:
        assert url.startswith("https://"), url


def test_every_cause_has_some_documentation_or_provider_fix() -> None:
    kb = load()
    for cause_id in kb.ids():
        cause = kb.get(cause_id)
        assert cause.fix("en"), cause_id


def test_cause_api_picks_language_and_provider() -> None:
    cause = load().get("quota.insufficient")
    assert cause.title("en") == "Your account has no credit or quota left"
    assert HAN.search(cause.title("zh"))
    assert cause.title("fr") == cause.title("en")  # unknown languages fall back to English
    deepseek = cause.fix("en", "deepseek")
    assert "platform.deepseek.com/top_up" in deepseek[0]
    assert deepseek[1:] == cause.fix("en")
    assert "platform.deepseek.com/top_up" in cause.fix("zh", "deepseek")[0]
    assert cause.fix("en", "no-such-provider") == cause.fix("en")
    assert cause.retry == "no"
    assert load().get("ratelimit.exceeded").retry == "after_wait"


def test_docs_put_provider_links_first() -> None:
    cause = load().get("ratelimit.exceeded")
    assert cause.docs("anthropic")[0] == "https://docs.anthropic.com/en/api/rate-limits"
    assert cause.docs("openai")[0] == "https://platform.openai.com/docs/guides/rate-limits"
    assert len(set(cause.docs("openai"))) == len(cause.docs("openai"))


def test_gemini_native_falls_back_to_gemini_text() -> None:
    cause = load().get("auth.invalid_key")
    assert "aistudio.google.com/apikey" in cause.fix("en", "gemini-native")[0]


def test_provider_key_pages_are_named() -> None:
    fix = load().get("auth.invalid_key")
    pages = {"openai": "platform.openai.com/api-keys", "anthropic": "console.anthropic.com/settings/keys",
             "gemini": "aistudio.google.com/apikey", "deepseek": "platform.deepseek.com",
             "moonshot": "platform.moonshot.ai", "dashscope": "dashscope-intl",
             "openrouter": "openrouter.ai/settings/keys", "azure": "portal.azure.com",
             "groq": "console.groq.com", "mistral": "console.mistral.ai"}
    for provider, page in pages.items():
        assert page in " ".join(fix.fix("en", provider)), provider


def test_load_is_cached() -> None:
    assert load() is load()


def test_unknown_id_raises_key_error() -> None:
    with pytest.raises(KeyError):
        load().get("no.such_cause")
    assert "no.such_cause" not in load()
    assert "dns.failure" in load()


def test_parse_refuses_bad_data() -> None:
    entry = dict(ENTRIES[0])
    with pytest.raises(ValueError, match="duplicate"):
        parse({"causes": [entry, entry]})
    with pytest.raises(ValueError, match="retry"):
        parse({"causes": [{**entry, "retry": "maybe"}]})
    with pytest.raises(ValueError, match="layer"):
        parse({"causes": [{**entry, "layer": "astral"}]})


def test_every_layer_is_known() -> None:
    for entry in ENTRIES:
        assert entry["layer"] in knowledge.LAYERS


def test_every_cause_the_classifier_emits_is_in_the_kb() -> None:
    package = Path(apierrors.__file__).parent  # apierrors/ and the signature table both emit causes
    source = "\n".join(p.read_text(encoding="utf-8")
                       for folder in (package, package.parent / "signatures") for p in sorted(folder.glob("*.py")))
    emitted = set(re.findall(r'"((?:auth|config|quota|ratelimit|request|model|endpoint|server|gateway|proxy|net|tls|'
                             r'dns|env)\.[a-z0-9_]+)"', source))
    assert emitted
    assert sorted(emitted - set(load().ids())) == []


@pytest.mark.parametrize(("env", "lang"), [
    ({}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),
    ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US"}, "zh"),
    ({"LC_ALL": "", "LANG": "zh_SG"}, "zh"),
])
def test_detect_lang(env: dict[str, str], lang: str) -> None:
    assert detect_lang(env) == lang


def test_docs_causes_md_lists_every_id() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "causes.md").read_text(encoding="utf-8")
    kb = load()
    for cause_id in kb.ids():
        assert f"`{cause_id}`" in doc, cause_id
        assert kb.get(cause_id).title("en") in doc, cause_id
        assert kb.get(cause_id).evidence("en").replace("|", "\\|") in doc, cause_id


def test_every_cause_id_the_engine_and_checks_emit_is_in_the_kb() -> None:
    root = Path(__file__).resolve().parent.parent
    pattern = re.compile(r'"((?:auth|config|quota|ratelimit|request|model|endpoint|server|gateway|proxy|net|tls|'
                         r'dns|env)\.[a-z0-9_]+)"')
    emitted: dict[str, set[str]] = {}
    for path in [*root.joinpath("llmdoctor").rglob("*.py"), *root.joinpath("checks").rglob("*.py")]:
        for cause_id in pattern.findall(path.read_text(encoding="utf-8")):
            emitted.setdefault(cause_id, set()).add(path.name)
    unknown = {cause: sorted(files) for cause, files in emitted.items() if cause not in load()}
    assert unknown == {}


def test_an_anthropic_relay_gets_anthropic_base_url_advice_and_relay_key_advice() -> None:
    kb = load()
    steps = kb.get("config.base_url_invalid").fix("en", "relay-anthropic")
    assert steps[0].startswith("Set {base_url_var} to the relay's root, {origin}, without /v1")  # a template
    assert not any("OPENAI_BASE_URL" in s or "ends in /v1" in s for s in steps)  # the general steps would mislead
    zh = kb.get("endpoint.not_found").fix("zh", "relay-anthropic")
    assert zh[0].startswith("把 {base_url_var} 设为中转站的根地址")
    # Everything else about a relay is the same: its key comes from the relay's console.
    assert kb.get("auth.invalid_key").fix("en", "relay-anthropic") == kb.get("auth.invalid_key").fix("en", "relay")
    # An OpenAI-compatible relay keeps the /v1 advice and the general steps after it.
    relay = kb.get("config.base_url_invalid").fix("en", "relay")
    assert relay[0].startswith("Set {base_url_var} to {origin}/v1") and len(relay) == 4


def test_a_cause_that_explains_an_unknown_id_is_refused() -> None:
    entries = knowledge.read_entries()
    broken = [dict(e) for e in entries]
    broken[0]["explains"] = ["no.such_cause"]
    with pytest.raises(ValueError, match="explains unknown cause ids"):
        parse({"causes": broken})


def test_every_cause_file_is_named_by_its_id() -> None:
    folder = Path(knowledge.__file__).parent / "data" / "causes"
    for path in folder.glob("*.json"):
        assert json.loads(path.read_text(encoding="utf-8"))["id"] == path.stem
    assert len(list(folder.glob("*.json"))) == len(load())


def test_explains_on_demand_knowledge_answers_as_the_whole_set() -> None:
    """`builtin()` reads a cause's file when asked for it (explain's start-up); it must answer every
    question as the fully read set does, and never read a path out of a made-up id."""
    from llmdoctor.knowledge import builtin

    whole, on_demand = load(), builtin()
    for cause_id in whole.ids():
        assert cause_id in on_demand
        cause = on_demand.get(cause_id)
        assert (cause.layer, cause.explains, cause.fix("zh", "deepseek")) == \
            (whole.get(cause_id).layer, whole.get(cause_id).explains, whole.get(cause_id).fix("zh", "deepseek"))
    for made_up in ("no.such_cause", "../causes/auth.invalid_key", "auth/../auth.invalid_key", ""):
        assert made_up not in on_demand
        with pytest.raises(KeyError):
            on_demand.get(made_up)
    assert on_demand.ids() == whole.ids() and len(on_demand) == len(whole)


def test_every_clients_own_wording_is_bilingual_and_whole() -> None:
    """A cause's `by_client` texts (Node's, curl's, Go's, Java's) are shown instead of the general ones:
    they must be as complete as those, in both languages."""
    from llmdoctor.knowledge import CLIENTS, read_entries

    seen = 0
    for entry in read_entries():
        for client, own in (entry.get("by_client") or {}).items():
            seen += 1
            assert client in CLIENTS, entry["id"]
            for field in ("title", "explanation"):
                if field in own:
                    assert own[field]["en"].strip() and own[field]["zh"].strip(), (entry["id"], client, field)
            if "fix" in own:
                assert len(own["fix"]["en"]) == len(own["fix"]["zh"]) > 0, (entry["id"], client)
            assert all(link.startswith("https://") for link in own.get("docs", [])), (entry["id"], client)
    assert seen >= 16
