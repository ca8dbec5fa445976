"""Reads a pasted error (an SDK traceback, a curl line, a status and body) offline and names its causes.

Nothing here touches the network. Split by job: `parse` pulls the status, error bodies, exception
classes and provider out of the text; `apierrors` reads the body; `match` runs the transport
signature table (`llmdoctor.signatures`, the same table the live checks use) and reads the context;
`rank` weighs it all and decides whether the text names a cause at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from llmdoctor.apierrors import Classified, classify_payload, classify_response, parse_payload
from llmdoctor.apierrors.rules import upstream_answer
from llmdoctor.diagnosis import RankedCause, diagnose
from llmdoctor.explain import answers, either, nokey, parse, pasted, relayed, route, signed, wrappers
from llmdoctor.explain.match import Found, match
from llmdoctor.explain.rank import is_verdict, weigh
from llmdoctor.explain.reasons import status_from_phrase, without_phrase, without_reason
from llmdoctor.explain.values import fix_values, with_endpoint
from llmdoctor.model import CheckResult, Finding, Status
from llmdoctor.signatures.ambiguity import tells

MAX_INPUT = parse.MAX_INPUT
_MESSAGE_ONLY_CONFIDENCE = 0.85  # without a status or a body, only the most specific API rules count
_FACT_KEYS = ("error_type", "error_code", "error_status", "relay", "limit_kind", "retry_after_s", "html_title",
              "key_looks_like")


@dataclass(frozen=True)
class Explanation:
    """What the pasted text shows.

    `recognised`: a cause was named. `ambiguous`: the text is an error we know, but it does not say which
    of several causes it is; `causes` are then the candidates and `tells` says what would decide.
    """

    recognised: bool
    causes: list[RankedCause] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    ambiguous: bool = False
    tells: dict[str, str] = field(default_factory=dict)
    likely: bool = False  # the top cause is the most frequent one for this wording, not one the text names

    def to_dict(self) -> dict[str, Any]:
        causes = [{**c.to_dict(), **({"tells": self.tells[c.id]} if self.tells.get(c.id) else {})}
                  for c in self.causes]
        return {"recognised": self.recognised, "ambiguous": self.ambiguous, "likely": self.likely, "causes": causes,
                "facts": dict(self.facts)}


def explain(text: str | bytes, provider: str | None = None, lang: str = "en") -> Explanation:
    """Names the causes a pasted error shows; never raises, whatever the input."""
    try:
        return _explain(parse.decode(text), provider, lang)
    except Exception as exc:  # bad input must never become a traceback
        return Explanation(False, [], {"error": type(exc).__name__})


def _explain(text: str, provider: str | None, lang: str) -> Explanation:
    names = parse.exceptions(text)
    facts: dict[str, Any] = {}
    if names:
        facts["exception"] = names[-1]
        facts["exceptions"] = names[-6:]
    status = parse.status(text, names)
    if status is not None:
        facts["status"] = status
    guess = provider or parse.provider_guess(text)
    if guess:
        facts["provider" if provider else "provider_guess"] = guess
    request_id = parse.request_id(text)
    if request_id:
        facts["request_id"] = request_id

    seen = match(text)
    said = None  # a status named only by its reason phrase ("{:forbidden, ...}"): read like the number
    if status is None and not (seen.found or seen.vague) and not parse.error_payloads(text):
        said = status = status_from_phrase(parse.message_lines(text))
        if status is not None:
            facts["status"] = status
    # LiteLLM's "BedrockException - {...}" is the upstream's own answer, inside an APIConnectionError it names
    only_vague = bool(seen.vague) and not upstream_answer(text)
    classified = _classify(text, status, guess, transport_seen=bool(seen.found) or only_vague, said=said)
    for item in classified:
        for key in _FACT_KEYS:
            if key in item.facts:
                facts.setdefault(key, item.facts[key])
    found, vague = weigh(classified, status, seen, text)
    answers.read(text, status, found, gateway_page=seen.gateway or "html_title" in facts)
    pasted.read(text, found)
    either.read(text, found, vague)
    nokey.read(text, found, vague)
    route.read(text, found, vague)
    signed.read(text, found, vague)
    wrappers.read_answer(text, status, found)
    wrappers.read_class(text, found)
    relayed.read(text, status, found, vague)
    if is_verdict(found):
        return Explanation(True, _ranked(found, guess, lang, text), facts)
    if seen.likely and found:  # a guess ranked by how often it is the cause, said as one: "Most likely ...; to confirm"
        ranked = _ranked(found, guess, lang, text)
        return Explanation(True, ranked, facts, tells={c.id: with_endpoint(tells(c.id, lang), text) for c in ranked},
                           likely=True)
    candidates = {**vague}
    for cause, (confidence, message) in found.items():
        candidates[cause] = (confidence, message)
    if not candidates:
        return Explanation(False, [], facts)
    facts["connection_error_without_detail"] = any(c in seen.vague for c in ("net.connect_timeout", "dns.failure"))
    ranked = _ranked(candidates, guess, lang, text)
    return Explanation(False, ranked, facts, ambiguous=True,
                       tells={c.id: with_endpoint(tells(c.id, lang), text) for c in ranked})


def _classify(text: str, status: int | None, guess: str | None, transport_seen: bool,
              said: int | None = None) -> list[Classified]:
    payloads = parse.error_payloads(text)
    if payloads:
        return classify_payload(status, parse_payload(payloads[-1], text), None, guess, "chat")
    if parse.HTML.search(text[:65536]):  # an error page, with or without a status line
        if status is not None and parse.bare_page(text[:65536], status):  # "<title>403</title>403 Forbidden"
            return classify_response(status, "", None, guess, "chat")  # says the status and nothing else
        return classify_response(status, text[:65536], {"content-type": "text/html"}, guess, "chat")
    if status is not None:  # the status's own reason phrase ("403 Forbidden"), and a library's status line
        # ("429 Too Many Requests for url"), say nothing the number does not
        from llmdoctor.explain.statusline import strip

        lines = strip(without_reason(parse.message_lines(text), status))
        return classify_response(status, without_phrase(lines, said) if said else lines, None, guess, "chat")
    if transport_seen:  # a socket error's wording ("forbidden by its access permissions") is not an API answer
        return []
    # only the message line ("Invalid API key · Please run /login"): the most specific rules only
    return [c for c in classify_response(None, parse.without_urls(text[:65536]), None, guess, "chat")
            if c.confidence >= _MESSAGE_ONLY_CONFIDENCE]


def _ranked(found: Found, guess: str | None, lang: str, text: str) -> list[RankedCause]:
    target = guess or "pasted"
    findings = tuple(Finding(cause, message, severity=Status.FAIL, confidence=confidence)
                     for cause, (confidence, message) in found.items())
    results = [CheckResult(Status.FAIL, "pasted error", findings, {}, "explain", target)]
    values = fix_values(text, guess)  # fix steps name the URL or host the pasted error names
    from llmdoctor.knowledge import builtin

    kb = builtin()
    runtime = None
    if any(cause in kb and kb.get(cause).words_for_clients for cause in found):  # only then does it matter
        from llmdoctor.explain.runtime import runtime_of

        runtime = runtime_of(text)
    return diagnose(results, lang=lang, providers={target: guess} if guess else None, chain=False,
                    values={target: values} if values else None, kb=kb,
                    client=runtime if runtime != "python" else None)
