"""Runs the audit: every key through its host's lane, under one deadline, politely paced.

One lane per host (scheme, host, port): one pooled async client, `concurrency` workers and a
`HostGate`. A key that got a 429 is retried first after the host's pause, so a throttle aimed at
the auditor costs a wait, not a wrong class; only a key that is still refused on a fresh window,
`max_attempts` times, is `rate_limited`. When a host fails at the transport level for the first
keys and never answers, its remaining keys are not sent at all: the network is the finding.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from llmdoctor.api.build import completion_request, models_url, wire_provider
from llmdoctor.keypool.classes import KeyStatus
from llmdoctor.keypool.pacing import MAX_PAUSE, HostGate
from llmdoctor.keypool.plan import Plan, Probe, host_of, probe_for
from llmdoctor.keypool.probe import Verdict, failed, judge, model_verdict, send
from llmdoctor.keypool.source import KeyEntry, Pool
from llmdoctor.secrets import Scrubber

if TYPE_CHECKING:
    import httpx

    from llmdoctor.config import Target
    from llmdoctor.net.http import HttpClientFactory
    from llmdoctor.providers import Provider

DEFAULT_CONCURRENCY = 8
_TICK = 0.05


@dataclass(frozen=True)
class AuditOptions:
    concurrency: int = DEFAULT_CONCURRENCY
    model: str | None = None
    probe_completion: bool = False
    max_attempts: int = 3


@dataclass
class KeyResult:
    """The audit's answer for one distinct key; `evidence` is already scrubbed of the key."""

    entry: KeyEntry
    status: KeyStatus
    cause: str | None
    evidence: str
    retry_after_s: float | None
    provider: str
    host: str
    attempts: int
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class HostStats:
    host: str
    keys: int
    requests: int
    peak_in_flight: int
    backoffs: int
    paused_s: float


@dataclass
class Audit:
    results: list[KeyResult]
    hosts: list[HostStats]
    duration_s: float
    deadline_hit: bool


@dataclass
class _Job:
    index: int
    entry: KeyEntry
    target: Target
    provider: Provider
    probe: Probe
    attempts: int = 0


