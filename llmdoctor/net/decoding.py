"""Bounded Content-Encoding decoding, so a compression bomb cannot take the process's memory.

httpx's `iter_bytes` inflates each raw chunk in one call: a 64 KB chunk of a gzip bomb becomes
about 64 MB, and a gzip-inside-gzip bomb far more. Here every inflate call gets `max_length`, so
output never exceeds what the caller still wants. The layers and their order are httpx's own
(`httpx._decoders`: unknown names are skipped, the last-applied coding is undone first, a deflate
body may be zlib-wrapped or raw), so a normal answer decodes to exactly the same bytes.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

_BOUNDED = {"identity", "gzip", "deflate"}
_STEP = 64 * 1024  # output asked of one layer at a time


class DecodingError(ValueError):
    """The body does not decode as its Content-Encoding says (httpx raises its own DecodingError)."""


class _Inflater:
    """One gzip or deflate layer; `pull(n)` returns at most `n` bytes of output."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self.first = True
        self.obj = zlib.decompressobj(zlib.MAX_WBITS | 16 if coding == "gzip" else zlib.MAX_WBITS)
        self.pending = b""

    def feed(self, data: bytes) -> None:
        self.pending += data

    def pull(self, limit: int) -> bytes:
        data, self.pending = self.pending, b""
        try:
            out = self.obj.decompress(data, limit)
        except zlib.error as exc:
            if self.coding == "deflate" and self.first:  # a raw deflate stream without the zlib header
                self.first = False
                self.obj = zlib.decompressobj(-zlib.MAX_WBITS)
                self.pending = data
                return self.pull(limit)
            raise DecodingError(f"{self.coding}: {exc}") from exc
        if data:
            self.first = False
        self.pending = self.obj.unconsumed_tail
        return out


def codings(header_values: Iterable[str]) -> list[str] | None:
    """The layers to undo, first to last, or None when one is not gzip, deflate or identity."""
    names = [v.strip().lower() for value in header_values for v in value.split(",") if v.strip()]
    if any(name not in _BOUNDED for name in names):
        return None
    return [n for n in reversed(names) if n != "identity"]


class BoundedDecoder:
    """Decodes raw chunks through `layers`, never producing more than `budget` bytes in all."""

    def __init__(self, layers: list[str], budget: int) -> None:
        self.layers = [_Inflater(name) for name in layers]
        self.budget = budget
        self.produced = 0

    @property
    def exhausted(self) -> bool:
        return self.produced >= self.budget

    def decode(self, raw: bytes) -> bytes:
        """The output of one raw chunk (at most the budget left)."""
        if not self.layers:
            out = raw[: self.budget - self.produced]
            self.produced += len(out)
            return out
        self.layers[0].feed(raw)
        parts: list[bytes] = []
        while not self.exhausted:
            piece = self._pull(len(self.layers) - 1, min(_STEP, self.budget - self.produced))
            if not piece:
                break
            parts.append(piece)
            self.produced += len(piece)
        return b"".join(parts)

    def _pull(self, index: int, limit: int) -> bytes:
        layer = self.layers[index]
        while True:
            out = layer.pull(limit)
            if out or index == 0:
                return out
            more = self._pull(index - 1, _STEP)
            if not more:
                return b""
            layer.feed(more)


def decoded_chunks(raw_chunks: Iterable[bytes], layers: list[str], budget: int) -> Iterator[bytes]:
    """Non-empty decoded chunks, one per raw chunk, until the input ends or `budget` bytes came out."""
    decoder = BoundedDecoder(layers, budget)
    for raw in raw_chunks:
        out = decoder.decode(raw)
        if out:
            yield out
        if decoder.exhausted:
            return
