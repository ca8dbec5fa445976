"""Sends the API checks' requests through `ctx.http` and remembers what every answer showed.

Redirects are followed only within the same origin (scheme, host, port): a redirect must never
carry the key to another host. Transport errors come back as `TransportFailure`, not exceptions.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from llmdoctor.api.build import same_origin
from llmdoctor.api.observe import merge_ids, now_iso, observation, request_ids
from llmdoctor.context import Context
from llmdoctor.net.errors import TransportFailure, classify
from llmdoctor.net.http import HttpAnswer
from llmdoctor.secrets import redact_url

MAX_SAME_ORIGIN_REDIRECTS = 3


@dataclass
class Session:
    ctx: Context
    headers: dict[str, str]
    request_ids: list[dict[str, str]] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    redirects: list[dict[str, Any]] = field(default_factory=list)

    def via_proxy(self, url: str) -> bool:
        return self.ctx.http.proxy_for(url).url is not None

    def proxy_fact(self, url: str) -> str | None:
        choice = self.ctx.http.proxy_for(url)
        return redact_url(choice.url) if choice.url else None

    def record(self, label: str, answer: HttpAnswer) -> str:
        at = now_iso()
        merge_ids(self.request_ids, request_ids(answer.headers, at))
        self.responses.append(observation(label, answer.status, answer.headers, at))
        return at

    def send(self, method: str, url: str, label: str, *, json_body: Any = None, timeout: float | None = None,
             follow: bool = True, **kwargs: Any) -> HttpAnswer | TransportFailure:
        for _hop in range(MAX_SAME_ORIGIN_REDIRECTS + 1):
            try:
                answer = self.ctx.http.fetch(method, url, headers=self.headers, json_body=json_body,
                                             timeout=timeout or self.ctx.timeout(), **kwargs)
            except Exception as exc:  # every transport failure is a finding, through the one table
                return classify(exc, via_proxy=self.via_proxy(url))
            self.record(label, answer)
            location = answer.headers.get("location")
            if not (follow and 300 <= answer.status < 400 and location):
                return answer
            nxt = urllib.parse.urljoin(url, location)
            same = same_origin(url, nxt)
            self.redirects.append({"from": url, "to": redact_url(nxt), "status": answer.status, "followed": same})
            if not same:
                return answer
            url = nxt
        return answer
