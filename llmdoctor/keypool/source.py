"""Reads a key file: plain lines, NAME=KEY lines, CSV or JSON with a key column.

The file is read once, never written or copied. Values are wrapped in `Secret` as soon as they
are found, and no message about the input ever quotes a value: only line numbers and names.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from llmdoctor.secrets import Secret

MAX_BYTES = 8 * 1024 * 1024  # a pool of 100,000 keys is about 6 MB; more is not a key file
MAX_KEYS = 100_000
KEY_COLUMNS = ("key", "api_key", "apikey", "api-key", "api key", "token", "secret", "value")
NAME_COLUMNS = ("name", "label", "id", "alias", "account", "owner")
_NAME = re.compile(r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.\- ]{0,63})$")


class SourceError(ValueError):
    """The input cannot be read as a key file; the message never holds a key."""


@dataclass(frozen=True)
class Note:
    """Something about how the key was written (e.g. whitespace around it), as a cause id and a sentence."""

    code: str
    message: str


@dataclass
class KeyEntry:
    """One distinct key and every place it appears in the input (1-based lines or rows)."""

    secret: Secret
    name: str
    lines: list[int]
    notes: list[Note] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.secret.reveal())


def fingerprint(key: str) -> str:
    """The first 12 hex digits of the key's SHA-256: a stable handle that reveals nothing."""
    return hashlib.sha256(key.encode("utf-8", errors="surrogatepass")).hexdigest()[:12]


@dataclass
class Pool:
    """The distinct keys of an input, in first-seen order, and how many lines repeated one."""

    entries: list[KeyEntry]
    duplicate_lines: int
    format: str


def read_bytes(stream: BinaryIO, label: str) -> bytes:
    """At most MAX_BYTES; a bigger input is refused rather than half-read."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise SourceError(f"{label} is larger than {MAX_BYTES // (1024 * 1024)} MB: not a key file")
    return data


def decode(data: bytes, label: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM (PowerShell's `>` writes that); else refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise SourceError(f"{label} starts like UTF-16 but does not decode as UTF-16") from None
    else:
        if b"\x00" in data[:65536]:
            raise SourceError(f"{label} looks binary (it holds NUL bytes): expected a text file of keys")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(f"{label} is not UTF-8 text (a bad byte at offset {exc.start}): expected a "
                              "text file of keys") from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise SourceError(f"{label} looks binary (it holds NUL characters): expected a text file of keys")
    return text


def _clean(raw: str) -> tuple[str, list[Note]]:
    """The key as an SDK would use it, and what had to be removed to get there."""
    notes: list[Note] = []
    value = raw.strip()
    if value != raw:
        notes.append(Note("config.key_whitespace", "the key had whitespace around it (removed for the probe)"))
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1].strip()
        notes.append(Note("config.key_whitespace", "the key was wrapped in quotes (removed for the probe)"))
    if value.lower().startswith("bearer "):
        value = value[7:].strip()
        notes.append(Note("config.key_whitespace", "the key started with 'Bearer ' (removed: the SDK adds it)"))
    if any(c.isspace() for c in value):
        notes.append(Note("config.key_whitespace", "the key has a space or line break inside it"))
    if any(ord(c) > 126 or ord(c) < 32 for c in value if not c.isspace()):
        notes.append(Note("config.key_malformed", "the key holds non-ASCII or invisible characters"))
    return value, notes


def _lines(text: str) -> Iterator[tuple[int, str, str]]:
    """(line number, name, raw value) of plain and NAME=KEY lines; blanks and # comments skipped."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        name = ""
        head, sep, tail = line.partition("=")
        match = _NAME.match(head.strip()) if sep else None
        # a value of 8 characters or more: "dGVzdA==" is a key with base64 padding, not NAME=KEY
        if match and len(tail.strip().strip("'\"")) >= 8:
            name, line = match.group(1).strip(), _without_comment(tail).strip()
            if len(line) >= 2 and line[0] == line[-1] and line[0] in "'\"":
                line = line[1:-1]  # NAME="KEY" is .env quoting (python-dotenv removes it), not a mistake
            yield number, name, line
            continue
        yield number, name, _without_comment(line)


def _without_comment(value: str) -> str:
    """`KEY  # team A` (.env style): a key never holds whitespace followed by #; quoted values keep theirs."""
    stripped = value.strip()
    if stripped[:1] in ("'", '"') and stripped[:1] in stripped[1:]:
        return value[: value.index(stripped[0], value.index(stripped[0]) + 1) + 1]
    found = re.search(r"\s#", value)
    return value[: found.start()].rstrip() if found else value  # the space before # separates, it is not the key's


