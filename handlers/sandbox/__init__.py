"""The local sandbox chat: channels, a user switcher and review cards in a browser, no workspace needed."""

from __future__ import annotations

from aiohttp import web

from handlers.context import CONTEXT
from handlers.sandbox.events import EventHub
from handlers.sandbox.notifier import SandboxNotifier
from handlers.sandbox.routes import HUB
from handlers.sandbox.routes import register as register_routes


def register(app: web.Application) -> None:
    """Mount the sandbox on ``app`` and register its notifier for outbox messages."""
    hub = EventHub()
    app[HUB] = hub
    ctx = app[CONTEXT]
    ctx.notifiers["sandbox"] = SandboxNotifier(ctx, hub)
    ctx.incident_listeners.append(
        lambda incident_id: hub.publish({"type": "incident", "incident_id": incident_id})
    )
    register_routes(app)
