"""The key against the API: the cheapest authenticated request, read by its status and its body.

The implementation of `AuthCheck` (checks/auth.py): imported when the check runs, so a run's start does
not load the API modules before its first network wait (issue 18).
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from llmdoctor.api import account, diagnose
from llmdoctor.api.build import (
    auth_header_name,
    auth_headers,
    key_refusal,
    models_url,
    same_origin,
    wire_provider,
)
from llmdoctor.api.findings import from_classified, from_transport, hint
from llmdoctor.api.models import MAX_IDS, model_endpoints, model_ids
from llmdoctor.api.session import Session
from llmdoctor.apierrors import classify_response, redact_text
from llmdoctor.context import Context
from llmdoctor.model import CheckResult, Finding, Status, from_findings
from llmdoctor.net.http import MAX_BODY_BYTES, HttpAnswer

_PROBE_TIMEOUT = 3.0  # base-URL variants are on the host that just answered
_CUT = f"the answer was larger than {MAX_BODY_BYTES / 1e6:g} MB and was cut"


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def answer_facts(answer: HttpAnswer) -> dict[str, Any]:
    """Status, content type and phase timings (ms) of one answer, as later checks read them."""
    timings = {f"{k}_ms": v for k, v in answer.timings.items()}
    return {"status": answer.status, "content_type": answer.content_type, "http_version": answer.http_version,
            "connection": answer.connection, **timings}


def _not_an_api(answer: HttpAnswer, where: str, found: list[Finding]) -> list[Finding]:
    """Says what answered instead: status, content type and the page's title."""
    kind = answer.content_type or "no content type"
    out = []
    for finding in found:
        if finding.code == "endpoint.not_an_api":
            title = finding.facts.get("html_title")
            what = f"an HTML page titled '{title}'" if title else ("an HTML page" if "html" in kind else
                                                                  "a body that is not JSON")
            extra = ""
            if finding.facts.get("captive_portal"):
                extra = " (it looks like a captive portal or a login page)"
            elif finding.facts.get("cloudflare_challenge"):
                extra = " (a Cloudflare bot challenge)"
            message = f"{where} answered HTTP {answer.status} ({kind}) with {what}{extra}, not the API"
            if answer.truncated and not title:
                message = f"{where} answered HTTP {answer.status} ({kind}), but {_CUT}: not the API"
            finding = Finding(finding.code, message, finding.hint, finding.severity, finding.confidence,
                              {**finding.facts, "content_type": kind})
        out.append(finding)
    return out


def _no_key_sent(findings: list[Finding], host: str, status: int) -> list[Finding]:
    """No key was configured (the key check let a local server go without one) and the server asked
    for one: the missing key is the cause, not a wrong header or a bad key."""
    kept = [f for f in findings if f.code not in ("auth.wrong_header", "auth.invalid_key", "config.missing_key")]
    return [Finding("config.missing_key", f"{host} answered {status}: this server wants a key, and none is configured",
                    "Set the key your server expects (LiteLLM: its master key; vLLM: --api-key).", Status.FAIL,
                    0.9), *kept]


