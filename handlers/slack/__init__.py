"""The Slack app: Bolt mounted at ``POST /slack/events`` (or Socket Mode), and its outbox notifier."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from handlers.context import AppContext
from handlers.slack import ids, shape
from handlers.slack.bolt_app import build_bolt_app
from handlers.slack.client import make_client
from handlers.slack.membership import SlackMembership, SlackNames
from handlers.slack.notifier import SlackNotifier
from handlers.slack.surface import SlackSurface

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
SURFACE: web.AppKey[SlackSurface] = web.AppKey("phigate_slack", SlackSurface)


def register(app: web.Application, ctx: AppContext) -> SlackSurface:
    """Wire the Slack surface into ``app``: endpoint or Socket Mode, notifier, group membership."""
    settings = ctx.settings.slack
    client = make_client(settings)
    membership = SlackMembership(client, settings.usergroups, settings.membership_cache_seconds)
    ctx.directory.add_source(membership)
    surface = SlackSurface(ctx, client, membership, SlackNames(client))
    bolt = build_bolt_app(surface)
    ctx.notifiers[ids.SURFACE] = SlackNotifier(surface)
    app[SURFACE] = surface
    if settings.socket_mode:
        app.cleanup_ctx.append(_socket_mode(bolt, settings.app_token))
    else:
        app.router.add_post(EVENTS_PATH, _endpoint(bolt))
    app.on_shutdown.append(_finish_background(surface))
    return surface


def _endpoint(bolt: AsyncApp):  # type: ignore[no-untyped-def]
    async def slack_events(request: web.Request) -> web.Response:
        """POST /slack/events: Bolt verifies the signature and acknowledges within Slack's 3 seconds."""
        try:
            bolt_request = await to_bolt_request(request)  # parses the body (the size limit applies)
        except (ValueError, TypeError, AttributeError) as exc:  # not UTF-8, not JSON, not an object
            return _malformed(type(exc).__name__)
        if (why := shape.problem(bolt_request.body)) is not None:
            return _malformed(why)
        response = await bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(response)

    return slack_events


def _malformed(why: str) -> web.Response:
    log.info("malformed slack request refused: %s", why)
    return web.json_response({"error": "malformed request"}, status=400)


def _socket_mode(bolt: AsyncApp, app_token: str):  # type: ignore[no-untyped-def]
    async def connect(app: web.Application) -> AsyncIterator[None]:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(bolt, app_token)
        task = asyncio.create_task(handler.connect_async())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        with contextlib.suppress(Exception):
            await handler.close_async()

    return connect


def _finish_background(surface: SlackSurface):  # type: ignore[no-untyped-def]
    async def finish(app: web.Application) -> None:
        if surface.background:
            await asyncio.wait(set(surface.background), timeout=5)

    return finish
