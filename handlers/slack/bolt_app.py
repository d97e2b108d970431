"""The Bolt ``AsyncApp``: our middleware (context, retry de-duplication) and every listener package."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from handlers.slack import ids
from handlers.slack.listeners import actions, commands, events, shortcuts, views
from handlers.slack.surface import CONTEXT_KEY, SlackSurface

log = logging.getLogger(__name__)


def build_bolt_app(surface: SlackSurface) -> AsyncApp:
    """The Bolt app for one workspace (tokens from settings), listeners registered."""
    settings = surface.settings
    app = AsyncApp(
        name="phigate",
        token=settings.bot_token or None,
        client=surface.client,
        signing_secret=settings.signing_secret or None,
        # Socket Mode requests arrive over an authenticated WebSocket, not signed HTTP.
        request_verification_enabled=not settings.socket_mode,
        process_before_response=False,
        logger=logging.getLogger("slack_bolt.phigate"),
    )
    app.middleware(_attach(surface))
    app.middleware(_drop_repeated_events(surface))
    for package in (commands, actions, views, shortcuts, events):
        package.register(app)
    return app


def _attach(surface: SlackSurface) -> Callable[..., Awaitable[Any]]:
    async def attach_surface(context: dict[str, Any], next: Callable[[], Awaitable[None]]) -> None:
        context[CONTEXT_KEY] = surface
        await next()

    return attach_surface


def _drop_repeated_events(surface: SlackSurface) -> Callable[..., Awaitable[Any]]:
    """Slack re-sends an event it got no timely answer for (``X-Slack-Retry-Num``): handle it once."""

    async def drop_repeated_events(
        body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            key = f"event:{str(event_id)[:150]}"
            seen = await surface.run(lambda tx: tx.requests.claim(ids.SURFACE, key, "handled"))
            if seen is not None:
                log.info("slack event %s already handled; ignoring the retry", event_id)
                return BoltResponse(status=200, body="")
        await next()
        return None

    return drop_repeated_events
