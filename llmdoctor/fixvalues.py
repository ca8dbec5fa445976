"""The user's own values that fix steps are written with: `{host}`, `{base_url}`, `{port}`, `{variable}`…

A cause's fix steps (llmdoctor/data/causes/<id>.json) are templates. `target_values` reads a target's
host, base URL and where each value came from; `fact_values` reads what the findings measured (the port
found, the proxy URL to use). `fill` writes a step with them and returns None for a step that needs a
value this run does not have: such a step would not run as written, so it is left out.

Placeholders (docs/diagnosis.md):
  {host} {port} {base_url}   the target's API host, port and base URL (credentials redacted)
  {origin}                   scheme://host[:port] of the base URL
  {base_url_var}             the variable the SDK reads the base URL from (OPENAI_BASE_URL, …), or
                             "the base URL": for prose only, never inside a command
  {base_url_ref}             `$OPENAI_BASE_URL` when the base URL came from that shell variable; missing
                             otherwise (a command using it would expand to nothing)
  {key_var}                  the variable the key came from (shell or .env); missing for stdin or --api-key
  {key_env}                  the same, only when the shell has it (a `python3 -c` reading os.environ)
  {models_url}               the model-list URL the auth check asked (the provider's own path)
  {curl_auth}                curl's -H options for this provider's auth header, with {key_ref}
  {key_ref} {key_setup}      a shell reference to the key (`$OPENAI_API_KEY`, or `$KEY` after
                             `read -rs KEY && ` when the key is not in the shell's environment)
  {proxy_url} {proxy_port}   the local proxy found by the port scan, or the proxy in use
  {address}                  the address DNS gave or the connection went to
  {model}                    the model the call asked for (--model, the provider's model variable, or the
                             one the pasted error names); missing for a name a shell would not take as written
  {timeout}                  the limit a pasted error says the client gave up at ("100 s", "30 s"); explain only
  {placeholder}              the unmasked start of a stand-in key the server echoed ("YOUR_OPE" of
                             "YOUR_OPE***_KEY"), for a grep that finds where it is set; explain only, and only
                             for an echo that is a stand-in's words (never a real key's start)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from llmdoctor.concerns import proxy_key

if TYPE_CHECKING:
    from llmdoctor.config import Target

Values = Mapping[str, str | None]
_PLACEHOLDER = re.compile(r"\{(host|port|origin|base_url|base_url_var|base_url_ref|key_var|key_env|key_ref|key_setup|"
                          r"proxy_url|proxy_port|address|models_url|curl_auth|model|timeout|placeholder)\}")
# A model name a command can carry unquoted: gpt-4o, openai/gpt-4o, qwen2.5:7b, llama3@latest
MODEL_NAME = r"[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}"
_PLAIN_MODEL = re.compile(MODEL_NAME)
_MAY_BE_EMPTY = ("key_setup", "curl_auth")


def _variable(source: str) -> str | None:
    """`env:NAME` and `.env:NAME` name a variable; `--base-url`, stdin and defaults do not."""
    head, sep, name = source.partition(":")
    return name if sep and head in ("env", ".env") and name else None


def shell_safe_model(name: str | None) -> str | None:
    """The model's name when a shell takes it as one word as written, else None (the step is left out)."""
    return name if name and _PLAIN_MODEL.fullmatch(name) else None


def target_values(target: Target) -> dict[str, str | None]:
    from llmdoctor.secrets import redact_url
    from llmdoctor.urls import split_url

    parts = split_url(target.base_url.value)
    try:
        port = parts.port if parts is not None else None
    except ValueError:
        port = None
    scheme = parts.scheme if parts is not None else "https"
    key_var = _variable(target.key_source)
    in_shell = key_var is not None and target.key_source.startswith("env:")
    # In prose ("Set … to …") only: without a variable of its own, "the base URL" still reads right.
    base_var = _variable(target.base_url.source) or next(iter(target.provider.base_url_env), None) or "the base URL"
    base_in_shell = target.base_url.source.startswith("env:")
    host = target.host
    default_port = 443 if scheme == "https" else 80
    shown_host = f"[{host}]" if ":" in host else host
    key_ref = f"${key_var}" if in_shell else "$KEY"
    return {
        **_request_values(target, key_ref),
        "host": host or None,
        "port": str(port or default_port),
        "origin": f"{scheme}://{shown_host}" + (f":{port}" if port and port != default_port else "") if host else None,
        "base_url": redact_url(target.base_url.value).rstrip("/") or None,
        "base_url_var": base_var,
        "base_url_ref": f"${base_var}" if base_in_shell else None,
        "key_var": key_var,
        "key_env": key_var if in_shell else None,
        "key_ref": key_ref,
        "key_setup": "" if in_shell else "read -rs KEY && ",
        "model": shell_safe_model(target.model.value if target.model else None),
    }


def _request_values(target: Target, key_ref: str) -> dict[str, str | None]:
    """The model-list request the auth check made, as a curl command's URL and -H options."""
    from llmdoctor.api.build import auth_header_name, models_url, wire_provider
    from llmdoctor.secrets import redact_url

    provider = wire_provider(target)
    try:
        url = redact_url(models_url(target, provider))
    except Exception:  # a base URL the endpoint check refuses: no request to show
        return {"models_url": None, "curl_auth": ""}
    header = auth_header_name(target, provider)
    options = []
    if header:
        options.append(f'-H "{header}: Bearer {key_ref}"' if header == "authorization" else f'-H "{header}: {key_ref}"')
    options += [f'-H "{name}: {value}"' for name, value in provider.extra_headers.items()]
    return {"models_url": url, "curl_auth": " ".join(options)}


def fact_values(facts: Iterable[Mapping[str, Any]]) -> dict[str, str | None]:
    """Values the findings measured, the first one seen of each."""
    found: dict[str, str | None] = {}
    for item in facts:
        listeners = item.get("listeners")
        if isinstance(listeners, list) and listeners and isinstance(listeners[0], Mapping):
            url = listeners[0].get("suggested_url")
            if isinstance(url, str):
                found.setdefault("proxy_url", url)
        proxy = item.get("proxy")
        if isinstance(proxy, str) and proxy and "@" not in proxy:  # a URL with a login cannot be shown whole
            found.setdefault("proxy_url", proxy if "://" in proxy else "http://" + proxy)
        addresses = item.get("addresses")
        if isinstance(addresses, list) and addresses and isinstance(addresses[0], str):
            found.setdefault("address", addresses[0])
        if isinstance(item.get("address"), str):
            found.setdefault("address", item["address"])
    url = found.get("proxy_url")
    key = proxy_key(url) if url else None
    if key and key.rsplit(":", 1)[-1]:
        found["proxy_port"] = key.rsplit(":", 1)[-1]
    return found


def fill(step: str, values: Values) -> str | None:
    """The step with the user's values, or None when it needs one this run does not know."""
    missing = False
    # A request that needs no key (a local server's) has no -H option: `read -rs KEY && ` would wait for a key the
    # command then never sends.
    keyless = values.get("curl_auth") == "" and "{curl_auth}" in step and "{key_ref}" not in step

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        if keyless and match.group(1) == "key_setup":
            return ""
        got = values.get(match.group(1))
        if not got and match.group(1) not in _MAY_BE_EMPTY:
            missing = True
            return match.group(0)
        return got or ""

    filled = _PLACEHOLDER.sub(value, step)
    return None if missing else filled.rstrip()  # an empty {curl_auth} at the end leaves a space