def _pick(headers: list[str], wanted: str | None, known: Iterable[str], what: str) -> int | None:
    lowered = [h.strip().lower() for h in headers]
    if wanted is not None:
        if wanted.isdigit() and 0 < int(wanted) <= len(headers):
            return int(wanted) - 1
        if wanted.strip().lower() in lowered:
            return lowered.index(wanted.strip().lower())
        shown = ", ".join(repr(h.strip()[:40]) for h in headers[:20])
        raise SourceError(f"no {what} column {wanted!r} (columns: {shown})")
    return next((lowered.index(k) for k in known if k in lowered), None)


def _csv_rows(text: str, column: str | None) -> Iterator[tuple[int, str, str]]:
    sample = text[:8192]
    delimiter = max((",", ";", "\t", "|"), key=lambda d: sample.splitlines()[0].count(d) if sample else 0)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        headers = next(reader)
    except (StopIteration, csv.Error):
        raise SourceError("the CSV input has no header row") from None
    key_col = _pick(headers, column, KEY_COLUMNS, "key")
    if key_col is None:
        shown = ", ".join(repr(h.strip()[:40]) for h in headers[:20])
        raise SourceError(f"which column holds the keys? pass --column NAME (columns: {shown})")
    name_col = _pick(headers, None, NAME_COLUMNS, "name")
    try:
        for row in reader:
            number = reader.line_num
            if not row or not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
                continue
            value = row[key_col] if key_col < len(row) else ""
            if not value.strip():
                continue
            name = row[name_col].strip() if name_col is not None and name_col < len(row) else ""
            yield number, name, value
    except csv.Error as exc:
        raise SourceError(f"the CSV input is malformed near line {reader.line_num} ({exc})") from None


def _json_items(text: str, column: str | None) -> Iterator[tuple[int, str, str]]:
    try:
        data: Any = json.loads(text)
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", "?")
        raise SourceError(f"the input starts like JSON but is not valid JSON (line {line})") from None
    if isinstance(data, dict) and isinstance(data.get("keys"), list):
        data = data["keys"]
    if isinstance(data, dict):
        for index, (name, value) in enumerate(data.items(), 1):
            if isinstance(value, str):
                yield index, str(name), value
            elif isinstance(value, dict):
                yield from _json_object(index, value, column, str(name))
        return
    if not isinstance(data, list):
        raise SourceError("the JSON input is neither a list of keys nor an object of NAME: KEY")
    for index, item in enumerate(data, 1):
        if isinstance(item, str):
            yield index, "", item
        elif isinstance(item, dict):
            yield from _json_object(index, item, column, "")
        # other values (numbers, null) hold no key


def _json_object(index: int, item: dict[str, Any], column: str | None, name: str) -> Iterator[tuple[int, str, str]]:
    fields = [str(k) for k in item]
    key_col = _pick(fields, column, KEY_COLUMNS, "key") if not (column or "").isdigit() else None
    if key_col is None:
        shown = ", ".join(repr(f[:40]) for f in fields[:20])
        raise SourceError(f"item {index} of the JSON input has no key field; pass --column NAME (fields: {shown})")
    value = item[fields[key_col]]
    name_col = _pick(fields, None, NAME_COLUMNS, "name")
    if not name and name_col is not None and isinstance(item[fields[name_col]], (str, int)):
        name = str(item[fields[name_col]])
    if isinstance(value, str) and value.strip():
        yield index, name, value


def detect_format(text: str, label: str, column: str | None) -> str:
    """json, csv or lines: by the first character, the file name, or a header line with a key column."""
    head = text.lstrip()[:1]
    if head in ("[", "{"):
        return "json"
    if label.lower().endswith((".csv", ".tsv")):
        return "csv"
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")), "")
    cells = [c.strip().lower() for c in re.split(r"[,;\t|]", first)]
    if len(cells) > 1 and (column is not None or any(c in KEY_COLUMNS for c in cells)):
        return "csv"
    return "lines"


def parse(text: str, label: str = "the input", column: str | None = None, fmt: str = "auto") -> Pool:
    """The distinct keys, in first-seen order; a repeated key keeps its first name and lists every line."""
    kind = detect_format(text, label, column) if fmt == "auto" else fmt
    if kind == "lines" and column is not None:
        raise SourceError("--column applies to CSV or JSON input; this input is one key per line")
    items = {"json": _json_items, "csv": _csv_rows}.get(kind)
    rows = items(text, column) if items else _lines(text)
    by_key: dict[str, KeyEntry] = {}
    duplicates = 0
    for number, name, raw in rows:
        value, notes = _clean(raw)
        if not value:
            continue
        found = by_key.get(value)
        if found is not None:
            found.lines.append(number)
            found.notes.extend(n for n in notes if n not in found.notes)  # how any copy was written
            duplicates += 1
            continue
        if len(by_key) >= MAX_KEYS:
            raise SourceError(f"{label} holds more than {MAX_KEYS:,} keys: split it")
        by_key[value] = KeyEntry(Secret(value), name[:64], [number], notes)
    if not by_key:
        raise SourceError(f"no keys found in {label} (blank lines and # comments are skipped)")
    return Pool(list(by_key.values()), duplicates, kind)
