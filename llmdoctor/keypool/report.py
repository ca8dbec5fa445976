"""The audit as versioned, JSON-safe data: what every view (table, JSON, CSV) lays out.

A key appears only as its redacted form and its fingerprint. The data is scrubbed as a whole
before any view sees it (`scrub_all`), so even a server that echoes a key cannot print one.
"""

from __future__ import annotations

from typing import Any

from llmdoctor import __version__
from llmdoctor.keypool.audit import Audit, AuditOptions, KeyResult
from llmdoctor.keypool.classes import ORDER, KeyStatus
from llmdoctor.keypool.source import Pool
from llmdoctor.secrets import Scrubber

SCHEMA_VERSION = "1.0"
_RANK = {status: rank for rank, status in enumerate(ORDER)}


def _row(result: KeyResult) -> dict[str, Any]:
    entry = result.entry
    return {
        "fingerprint": entry.fingerprint,
        "redacted": entry.secret.redacted,
        "name": entry.name,
        "status": result.status.value,
        "cause": result.cause,
        "evidence": result.evidence,
        "retry_after_s": result.retry_after_s,
        "lines": list(entry.lines),
        "notes": [{"code": n.code, "message": n.message} for n in entry.notes],
        "provider": result.provider,
        "host": result.host,
        "attempts": result.attempts,
        "facts": result.facts,
    }


def sort_key(row: dict[str, Any]) -> tuple[int, int]:
    return _RANK[KeyStatus(row["status"])], row["lines"][0] if row["lines"] else 0


def _causes(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Each cause the pool shows, once, with the knowledge base's title and fix in the user's language."""
    from llmdoctor.knowledge import load

    kb = load()
    counts: dict[str, int] = {}
    for row in rows:
        for code in [row["cause"], *(n["code"] for n in row["notes"])]:
            if code:
                counts[code] = counts.get(code, 0) + 1
    out = []
    for code, count in counts.items():
        if code in kb:
            cause = kb.get(code)
            out.append({"id": code, "keys": count, "title": cause.title(lang), "fix": list(cause.fix(lang)),
                        "retry": cause.retry})
    return out


def build(pool: Pool, audit: Audit, options: AuditOptions, label: str, lang: str = "en") -> dict[str, Any]:
    rows = sorted((_row(r) for r in audit.results), key=sort_key)
    summary = {status.value: 0 for status in ORDER}
    for row in rows:
        summary[row["status"]] += 1
    healthy = summary[KeyStatus.VALID.value] == len(rows)
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "keys",
        "lang": lang,
        "tool": {"name": "llmdoctor", "version": __version__},
        "input": {"source": label, "format": pool.format, "keys": len(rows), "duplicate_lines": pool.duplicate_lines},
        "options": {"concurrency": options.concurrency, "model": options.model,
                    "probe_completion": options.probe_completion},
        "keys": rows,
        "summary": summary,
        "causes": _causes(rows, lang),
        "duplicates": [{"fingerprint": r["fingerprint"], "redacted": r["redacted"], "lines": r["lines"]}
                       for r in rows if len(r["lines"]) > 1],
        "hosts": [vars(h) for h in audit.hosts],
        "duration_ms": round(audit.duration_s * 1000, 1),
        "deadline_hit": audit.deadline_hit,
        "healthy": healthy,
        "exit_code": 0 if healthy else 1,
    }


def scrubber_for(pool: Pool, base: Scrubber | None = None) -> Scrubber:
    """Every key of the pool (raw and quoted forms), on top of the environment's secrets."""
    scrub = base or Scrubber()
    for entry in pool.entries:
        scrub.add(entry.secret.reveal())
    return scrub