class AuthProbe:
    """The key against the API: the cheapest authenticated request, read by status and body."""

    def run(self, ctx: Context) -> CheckResult:
        target = ctx.target
        provider = wire_provider(target)
        url = models_url(target, provider)
        header = auth_header_name(target, provider)
        sends_key = header is not None and target.api_key is not None
        session = Session(ctx, auth_headers(target, provider))
        facts: dict[str, Any] = {"url": url, "auth_header": header or "none", "proxy": session.proxy_fact(url)}
        refusal = key_refusal(url, ctx.settings, sends_key)
        if refusal:
            return from_findings("", [Finding(
                "config.insecure_http", refusal,
                "Use https://. If the network in between is yours and you accept the risk, pass --allow-insecure.",
                Status.FAIL, 0.9)], facts)
        where = f"GET {url}"
        ctx.step(f"the API's answer to {where}", "net.read_timeout")
        answer = session.send("GET", url, "auth")
        findings: list[Finding] = []
        if not isinstance(answer, HttpAnswer):
            finding = from_transport(answer, target, where)
            if finding.code == "server.protocol_error":
                finding = diagnose.tls_on_plain_url(ctx, url) or finding
            findings.append(finding)
        else:
            facts.update(answer_facts(answer))
            findings = self._read(ctx, session, answer, where, facts)
            if not sends_key and answer.status in (401, 403):
                findings = _no_key_sent(findings, target.host, answer.status)
        facts.update(request_ids=session.request_ids, responses=session.responses)
        if session.redirects:
            facts["redirects"] = session.redirects
        who = "answered without a key" if not sends_key else f"accepted the key ({header})"
        count = facts.get("models_total")
        ok = f"{provider.name} {who}" + (f"; {count} models listed" if count is not None else "")
        left = account.summary(facts.get("account") or {}, provider)
        ok += f"; {left}" if left else ""
        return from_findings(ok, findings, facts)

    def _read(self, ctx: Context, session: Session, answer: HttpAnswer, where: str,
              facts: dict[str, Any]) -> list[Finding]:
        target = ctx.target
        provider = wire_provider(target)
        if 300 <= answer.status < 400:
            location = redact_text(answer.headers.get("location", "(no Location header)"))
            facts["location"] = location
            why = "another origin, so it was not followed (a redirect must not carry the key to another host)" \
                if not same_origin(answer.url, urllib.parse.urljoin(answer.url, location)) \
                else "too many redirects within the same host"
            return [Finding("endpoint.redirect",
                            f"GET {answer.url} answered HTTP {answer.status}, a redirect to {location}: {why}",
                            f"Set {(provider.base_url_env or ('--base-url',))[0]} to the address it redirects to, "
                            "if you trust it. The SDKs follow redirects, and httpx drops the Authorization header "
                            "when the host changes, so the call fails with a 401 there.",
                            Status.FAIL, 0.85, {"status": answer.status, "location": location})]
        classified = classify_response(answer.status, answer.body, answer.headers, provider.id, "models")
        if 200 <= answer.status < 300 and not classified:
            if provider.auth_path and provider.account.get("path") == provider.auth_path:
                # the cheapest authenticated GET is the account itself (OpenRouter's /key)
                facts["account"] = account.read(answer, target, provider)
                return account.judge(facts["account"], provider)
            found = self._listed(answer, where, facts)
            if not found:
                extra, found = account.probe(session, target, provider)
                if extra:
                    facts["account"] = extra
            return found
        findings = _not_an_api(answer, where, from_classified(classified, target, where))
        top = findings[0].code if findings else ""
        if answer.status in (404, 405) and top in ("endpoint.not_found", "model.not_found", "endpoint.not_an_api"):
            suggested = diagnose.suggest_base(session, target, provider, min(ctx.timeout(), _PROBE_TIMEOUT))
            if suggested:
                facts["suggested_base_url"] = suggested
                findings[0] = Finding(
                    "endpoint.not_found", f"{where} answered HTTP {answer.status}; the API answers under "
                    f"{suggested}", hint("endpoint.not_found", target, {"suggested_base_url": suggested}),
                    Status.FAIL, 0.9, {**findings[0].facts, "suggested_base_url": suggested})
        if answer.status in (401, 403) and {"auth.invalid_key", "auth.wrong_region"} & {f.code for f in findings}:
            findings = self._second_looks(session, target, provider, findings)
        return findings

    def _second_looks(self, session: Session, target: Any, provider: Any, findings: list[Finding]) -> list[Finding]:
        region = diagnose.region_probe(session, target, provider)
        if region is not None and region.code == "auth.wrong_region":  # explains the rejection
            return [region] + [Finding(f.code, f.message, f.hint, Status.WARN, min(f.confidence, 0.3), f.facts)
                               for f in findings if f.code != "auth.wrong_region"]
        if region is not None:  # the other region said no too: not a region mix-up
            findings = [f for f in findings if f.code != "auth.wrong_region"] + [region]
        wrong = diagnose.wrong_endpoint(target)
        if wrong is not None:
            findings = [wrong, *findings] if wrong.severity is Status.FAIL else [*findings, wrong]
        return findings

    def _listed(self, answer: HttpAnswer, where: str, facts: dict[str, Any]) -> list[Finding]:
        ids = model_ids(answer.body)
        if ids is None:
            cut = f": {_CUT}" if answer.truncated else ""
            if not cut and not _is_utf8(answer.body):
                cut = ": the body is not valid UTF-8"
            return [Finding("endpoint.not_an_api", f"{where} answered HTTP {answer.status} "
                            f"({answer.content_type or 'no content type'}) but not with a model list{cut}",
                            "Check the base URL: it should be the API's root (the one the SDK appends "
                            "/chat/completions to).", Status.WARN, 0.5)]
        facts.update(models=ids[:MAX_IDS], models_total=len(ids), models_truncated=len(ids) > MAX_IDS)
        kinds = model_endpoints(answer.body)
        if kinds:
            facts["model_endpoints"] = kinds
        return []
