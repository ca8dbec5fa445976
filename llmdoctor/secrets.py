"""Secrets in a wrapper that never prints itself, and scrubbing for anything that might."""

from __future__ import annotations

import base64
import re
import urllib.parse
from collections.abc import Iterable, Mapping

# Longest first: the redacted form shows the provider prefix so a reader can tell keys apart.
_KNOWN_PREFIXES = (
    "sk-ant-admin01-", "sk-ant-api03-", "sk-ant-oat01-", "sk-ant-", "sk-proj-", "sk-svcacct-",
    "sk-admin-", "sk-or-v1-", "sk-or-", "sk-", "AIzaSy", "AIza", "gsk_", "xai-", "pplx-", "hf_",
)
_MIN_VISIBLE_LENGTH = 16  # shorter values show nothing but their length
# A short value of letters and hyphens ("ollama", "lm-studio", "EMPTY", "not-needed") is the dummy key a
# local server's docs tell you to set, never a real credential (every provider's keys are long and
# carry digits). Masking it would mask the word everywhere: "For Ollama: `ollama serve`" became
# "For Ollama: `*** serve`". Passwords are always masked, words or not.
_DUMMY_KEY = re.compile(r"^[A-Za-z]+(-[A-Za-z]+)*$")


def is_dummy_key(value: str) -> bool:
    """A placeholder key such as `ollama`: safe to show, and masking it would garble ordinary text."""
    value = value.strip()
    return len(value) < _MIN_VISIBLE_LENGTH and bool(_DUMMY_KEY.match(value))


def redact(value: str) -> str:
    """Prefix + last four characters, e.g. `sk-proj-…a1B2`; short values show only a mask."""
    if not value:
        return ""
    if len(value) < _MIN_VISIBLE_LENGTH:
        return "…" * 3
    prefix = next((p for p in _KNOWN_PREFIXES if value.startswith(p)), value[:3])
    return f"{prefix}…{value[-4:]}"


class Secret:
    """Holds a key or password; `str`, `repr` and f-strings only ever show the redacted form."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The real value, for building a request header and nothing else."""
        return self._value

    @property
    def redacted(self) -> str:
        return redact(self._value)

    def __len__(self) -> int:
        return len(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __repr__(self) -> str:
        return f"Secret({self.redacted!r})"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __reduce__(self) -> tuple[object, ...]:  # never pickle the real value
        raise TypeError("Secret values cannot be pickled")


def redact_url(url: str) -> str:
    """Removes the password (and a long user name) from a URL such as a proxy URL."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return re.sub(r"//[^/@\s]*@", "//***@", url)
    if parts.password is None and parts.username is None:
        return url
    user = parts.username or ""
    shown_user = user if len(user) <= 24 else redact(user)
    return with_userinfo(parts, f"{shown_user}:***" if parts.password is not None else shown_user)


def with_userinfo(parts: urllib.parse.SplitResult, userinfo: str) -> str:
    """The URL rebuilt with `userinfo` in place of its credentials (IPv6 hosts re-bracketed, bad ports dropped)."""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"{userinfo}@{host}" + (f":{port}" if port else "")
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


class Scrubber:
    """Replaces every known secret (raw, URL-quoted, Basic-auth encoded) in text.

    This is the last line of defence: results should already hold only redacted forms,
    but an exception message or a server echo may carry a key back to us.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._needles: dict[str, str] = {}
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str, user: str | None = None, *, mask: str | None = None) -> None:
        """Hides `secret` in every form it travels in; `mask` replaces the usual prefix + last four."""
        if not secret or len(secret) < 4 or (mask is None and is_dummy_key(secret)):
            return
        shown = mask or (redact(secret) if len(secret) >= _MIN_VISIBLE_LENGTH else "***")
        forms = {secret, secret.strip(), urllib.parse.quote(secret, safe=""), urllib.parse.quote(secret)}
        if user is not None:
            forms.add(base64.b64encode(f"{user}:{secret}".encode()).decode())
            forms.add(base64.b64encode(
                f"{urllib.parse.quote(user, safe='')}:{urllib.parse.quote(secret, safe='')}".encode()).decode())
        for form in forms:
            if len(form) >= 4:
                self._needles[form] = shown

    def add_proxy_url(self, value: str) -> None:
        """Registers the password of a proxy URL (raw, percent-decoded, and in Basic form)."""
        if "@" not in value:
            return
        try:
            parts = urllib.parse.urlsplit(value if "://" in value else "http://" + value)
        except ValueError:
            return
        if parts.password:
            # A password has no public prefix, and its last four are a quarter of a short one: all masked.
            self.add(urllib.parse.unquote(parts.password), urllib.parse.unquote(parts.username or ""), mask="***")
            self.add(parts.password, mask="***")

    def replace(self, needle: str, replacement: str) -> None:
        """Hides a non-secret value too, e.g. a relay's host name under --redact-hosts."""
        if needle:
            self._needles[needle] = replacement

    def __call__(self, text: str) -> str:
        for needle in sorted(self._needles, key=len, reverse=True):
            if needle in text:
                text = text.replace(needle, self._needles[needle])
        return text

    def scrub_data(self, data: object) -> object:
        """Scrubs every string inside JSON-like data (keys included)."""
        if isinstance(data, str):
            return self(data)
        if isinstance(data, dict):
            return {self(str(k)) if isinstance(k, str) else k: self.scrub_data(v) for k, v in data.items()}
        if isinstance(data, (list, tuple)):
            return [self.scrub_data(v) for v in data]
        return data


