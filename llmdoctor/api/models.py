"""Model lists in the shapes servers send them, and the names closest to a misspelt one."""

from __future__ import annotations

import difflib
import json
from typing import Any

MAX_IDS = 500


def model_ids(body: bytes) -> list[str] | None:
    """Ids from `{"data": [...]}` (OpenAI, Anthropic, relays), `{"models": [...]}` (Gemini, Ollama
    native) or a bare list; Gemini's "models/" prefix removed. None when the body is not a list."""
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: a body nested thousands deep
        return None
    items = data.get("data", data.get("models")) if isinstance(data, dict) else data
    if not isinstance(items, list):
        return None
    ids: list[str] = []
    for item in items:
        value = item if isinstance(item, str) else next(
            (item[k] for k in ("id", "name", "model") if isinstance(item, dict) and isinstance(item.get(k), str)),
            None)
        if value:
            ids.append(value.removeprefix("models/"))
    return list(dict.fromkeys(ids))


def model_endpoints(body: bytes, limit: int = MAX_IDS) -> dict[str, str]:
    """What the list says each model is for, where the server tells: LiteLLM's `mode` ("chat",
    "completion", "embedding", "responses"…), Azure's `capabilities` ({"chat_completion": false,
    "completion": true}), New API's `supported_endpoint_types`. Models it says nothing about are left out."""
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):
        return {}
    items = data.get("data") if isinstance(data, dict) else None
    found: dict[str, str] = {}
    for item in items[:limit] if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        kind = _kind(item)
        if kind:
            found[item["id"]] = kind
    return found


def _kind(item: dict[str, Any]) -> str:
    mode = item.get("mode")
    if isinstance(mode, str) and mode:
        return mode
    caps = item.get("capabilities")
    if isinstance(caps, dict) and any(isinstance(v, bool) for v in caps.values()):
        if caps.get("chat_completion"):
            return "chat"
        for key, kind in (("completion", "completion"), ("embeddings", "embedding")):
            if caps.get(key):
                return kind
        return ""
    types = item.get("supported_endpoint_types")
    if isinstance(types, list) and types and all(isinstance(t, str) for t in types):
        # New API's names: "openai" (chat), "openai-response", "anthropic", "gemini", "image-generation",
        # "jina-rerank", "embeddings"; a relay converts between the chat-like ones
        if any(t in ("openai", "anthropic", "gemini") for t in types):
            return "chat"
        for name, kind in (("openai-response", "responses"), ("image-generation", "image_generation"),
                           ("jina-rerank", "rerank"), ("embeddings", "embedding"), ("embedding", "embedding")):
            if name in types:
                return kind
    return ""


def find(model: str, ids: list[str]) -> tuple[str, str | None]:
    """("exact" | "alias" | "case" | "absent", the listed id that matched)."""
    name = model.removeprefix("models/")
    if name in ids:
        return "exact", name
    lowered = {i.lower(): i for i in ids}
    if name.lower() in lowered:
        return "case", lowered[name.lower()]
    # Aliases resolve to a dated id that the list shows: claude-sonnet-4-0 → claude-sonnet-4-0-2025…,
    # gpt-4o → gpt-4o-2024-08-06, …-latest → the newest.
    stem = name.removesuffix("-latest")
    dated = sorted(i for i in ids if i.startswith(stem + "-") and any(c.isdigit() for c in i[len(stem):]))
    if dated:
        return "alias", dated[-1]
    return "absent", None


def closest(model: str, ids: list[str], n: int = 3) -> list[str]:
    name = model.removeprefix("models/").lower()
    by_lower = {i.lower(): i for i in ids}
    return [by_lower[m] for m in difflib.get_close_matches(name, list(by_lower), n=n, cutoff=0.5)]