class _Lane:
    """One host: its client, its gate, its queue (retries first) and its workers."""

    def __init__(self, host: tuple[str, str, int], url: str, factory: HttpClientFactory, options: AuditOptions,
                 finish: Callable[[_Job, Verdict], None]) -> None:
        self.host = host
        self.factory = factory
        self.options = options
        self.finish = finish
        self.gate = HostGate(options.concurrency)
        self.proxy = factory.proxy_for(url)
        self.client: httpx.AsyncClient = factory.async_client(url, max_connections=options.concurrency,
                                                              proxy=self.proxy)
        self.pending: collections.deque[_Job] = collections.deque()
        self.retry: collections.deque[_Job] = collections.deque()
        self.open_jobs = 0
        self.keys = 0
        self.answered = 0  # HTTP answers of any kind: the path to the host works
        self.failures = 0
        self.broken: Verdict | None = None  # set when the host never answered the first keys

    @property
    def label(self) -> str:
        scheme, name, port = self.host
        return f"{scheme}://{name}:{port}"

    def add(self, job: _Job) -> None:
        self.pending.append(job)
        self.open_jobs += 1
        self.keys += 1

    async def worker(self, index: int) -> None:
        while self.open_jobs > 0:
            if not await self.gate.turn(index, self._remaining, lambda: self.open_jobs == 0):
                return  # done, or the deadline: what is left is reported as not probed
            job = self.retry.popleft() if self.retry else (self.pending.popleft() if self.pending else None)
            if job is None:
                await asyncio.sleep(_TICK)  # others are in flight and may hand a retry back
                continue
            verdict = await self._process(job, index)
            if verdict is None:
                self.retry.append(job)
                continue
            self.open_jobs -= 1
            self.finish(job, verdict)

    def _remaining(self) -> float:
        return self.factory.deadline.remaining()

    async def _request(self, index: int, method: str, url: str, headers: dict[str, str], *,
                       body: Any = None, only_status: bool = False) -> Any:
        """An Answer, a transport Verdict, or None when the deadline came first."""
        if not await self.gate.turn(index, self._remaining):
            return None
        seconds = self.factory.deadline.cap(self.factory.settings.timeout * 3)
        self.gate.started()
        try:
            answer = await send(self.client, method, url, headers, cap=seconds, body=body, only_status=only_status)
        except Exception as exc:  # every transport failure is a finding; the table names it
            return failed(exc, method, url, self.proxy.url is not None)
        finally:
            self.gate.finished()
        self.answered += 1
        return answer

    async def _process(self, job: _Job, index: int) -> Verdict | None:
        """The key's verdict, or None to retry it (first in line) after the host's pause."""
        if self.broken is not None:
            return self.broken
        if not _sendable(job.entry.secret.reveal()):
            return Verdict(KeyStatus.INVALID, "config.key_malformed", "not sent: the key holds non-ASCII or invisible "
                           "characters, which no HTTP header can carry (copy it again from the provider's console)")
        job.attempts += 1
        headers = Plan.headers_for(job.target)
        got = await self._request(index, "GET", job.probe.url, headers)
        verdict = self._read(job, got, judge_args={})
        if verdict is None or verdict.throttle:
            return self._after_throttle(job, verdict)
        if verdict.status is not KeyStatus.VALID:
            return verdict
        models = verdict.models
        # the model list also names a model for --probe-completion when neither --model nor the provider does
        wants_list = bool(self.options.model) or (self.options.probe_completion and not job.provider.probe_model)
        if wants_list:
            if models is None:
                listing = Probe("models", models_url(job.target, job.provider, for_auth=False))
                got = await self._request(index, "GET", listing.url, headers)
                listed = self._read(job, got, judge_args={"probe": listing})
                if listed is None or listed.throttle:
                    return self._after_throttle(job, listed)
                if listed.status is not KeyStatus.VALID:
                    return listed
                models = listed.models
            restricted = model_verdict(self.options.model, models or []) if self.options.model else None
            if restricted is not None and models:
                return restricted
        if self.options.probe_completion:
            model = self.options.model or job.provider.probe_model or (models[0] if models else "")
            if model:
                url, chat_headers, body = completion_request(job.target, job.provider, model)
                got = await self._request(index, "POST", url, chat_headers, body=body, only_status=True)
                chat = self._read(job, got, judge_args={"probe": Probe("chat", url), "endpoint": "chat",
                                                        "model_probe": bool(self.options.model)})
                if chat is None or chat.throttle:
                    return self._after_throttle(job, chat)
                if chat.status is not KeyStatus.VALID:
                    return chat
                verdict.evidence += f"; a tiny completion with {model} worked"
            else:
                verdict.evidence += "; no completion sent: no model is known (pass --model)"
        return verdict

    def _read(self, job: _Job, got: Any, judge_args: dict[str, Any]) -> Verdict | None:
        if got is None:
            return None
        if isinstance(got, Verdict):  # the network failed
            self.failures += 1
            if self.answered == 0 and self.failures >= max(3, self.options.concurrency):
                self.broken = Verdict(got.status, got.cause, f"not sent: the first {self.failures} requests "
                                      f"to {self.label} all failed before an answer (last: {got.evidence})")
            return got
        probe = judge_args.pop("probe", job.probe)
        verdict = judge(got, job.target, job.provider, probe, **judge_args)
        if not verdict.throttle:
            self.gate.succeeded()
        return verdict

    def _after_throttle(self, job: _Job, verdict: Verdict | None) -> Verdict | None:
        """Pauses the host; the key is retried unless it has had its attempts or its wait is too long."""
        if verdict is None:  # the deadline
            return _not_probed(self.factory.deadline.seconds)
        if verdict.retry_after_s is not None and verdict.retry_after_s > MAX_PAUSE:
            # A wait of minutes or hours is one key's quota window (per day, per month): no pause of the
            # audit can outlast it, so the key is rate_limited now and the others go on, more slowly.
            self.gate.narrowed()
            return verdict
        pause = self.gate.throttled(verdict.retry_after_s)
        if job.attempts >= self.options.max_attempts or pause >= self._remaining():
            if job.attempts > 1:
                verdict.evidence = f"{verdict.evidence} (refused {job.attempts} times, each after the host's pause)"
            return verdict
        return None


