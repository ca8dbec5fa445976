"""The knowledge base of causes: what each stable cause id means and how to fix it, in English and Chinese.

Each cause is one file of package data, `llmdoctor/data/causes/<id>.json`: its texts (en, zh), its fix
steps, the causes it `explains`, its layer. One home per cause means a new cause is a new file (no edit of
a shared table) and can be reviewed and translated without touching code; this module only loads the files
and picks the right language and provider.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llmdoctor.language import LANGS

# A failure early in this chain explains failures later in it (diagnosis ranks by it).
LAYERS = ("env", "config", "dns", "proxy", "tcp", "tls", "api", "timing")
RETRY_VALUES = ("no", "yes", "after_wait")
# Runtimes other than Python's that a cause may word its explanation and fix for (llmdoctor/explain/runtime.py).
CLIENTS = ("node", "curl", "go", "java", "php", "dotnet", "rust")
# An advice id without an entry of its own borrows another's. A relay that speaks the Anthropic protocol
# (ANTHROPIC_BASE_URL at One API / New API) differs from other relays only where the base URL is concerned.
_PROVIDER_FALLBACK = {"gemini-native": "gemini", "gemini": "gemini-native", "relay-anthropic": "relay"}


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "en"


@dataclass(frozen=True)
class Cause:
    """One cause id with its bilingual text; read it through the methods, which pick the language."""

    id: str
    category: str
    layer: str
    retry: str
    _data: Mapping[str, Any]

    def _text(self, field: str, lang: str) -> str:
        value: str = self._data[field][_lang(lang)]
        return value

    def title(self, lang: str = "en", client: str | None = None) -> str:
        own = self._client_entry(client).get("title")
        return str(own[_lang(lang)]) if own else self._text("title", lang)

    def explanation(self, lang: str = "en", client: str | None = None) -> str:
        """With `client` (a runtime other than Python's, read from a pasted error), its own wording
        where the cause has one: "Python uses certifi" is false of a Node error."""
        own = self._client_entry(client).get("explanation")
        return str(own[_lang(lang)]) if own else self._text("explanation", lang)

    @property
    def words_for_clients(self) -> bool:
        """Whether the cause has another runtime's own texts (`by_client`): then it matters which one printed it."""
        return bool(self._data.get("by_client"))

    def _client_entry(self, client: str | None) -> Mapping[str, Any]:
        entry = (self._data.get("by_client") or {}).get(client) if client else None
        return entry if isinstance(entry, Mapping) else {}

    def evidence(self, lang: str = "en") -> str:
        """How the cause shows itself (status codes, error texts): docs/causes.md lists it, so a user can
        search that page for the message they saw."""
        return self._text("evidence", lang)

    def _provider_entry(self, table: str, provider: str | None) -> Any:
        entries = self._data.get(table) or {}
        if not provider:
            return None
        if provider in entries:
            return entries[provider]
        fallback = _PROVIDER_FALLBACK.get(provider)
        return entries.get(fallback) if fallback else None

    def fix(self, lang: str = "en", provider: str | None = None, client: str | None = None) -> tuple[str, ...]:
        """Provider-specific steps first, then the general ones, unless the provider's entry says
        `"replace": true` (the general steps would mislead there, e.g. /v1 advice for Anthropic).
        A client's own steps (`by_client`) stand in for the general ones, which are Python's."""
        specific = self._provider_entry("fix_by_provider", provider)
        steps = list(specific[_lang(lang)]) if specific else []
        if not (specific and specific.get("replace")):
            general = self._client_entry(client).get("fix") or self._data["fix"]
            steps += [s for s in general[_lang(lang)] if s not in steps]
        return tuple(steps)

    def docs(self, provider: str | None = None, client: str | None = None) -> tuple[str, ...]:
        """Provider-specific documentation first, then the general links (a client's own, where the
        cause has them), without duplicates."""
        links = list(self._provider_entry("docs_by_provider", provider) or [])
        own = self._client_entry(client).get("docs")
        links += own if own else self._data.get("docs", [])
        return tuple(dict.fromkeys(links))

    @property
    def layer_rank(self) -> int:
        return LAYERS.index(self.layer) if self.layer in LAYERS else len(LAYERS)

    @property
    def explains(self) -> tuple[str, ...]:
        """Cause ids this cause is the root of beyond the general layer rule (diagnosis reads it)."""
        return tuple(self._data.get("explains") or ())

    @classmethod
    def adhoc(cls, code: str, message: str, hint: str, layer: str = "other") -> Cause:
        """A cause for a finding code nobody described (a plug-in's own): its message is the title,
        its hint the fix, so it reaches the verdict as the plug-in said it, never dropped."""
        text = {"en": message, "zh": message}
        data = {"id": code, "title": text, "explanation": text, "evidence": text,
                "fix": {"en": [hint] if hint else [], "zh": [hint] if hint else []}, "retry": "no", "docs": []}
        return cls(code, code.split(".", 1)[0], layer, "no", data)


class KnowledgeBase:
    """All causes by id; build it with `load()`."""

    def __init__(self, causes: Mapping[str, Cause]) -> None:
        self._causes = dict(causes)

    def get(self, cause_id: str) -> Cause:
        """The cause with this id; KeyError for an unknown id (use `in` to test first)."""
        return self._causes[cause_id]

    def __contains__(self, cause_id: object) -> bool:
        return cause_id in self._causes

    def __len__(self) -> int:
        return len(self._causes)

    def ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._causes))


