"""A generated matrix of proxy environments, and llmdoctor's answer per client in the oracles' terms.

Every address is an IP literal on loopback (proxies) or is never connected to (targets: curl is
redirected to a closed loopback port, the Python clients are stopped before the socket).
`python tests/fidelity_matrix.py` prints the agreement per client.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import oracles

URLS = (
    "https://api.openai.com/v1", "http://api.openai.com/v1", "https://myopenai.com/", "https://sub.api.openai.com/",
    "https://10.1.2.3/v1", "http://127.0.0.1:11434/", "http://[::1]:11434/", "https://[fd00::5]/",
    "http://localhost:11434/", "https://api.openai.com:8443/",
)
PROXY_VALUES = (
    "http://127.0.0.1:3", "127.0.0.1:3", " http://127.0.0.1:3", "http://127.0.0.1:3 ", "\thttp://127.0.0.1:3",
    "http://127.0.0.1:0", "http://127.0.0.1:70000", "http://127.0.0.1:65536", "http://127.0.0.1", "http://127.0.0.1:",
    "socks5h://127.0.0.1:4", "socks5://127.0.0.1:4", "https://127.0.0.1:5", "http://[::1]:6", "socks4://127.0.0.1:7",
    "socks://127.0.0.1:7", "http://u:p%40ss@127.0.0.1:3", "HTTP://127.0.0.1:3", "ftp://127.0.0.1:8",
    "http://127.0.0.1:3/path", "'http://127.0.0.1:3'", "http://127.0.0.1:abc", "socks5h://127.0.0.1",
    "http://user:p@ss@127.0.0.1:3", "http://%31%32%37.0.0.1:3", "http://127.0.0.1:003", "http://[::1]",
    "SOCKS5H://127.0.0.1:4", "http://127.0.0.1:3?x=1", "http://:3", " ",
)
NAMES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
NO_PROXY_VALUES = (
    "", "api.openai.com", ".openai.com", "openai.com", "*.openai.com", "*", "localhost,127.0.0.1", "::1", "[::1]",
    "[::1]:11434", "fd00::/8", "fd00::5", "10.0.0.0/8", "127.0.0.0/8", "127.0.0.1/32", "foo openai.com",
    "foo, openai.com", " api.openai.com ", "api.openai.com:443", "api.openai.com:8443", "penai.com", "OPENAI.COM",
    "10.1.2.3", "api.openai.com.", "foo,*", "localhost", "127.0.0.1:11434", "10.0.0.0/33", "openai.com,,foo",
    "http://api.openai.com", "myopenai.com", "127.0.0.1/8", "::/0", "0.0.0.0/0", "[fd00::5]", "fd00::5/128",
    "openai.com.", "*openai.com", "localhost:11434", "\tapi.openai.com", "[::1]/128",
)
PROXY = "http://127.0.0.1:3"


FEW_URLS = ("https://api.openai.com/v1", "http://api.openai.com/v1", "http://[::1]:11434/")


def environments() -> Iterator[tuple[dict[str, str], tuple[str, ...]]]:
    """(environment, URLs): proxy variables (one, both cases, empties) and NO_PROXY in each spelling."""
    for name, value in itertools.product(NAMES, PROXY_VALUES):
        yield {name: value}, FEW_URLS
    for upper, lower in (("HTTPS_PROXY", "https_proxy"), ("HTTP_PROXY", "http_proxy"), ("ALL_PROXY", "all_proxy")):
        yield {upper: PROXY, lower: ""}, URLS
        yield {upper: "", lower: PROXY}, URLS
        yield {upper: PROXY, lower: "http://127.0.0.1:9"}, URLS
        yield {upper: " ", lower: PROXY}, URLS
    yield {"HTTP_PROXY": PROXY, "REQUEST_METHOD": "GET"}, URLS
    yield {"http_proxy": PROXY, "REQUEST_METHOD": "GET"}, URLS
    yield {"HTTPS_PROXY": PROXY, "ALL_PROXY": "socks5h://127.0.0.1:4"}, URLS
    yield {"HTTP_PROXY": PROXY, "ALL_PROXY": "socks5h://127.0.0.1:4"}, URLS
    base = {"HTTPS_PROXY": PROXY, "HTTP_PROXY": PROXY}
    for value in NO_PROXY_VALUES:
        yield {**base, "NO_PROXY": value}, URLS
        yield {**base, "no_proxy": value}, URLS
        yield {**base, "NO_PROXY": value, "no_proxy": ""}, URLS
        yield {**base, "NO_PROXY": "", "no_proxy": value}, URLS
        yield {**base, "NO_PROXY": "127.0.0.1", "no_proxy": value}, URLS


def cases() -> list[tuple[dict[str, str], str]]:
    return [(env, url) for env, urls in environments() for url in urls]


def llmdoctor_outcomes(env: Mapping[str, str], url: str, stack: Mapping[str, object]) -> dict[str, oracles.Outcome]:
    """llmdoctor's decision per client, normalised like the oracles' answers."""
    from llmdoctor.proxyenv import clients

    out: dict[str, oracles.Outcome] = {}
    for decision in clients.decisions(url, env, None, stack):  # type: ignore[arg-type]
        out[decision.client] = decision.outcome()
    return out


def oracle_outcomes_many(env: Mapping[str, str], urls: Sequence[str]) -> list[dict[str, oracles.Outcome]]:
    """The real clients' answers for each URL; curl runs in a few threads (each call is a process)."""
    import httpx

    found: list[dict[str, oracles.Outcome]] = [{} for _ in urls]
    for i, answer in enumerate(oracles.httpx_like_many(httpx, env, urls)):
        found[i]["httpx"] = answer
    try:
        import httpx2
    except ImportError:
        pass
    else:
        for i, answer in enumerate(oracles.httpx_like_many(httpx2, env, urls)):
            found[i]["httpx2"] = answer
    for i, url in enumerate(urls):
        found[i]["requests"] = oracles.requests_route(env, url)
    if oracles.curl_version() is not None:
        with ThreadPoolExecutor(4) as pool:
            for i, answer in enumerate(pool.map(lambda u: oracles.curl_route(env, u), urls)):
                found[i]["curl"] = answer
    return found


