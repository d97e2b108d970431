"""Assembling one server process: settings -> database, scanner, workflow, app (used by ``serve`` and tests)."""

from __future__ import annotations

import getpass

from aiohttp import web

from bot.approvals import ApprovalService
from bot.audit import AuditEvent, Kind
from bot.clock import SystemClock
from bot.config import Settings
from bot.identity import ConfiguredDirectory, sandbox_identity
from bot.incidents import IncidentService
from bot.phi.scanner import get_scanner
from bot.ports import Clock
from handlers import worker
from handlers.context import AppContext
from handlers.metrics import Metrics
from handlers.web import build_app
from storage.db import Database

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


class SandboxNotOnLoopback(Exception):  # noqa: N818 - reads as what the operator sees
    """Sandbox mode trusts a user header, so it must never listen beyond this machine."""


def check_listen_address(settings: Settings) -> None:
    """Refuse a non-loopback host in sandbox mode (checked before anything is opened or loaded).

    Raises:
        SandboxNotOnLoopback: sandbox mode with a host other than loopback.
    """
    if settings.sandbox_mode and settings.server.host not in LOOPBACK:
        raise SandboxNotOnLoopback(
            f"sandbox mode (no Slack or Teams credentials) only listens on loopback, not {settings.server.host}: "
            "configure Slack or Teams credentials, or use --host 127.0.0.1"
        )


def build_context(settings: Settings, db: Database, clock: Clock | None = None) -> AppContext:
    """Everything a server process shares, wired from ``settings``."""
    sandbox = settings.sandbox_mode
    identity = sandbox_identity(settings.identity) if sandbox else settings.identity
    directory = ConfiguredDirectory(identity, legal_group=settings.policy.override_group)
    scanner = get_scanner(settings)
    surfaces = ["sandbox"] if sandbox else []
    if settings.slack.enabled:
        surfaces.append("slack")
    if settings.teams.enabled or settings.teams.channels:
        surfaces.append("teams")
    service = ApprovalService(settings, scanner.scan, directory, clock or SystemClock(), surfaces)
    effective = settings.model_copy(update={"identity": identity})
    card_surfaces = tuple(surface for surface in surfaces if surface in ("slack", "teams"))
    incidents = IncidentService(effective, directory, clock or SystemClock(), card_surfaces)
    return AppContext(
        settings=settings,
        db=db,
        service=service,
        incidents=incidents,
        directory=directory,
        metrics=Metrics(),
        sandbox=sandbox,
    )


def build_server(
    settings: Settings, db: Database, clock: Clock | None = None, *, background: bool = True
) -> web.Application:
    """The aiohttp app with its outbox worker and scheduler (``background=False`` leaves them off)."""
    check_listen_address(settings)
    settings.check_platforms()
    ctx = build_context(settings, db, clock)
    app = build_app(ctx)
    if background:
        worker.install(app)
    record_configuration(ctx)
    return app


def record_configuration(ctx: AppContext) -> None:
    """Audit the effective configuration's hash at start-up."""
    actor = f"system:{getpass.getuser()}"
    fingerprint = ctx.settings.fingerprint()
    event = AuditEvent(
        at=ctx.service.clock.now(),
        actor=actor,
        kind=Kind.CONFIG_LOADED,
        subject_type="config",
        subject_id=fingerprint[:16],
        data={"sha256": fingerprint, "sandbox": ctx.sandbox},
    )
    ctx.db.run(lambda tx: tx.audit.append(event))
