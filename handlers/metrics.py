"""Prometheus metrics of one server process (ids and categories only, never text)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE_LATEST", "Metrics"]


class Metrics:
    """The counters and histograms phigate exports at ``/metrics``."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "phigate_http_requests",
            "HTTP requests answered",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "phigate_http_request_seconds",
            "Time to answer an HTTP request",
            ["route"],
            registry=self.registry,
        )
        self.drafts = Counter(
            "phigate_drafts_submitted", "Drafts submitted", ["verdict"], registry=self.registry
        )
        self.decisions = Counter(
            "phigate_decisions", "Approver decisions", ["decision"], registry=self.registry
        )
        self.delivered = Counter(
            "phigate_outbox_delivered",
            "Outbox messages delivered",
            ["surface", "kind"],
            registry=self.registry,
        )
        self.delivery_failures = Counter(
            "phigate_outbox_failures",
            "Outbox delivery attempts that failed",
            ["surface", "kind"],
            registry=self.registry,
        )
        self.outbox_pending = Gauge(
            "phigate_outbox_pending", "Outbox messages not yet delivered", registry=self.registry
        )

    def render(self) -> bytes:
        """The exposition text."""
        return generate_latest(self.registry)
