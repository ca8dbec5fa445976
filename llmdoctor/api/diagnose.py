"""Second looks the auth check takes when the first answer is a failure: which base URL would have
answered, whether the key belongs to the vendor's other region, whether it came from a relay."""

from __future__ import annotations

import re
import urllib.parse
from typing import TYPE_CHECKING

from llmdoctor import providers
from llmdoctor.api.build import base_variants, models_url, region_alternative
from llmdoctor.api.models import model_ids
from llmdoctor.api.session import Session
from llmdoctor.config import Target
from llmdoctor.model import Finding, Status
from llmdoctor.net.http import HttpAnswer
from llmdoctor.providers import Provider

# One API and New API issue "sk-" + 48 letters and digits; OpenAI's legacy user keys have the same
# length but always carry "T3BlbkFJ" (base64 of "OpenAI") in the middle.
_RELAY_KEY = re.compile(r"^sk-[A-Za-z0-9]{48}$")
_OPENAI_MARK = "T3BlbkFJ"
_OPENAI_OFFICIAL = re.compile(r"^sk-(proj|svcacct|admin)-")
_TLS_PROBE_TIMEOUT = 3.0

if TYPE_CHECKING:
    from llmdoctor.context import Context


def _answers_api(answer: HttpAnswer | object) -> bool:
    if not isinstance(answer, HttpAnswer):
        return False
    if 200 <= answer.status < 300:
        return model_ids(answer.body) is not None
    return answer.status in (401, 403) and answer.content_type == "application/json"


def suggest_base(session: Session, target: Target, provider: Provider, timeout: float) -> str | None:
    """The first same-origin variant of the base URL whose models path answers like the API."""
    for base in base_variants(target.base_url.value, provider):
        answer = session.send("GET", models_url(target, provider, base, for_auth=False), "base-url probe",
                              timeout=timeout, follow=False)
        if _answers_api(answer):
            return base
    return None


def region_probe(session: Session, target: Target, provider: Provider) -> Finding | None:
    """On a rejected key at one of a vendor's official regional hosts, asks the other official host.

    The key goes nowhere else: `region_alternative` only returns the vendor's own other host.
    """
    alternative = region_alternative(target)
    if alternative is None:
        return None
    base, host, region, own_region = alternative
    answer = session.send("GET", models_url(target, provider, base), "region probe", follow=False)
    if not isinstance(answer, HttpAnswer):
        return None
    facts = {"probed_host": host, "probed_status": answer.status}
    var = (provider.base_url_env or ("--base-url",))[0]
    if 200 <= answer.status < 300:
        return Finding("auth.wrong_region",
                       f"the key was rejected by {target.host} ({own_region}) but accepted by {host} ({region}): "
                       f"it belongs to the {region} platform",
                       f"Set {var}={base} (or use a key created on the {own_region} platform).",
                       Status.FAIL, 0.95, facts)
    return Finding("auth.invalid_key", f"{host} ({region}) rejected the key too (HTTP {answer.status}), so it is "
                   "not a key for the other region either", "", Status.WARN, 0.3, facts)


def wrong_endpoint(target: Target) -> Finding | None:
    """A relay's key sent to the official endpoint, or an official key sent to a relay (on a 401)."""
    if target.api_key is None:
        return None
    key = target.api_key.reveal().strip()
    provider = target.provider
    var = (provider.base_url_env or ("--base-url",))[0]
    if provider.id == "openai" and provider.owns_host(target.host) and _RELAY_KEY.match(key) \
            and _OPENAI_MARK not in key:
        unset = target.base_url.source == "default"
        return Finding(
            "auth.wrong_endpoint",
            f"the key has the shape One API / New API relays issue (sk- and 48 letters and digits, without the "
            f"'{_OPENAI_MARK}' mark of OpenAI's own keys) and was sent to the official {target.host}"
            + (f" because {var} is not set" if unset else ""),
            f"If the key comes from a relay, set {var} to the relay's address (usually https://RELAY-HOST/v1); "
            "otherwise create a key at https://platform.openai.com/api-keys. (Moderately sure: the shape is a hint, "
            "not proof.)", Status.FAIL, 0.6 if unset else 0.5, {"key_shape": "one-api"})
    if provider.id == "relay":
        owner = next(iter(providers.owners_of_key(key)), None)
        if owner is None and (_OPENAI_OFFICIAL.match(key) or _OPENAI_MARK in key):
            owner = providers.get("openai")
        if owner is not None:
            return Finding(
                "auth.wrong_endpoint",
                f"the key looks like an official {owner.name} key, but it was sent to a relay ({target.host}), "
                "which only accepts the keys it issues itself",
                f"Use the key from the relay's console, or point {var} at {owner.base_url} to use the "
                f"{owner.name} key directly.", Status.FAIL, 0.75, {"key_looks_like": owner.id})
    distinctive = [p for p in provider.key_prefixes if p != "sk-"]
    if provider.owns_host(target.host) and distinctive and not provider.key_prefix_of(key) \
            and provider.id not in ("openai", "relay"):
        return Finding(
            "auth.wrong_endpoint",
            f"{provider.name} keys start with {' or '.join(distinctive)}; this one does not, so it may be a relay's "
            f"key sent to the official {target.host}",
            f"If the key comes from a relay, set {var} to the relay's address.", Status.WARN, 0.45)
    return None


def tls_on_plain_url(ctx: Context, url: str) -> Finding | None:
    """An http:// URL whose server hung up or broke HTTP: if its port completes a TLS handshake, the
    base URL should say https:// (a TLS server drops a plain request, or answers it with an alert)."""
    from llmdoctor.net.netpath import path_of, socket_factory
    from llmdoctor.net.tlsprobe import handshake, unverified_context
    from llmdoctor.net.tunnel import ProxyProblem

    path = path_of(ctx)
    parts = urllib.parse.urlsplit(url)
    if path is None or parts.scheme != "http" or (parts.hostname or "").lower() != path.host:
        return None
    timeout = min(ctx.timeout(), _TLS_PROBE_TIMEOUT)
    try:
        seen = handshake(socket_factory(ctx, path, timeout), None if path.host_is_ip else path.host,
                         unverified_context(), timeout)
    except (ProxyProblem, OSError):
        return None
    if not seen.ok:
        return None
    https = urllib.parse.urlunsplit(("https", *parts[1:]))
    return Finding("tls.protocol_mismatch", f"{path.authority} speaks TLS ({seen.protocol}), but the base URL "
                   f"says http://: the server drops plain HTTP requests", f"Use https:// in the base URL ({https}).",
                   Status.FAIL, 0.9, {"tls_protocol": seen.protocol})