def oracle_outcomes(env: Mapping[str, str], url: str) -> dict[str, oracles.Outcome]:
    return oracle_outcomes_many(env, [url])[0]


def installed_stack() -> dict[str, object]:
    """What llmdoctor's analysis is told about the installed clients (this interpreter, this curl)."""
    from llmdoctor.proxyenv import stack

    return stack.local_stack()


Disagreement = tuple[str, dict[str, str], str, object, object]


def compare(limit: int | None = None) -> tuple[dict[str, list[int]], list[Disagreement]]:
    """{client: [agree, total]} and the disagreements."""
    stack = installed_stack()
    score: dict[str, list[int]] = {}
    wrong: list[Disagreement] = []
    for env, urls in list(environments())[:limit]:
        for url, real in zip(urls, oracle_outcomes_many(env, urls), strict=True):
            ours = llmdoctor_outcomes(env, url, stack)
            for client, answer in real.items():
                mine = ours.get(client)
                tally = score.setdefault(client, [0, 0])
                tally[1] += 1
                if mine == answer:
                    tally[0] += 1
                else:
                    wrong.append((client, env, url, answer, mine))
    return score, wrong


if __name__ == "__main__":
    score, wrong = compare()
    for client, (agree, total) in sorted(score.items()):
        print(f"{client:9} {agree}/{total} = {100 * agree / total:.1f} %")
    every = sum(a for a, _ in score.values()), sum(t for _, t in score.values())
    print(f"all       {every[0]}/{every[1]} = {100 * every[0] / every[1]:.1f} %")
    for client, env, url, answer, mine in wrong[: int(sys.argv[1]) if len(sys.argv) > 1 else 40]:
        print(f"{client:8} {env!r} {url} real={answer} llmdoctor={mine}")
