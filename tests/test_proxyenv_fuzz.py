"""Random text into every parser and the whole analysis: no exception may escape."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from llmdoctor.proxyenv import clients, linux, macos, names, noproxy, shells, variables, windows
from llmdoctor.proxyenv.analysis import Observations, analyse
from llmdoctor.proxyenv.system import SystemProxySettings

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)
PROXYISH = st.one_of(TEXT, st.from_regex(r"(https?|socks[45]?h?|ftp)?:?/{0,3}[a-z0-9:@.\[\]*/ -]{0,30}",
                                         fullmatch=True))
URLS = st.one_of(st.just("https://api.openai.com/v1"), st.just("http://127.0.0.1:11434"), st.just("http://[::1]:8"),
                 st.from_regex(r"https?://[a-z0-9.\-\[\]:]{1,20}(:[0-9]{1,6})?/?", fullmatch=True))


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_text_parsers(text: str) -> None:
    windows.parse_netsh(text)
    windows.parse_proxy_server(text)
    windows.parse_override(text)
    windows.python_registry_proxies(1, text)
    windows.settings_from_windows({"ProxyEnable": 1, "ProxyServer": text, "ProxyOverride": text}, text, {"x": text})
    macos.settings_from_scutil(text)
    linux.parse_etc_environment(text)
    linux.parse_gsettings_value(text)
    linux.settings_from_linux(text, {("org.gnome.system.proxy", "mode"): text}, text, {}, text, text, text)
    linux.default_gateway(text)
    names.suggestion(text)
    noproxy.explain_entry(text)
    shells.commands("powershell", {"X": text})
    shells.placeholder_url(text)


@settings(max_examples=150, deadline=None)
@given(PROXYISH, PROXYISH, URLS)
def test_values_and_no_proxy(value: str, no_proxy: str, url: str) -> None:
    variables.value_findings("HTTPS_PROXY", value)
    variables.no_proxy_findings("NO_PROXY", no_proxy)
    env = {"HTTPS_PROXY": value, "http_proxy": value, "NO_PROXY": no_proxy}
    clients.httpx_decision(url, env)
    clients.requests_decision(url, env)
    clients.curl_decision(url, env)
    noproxy.curl_match(url, no_proxy, (7, 81))


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.sampled_from([*variables.NAMES, "HTTPS-PROXY", "SHELL", "OPENAI_KEY"]), PROXYISH,
                       max_size=6), URLS)
def test_whole_analysis(env: dict[str, str], url: str) -> None:
    system = SystemProxySettings("windows", python_proxies={"https": "socks4://127.0.0.1:1"}, pac_url="x")
    result = analyse(env, [("t", url)], Observations(system, open_ports={}))
    result.facts()