def _sendable(key: str) -> bool:
    """Header values are ASCII without control characters (httpx refuses others: UnicodeEncodeError)."""
    return all(32 <= ord(c) <= 126 or c == "\t" for c in key)


def _not_probed(seconds: float) -> Verdict:
    return Verdict(KeyStatus.ERROR, None, f"not probed: the audit's deadline ({seconds:g} s) came first")


def run(pool: Pool, plan: Plan, factory: HttpClientFactory, options: AuditOptions,
        on_done: Callable[[KeyResult], None] | None = None) -> Audit:
    """Audits every key of `pool`; results in the pool's order."""
    return asyncio.run(_run(pool, plan, factory, options, on_done))


async def _run(pool: Pool, plan: Plan, factory: HttpClientFactory, options: AuditOptions,
               on_done: Callable[[KeyResult], None] | None) -> Audit:
    start = time.monotonic()
    results: list[KeyResult | None] = [None] * len(pool.entries)
    lanes: dict[tuple[str, str, int], _Lane] = {}

    def finish(job: _Job, verdict: Verdict) -> None:
        scrub = Scrubber([job.entry.secret.reveal()])
        result = KeyResult(job.entry, verdict.status, verdict.cause, scrub(verdict.evidence), verdict.retry_after_s,
                           job.target.provider.id, lanes[host_of(job.probe.url)].label, job.attempts,
                           scrub.scrub_data(verdict.facts))  # type: ignore[arg-type]
        results[job.index] = result
        if on_done is not None:
            on_done(result)

    for index, entry in enumerate(pool.entries):
        target = plan.target_for(entry.secret.reveal())
        provider = wire_provider(target)
        probe = probe_for(target, provider)
        host = host_of(probe.url)
        if host not in lanes:
            lanes[host] = _Lane(host, probe.url, factory, options, finish)
        lanes[host].add(_Job(index, entry, target, provider, probe))
    tasks = [asyncio.create_task(lane.worker(i)) for lane in lanes.values() for i in range(options.concurrency)]
    deadline_hit = False
    try:
        done, _ = await asyncio.wait(tasks, timeout=factory.deadline.remaining())
        deadline_hit = len(done) < len(tasks) or any(r is None for r in results)
        for task in done:
            if task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for lane in lanes.values():
            await lane.client.aclose()
    lane_of = {job_host: lane for job_host, lane in lanes.items()}
    final: list[KeyResult] = []
    for index, entry in enumerate(pool.entries):
        result = results[index]
        if result is None:
            target = plan.target_for(entry.secret.reveal())
            host = host_of(probe_for(target, wire_provider(target)).url)
            lane = lane_of[host]
            verdict = _not_probed(factory.deadline.seconds)
            if lane.gate.resume_at > time.monotonic():  # the host's pause ran past the deadline
                verdict.evidence += f" ({lane.label} had asked to wait {lane.gate.paused_s:g} s in all)"
            result = KeyResult(entry, verdict.status, None, verdict.evidence, None, target.provider.id,
                               lane.label, 0)
        final.append(result)
    stats = [HostStats(lane.label, lane.keys, lane.gate.requests, lane.gate.peak_in_flight, lane.gate.backoffs,
                       round(lane.gate.paused_s, 3)) for lane in lanes.values()]
    return Audit(final, stats, round(time.monotonic() - start, 3), deadline_hit)