_SECRET_NAME = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD)$", re.IGNORECASE)


def scrubber_from_env(env: Mapping[str, str]) -> Scrubber:
    """A scrubber for every key-like variable and every proxy password in an environment."""
    scrub = Scrubber()
    for name, value in env.items():
        if _SECRET_NAME.search(name):
            mask = "***" if name.upper().endswith("PASSWORD") else None  # no public prefix to show
            scrub.add(value, mask=mask)
            scrub.add(value.strip(), mask=mask)
        elif name.lower().endswith("_proxy"):
            scrub.add_proxy_url(value)
    return scrub


# --- key-like tokens inside free text (an API echoing part of a key, a pasted traceback) ---------------

# Anything shaped like a key: provider prefixes, or a long run of key characters with digits in it.
_KEYLIKE = re.compile(
    r"(?:sk-|AIza|gsk_|xai-|pplx-|hf_|nvapi-|r8_)[A-Za-z0-9_\-*.]{8,}"
    r"|(?<![A-Za-z0-9_\-])(?=[A-Za-z0-9_\-]*\d)(?=[A-Za-z0-9_\-]*[A-Za-z])[A-Za-z0-9_\-]{32,}"
)
# Identifiers people need for support tickets; they are not secrets.
_SAFE_IDS = re.compile(r"^(?:req_|req-|chatcmpl-|msg_|org-|proj_|gen-|resp_|run_|cmpl-|batch_)", re.I)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


# An Authorization or Proxy-Authorization header in a pasted transcript (curl -v, a request dump): the scheme
# stays, the credentials go, whatever their shape (Basic's base64 is short and has no digits).
_AUTH_HEADER = re.compile(r"((?:proxy-)?authorization[\"']?\s*[:=]\s*[\"']?(?:basic|bearer|digest|negotiate|ntlm|token)"
                          r"\s+)[^\s\"',]+", re.I)


def redact_text(text: str) -> str:
    """Masks key-like tokens a server may echo back (OpenAI and DeepSeek quote part of the key), and the
    credentials of an Authorization / Proxy-Authorization header."""

    def repl(match: re.Match[str]) -> str:
        token = match.group(0)
        if _SAFE_IDS.match(token) or _UUID.match(token):
            return token
        return redact(token)

    return _KEYLIKE.sub(repl, _AUTH_HEADER.sub(r"\1***", text))