def _cause(entry: Mapping[str, Any]) -> Cause:
    """One entry as a Cause, refused when its fields are off (what it explains is checked by the caller)."""
    cause_id = entry["id"]
    if entry["retry"] not in RETRY_VALUES:
        raise ValueError(f"{cause_id}: retry must be one of {RETRY_VALUES}")
    if entry["layer"] not in LAYERS:
        raise ValueError(f"{cause_id}: layer must be one of {LAYERS}")
    explains = entry.get("explains", [])
    if not isinstance(explains, list) or not all(isinstance(x, str) for x in explains):
        raise ValueError(f"{cause_id}: explains must be a list of cause ids")
    by_client = entry.get("by_client", {})
    if not isinstance(by_client, Mapping) or not set(by_client) <= set(CLIENTS) or not all(
            isinstance(v, Mapping) and set(v) <= {"title", "explanation", "fix", "docs"} for v in by_client.values()):
        raise ValueError(f"{cause_id}: by_client maps one of {CLIENTS} to title/explanation/fix/docs")
    return Cause(cause_id, entry["category"], entry["layer"], entry["retry"], entry)


def parse(data: Mapping[str, Any]) -> KnowledgeBase:
    """Builds a knowledge base from `{"causes": [entry, ...]}` (tests use this to check bad data is refused)."""
    causes: dict[str, Cause] = {}
    for entry in data["causes"]:
        if entry["id"] in causes:
            raise ValueError(f"duplicate cause id {entry['id']!r}")
        causes[entry["id"]] = _cause(entry)
    for cause in causes.values():
        unknown = sorted(set(cause.explains) - set(causes))
        if unknown:
            raise ValueError(f"{cause.id}: explains unknown cause ids {unknown}")
    return KnowledgeBase(causes)


def _folder() -> Any:
    """data/causes, as a Path, or as a Traversable when installed somewhere that is not a folder (a zip)."""
    folder: Any = Path(__file__).parent / "data" / "causes"
    if not folder.is_dir():  # the slower, general way
        from importlib import resources

        folder = resources.files("llmdoctor").joinpath("data/causes")
    return folder


def _read(item: Any) -> dict[str, Any]:
    entry: dict[str, Any] = json.loads(item.read_text(encoding="utf-8"))
    if str(entry.get("id")) + ".json" != item.name:
        raise ValueError(f"data/causes/{item.name}: the file name must be the cause id ({entry.get('id')!r})")
    return entry


def read_entries() -> list[dict[str, Any]]:
    """Every cause file's entry, sorted by id; a file whose name is not its id is refused."""
    items = sorted(_folder().iterdir(), key=lambda f: f.name)
    return [_read(item) for item in items if item.name.endswith(".json")]


_SAFE_ID = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)+")  # a cause id names a file: no path in it


