"""The exporter's own /metrics: probes served and their durations, requests, errors, the process.

A registry of its own (not prometheus_client's global one), so a test or an embedding program
that makes two servers gets two sets of counters. Every label value is from a fixed set or a
configured target name: a route the client made up is counted as `other`, never by its path.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info, ProcessCollector
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector

from llmdoctor import __version__

ROUTES = ("index", "probe", "metrics", "health", "other")
ERROR_KINDS = ("bad_request", "busy", "client_gone", "internal", "malformed", "too_many_connections")
_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class SelfMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        ProcessCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        Info("llmdoctor_exporter_build", "The llmdoctor version serving.", registry=self.registry).info(
            {"version": __version__})
        self.targets = Gauge("llmdoctor_exporter_targets", "Targets configured for /probe.", registry=self.registry)
        self.probes = Counter("llmdoctor_exporter_probes", "Probes run, by target and result (success or failure).",
                              ["target", "result"], registry=self.registry)
        self.probe_seconds = Histogram("llmdoctor_exporter_probe_duration_seconds", "How long each probe took.",
                                       ["target"], buckets=_BUCKETS, registry=self.registry)
        self.in_flight = Gauge("llmdoctor_exporter_probes_in_flight", "Probes running now.", registry=self.registry)
        self.requests = Counter("llmdoctor_exporter_requests", "HTTP requests answered, by route and status code.",
                                ["route", "code"], registry=self.registry)
        self.errors = Counter("llmdoctor_exporter_errors", "Requests that went wrong, by kind: " +
                              ", ".join(ERROR_KINDS) + ".", ["kind"], registry=self.registry)
        for kind in ERROR_KINDS:
            self.errors.labels(kind)  # every kind shows as 0 from the start, so rate() has a baseline

    def error(self, kind: str) -> None:
        self.errors.labels(kind if kind in ERROR_KINDS else "internal").inc()

    def request(self, route: str, code: int) -> None:
        self.requests.labels(route if route in ROUTES else "other", str(code)).inc()

    def probed(self, target: str, success: bool, seconds: float) -> None:
        self.probes.labels(target, "success" if success else "failure").inc()
        self.probe_seconds.labels(target).observe(seconds)