class _OnDemand(KnowledgeBase):
    """The built-in causes, each file read when its id is first asked for.

    `explain` names a handful of causes; reading all of them (about 90 files) cost a tenth of its
    start-up. What a cause `explains` is checked to exist as a file; the whole set is read and checked
    by `load()` (every run) and by tests/test_knowledge.py."""

    def __init__(self) -> None:
        super().__init__({})
        self._dir = _folder()
        self._absent: set[str] = set()
        self._complete = False

    def _find(self, cause_id: str) -> bool:
        if cause_id in self._causes:
            return True
        if self._complete or cause_id in self._absent or not _SAFE_ID.fullmatch(cause_id):
            return False
        item = self._dir.joinpath(f"{cause_id}.json")
        if not item.is_file():
            self._absent.add(cause_id)
            return False
        cause = _cause(_read(item))
        unknown = sorted(x for x in cause.explains if not self._dir.joinpath(f"{x}.json").is_file())
        if unknown:
            raise ValueError(f"{cause.id}: explains unknown cause ids {unknown}")
        self._causes[cause_id] = cause
        return True

    def _all(self) -> None:
        if not self._complete:
            self._causes = dict(parse({"causes": read_entries()})._causes)
            self._complete = True

    def get(self, cause_id: str) -> Cause:
        if not self._find(cause_id):
            raise KeyError(cause_id)
        return self._causes[cause_id]

    def __contains__(self, cause_id: object) -> bool:
        return isinstance(cause_id, str) and self._find(cause_id)

    def __len__(self) -> int:
        self._all()
        return len(self._causes)

    def ids(self) -> tuple[str, ...]:
        self._all()
        return super().ids()


CAUSES_GROUP = "llmdoctor.causes"


def plugin_entries(entry_points: list[Any] | None = None) -> list[dict[str, Any]]:
    """Causes that plug-ins ship: each entry point of the `llmdoctor.causes` group loads to a list of
    cause entries (the same shape as a data/causes file), or a function returning one. A plug-in
    cannot replace a built-in cause; a broken entry point is left out, as a broken check is."""
    from importlib import metadata

    found: list[dict[str, Any]] = []
    for ep in entry_points if entry_points is not None else metadata.entry_points(group=CAUSES_GROUP):
        try:
            loaded = ep.load()
            entries = loaded() if callable(loaded) else loaded
            found += [dict(e) for e in entries if isinstance(e, Mapping)]
        except Exception:  # a plug-in's bad data must not stop the run
            continue
    return found


def _merge(builtin: list[dict[str, Any]], extra: list[dict[str, Any]]) -> KnowledgeBase:
    base = parse({"causes": builtin})
    known = set(base.ids())
    causes = {cid: base.get(cid) for cid in known}
    for entry in extra:
        try:
            if entry.get("id") in known:
                continue
            one = parse({"causes": [entry]}) if not entry.get("explains") else None
            if one is None:  # what it explains must exist: check against everything known
                one = parse({"causes": [*builtin, entry]})
            causes[str(entry["id"])] = one.get(str(entry["id"]))
        except (KeyError, TypeError, ValueError):
            continue
    return KnowledgeBase(causes)


@functools.lru_cache(maxsize=1)
def builtin() -> KnowledgeBase:
    """The causes shipped in package data only. `explain` uses it: its signatures name only built-in
    causes, and the entry-point scan for plug-ins' causes (importlib.metadata) would cost every start-up.
    Each cause file is read when its id is first asked for."""
    return _OnDemand()


@functools.lru_cache(maxsize=1)
def load() -> KnowledgeBase:
    """The knowledge base shipped in package data plus the plug-ins' causes, read once per process."""
    extra = plugin_entries()
    # Every file read and checked, with what each explains (a run names causes from anywhere in the set).
    return _merge(read_entries(), extra) if extra else parse({"causes": read_entries()})


def causes_markdown(kb: KnowledgeBase | None = None) -> str:
    """The table in docs/causes.md; regenerate with `python -m llmdoctor.knowledge > docs/causes.md`."""
    kb = kb or load()
    lines = ["# Causes llmdoctor can name", "",
             "Generated from `llmdoctor/data/causes/*.json` by `python -m llmdoctor.knowledge > docs/causes.md`.",
             "Every id is stable: checks put it in `Finding.code`, the JSON report carries it, and "
             "`tests/test_knowledge.py` fails if this table misses one.", "",
             "TLS: `tls.verify_failed` is the umbrella for a certificate that did not verify; the finer ids "
             "(`tls.intercepted`, `tls.unknown_ca`, `tls.self_signed`, `tls.expired`, `tls.hostname_mismatch`, "
             "`tls.clock_skew`, `tls.ca_bundle_missing`, `tls.trust_store_mismatch`) are used when the evidence "
             "tells them apart.", "",
             "Layer is where in the chain env → config → dns → proxy → tcp → tls → api → timing the cause sits; "
             "a cause early in the chain outranks the later failures it explains.", "",
             "| id | layer | retry | title | how it shows |", "|---|---|---|---|---|"]
    for cause_id in kb.ids():
        cause = kb.get(cause_id)
        shows = cause.evidence("en").replace("|", "\\|")
        lines.append(f"| `{cause_id}` | {cause.layer} | {cause.retry} | {cause.title('en')} | {shows} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(causes_markdown(), end="")
