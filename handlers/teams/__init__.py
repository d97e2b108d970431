"""The Teams bot: botbuilder's CloudAdapter at ``POST /api/messages``, and its outbox notifier."""

from __future__ import annotations

import logging

from aiohttp import web
from botbuilder.core.serializer_helper import serializer_helper
from botbuilder.schema import Activity

from bot.errors import InvalidInput, MalformedRequest, Unauthenticated
from handlers.context import AppContext
from handlers.teams import ids
from handlers.teams.adapter import make_adapter
from handlers.teams.bot import PhigateBot
from handlers.teams.notifier import TeamsNotifier
from handlers.teams.surface import TeamsSurface

log = logging.getLogger(__name__)
MESSAGES_PATH = "/api/messages"
SURFACE: web.AppKey[TeamsSurface] = web.AppKey("phigate_teams", TeamsSurface)


def register(app: web.Application, ctx: AppContext) -> TeamsSurface:
    """Mount the endpoint (Bot Framework JWT validation with an app id; Emulator mode without one)."""
    adapter = make_adapter(ctx.settings.teams)
    surface = TeamsSurface(ctx, adapter)
    bot = PhigateBot(surface)
    ctx.notifiers[ids.SURFACE] = TeamsNotifier(surface)
    app[SURFACE] = surface

    async def messages(request: web.Request) -> web.StreamResponse:
        """POST /api/messages: authenticate first (every failure is a 401), then run the turn.

        ``CloudAdapter.process`` turns only some token failures into 401 and the rest (malformed,
        expired, forged, unknown key) into 500; it also passes a missing header as "" where None is meant.
        """
        if "application/json" not in request.headers.get("Content-Type", ""):
            raise InvalidInput("send the activity as application/json")
        try:
            activity = Activity().deserialize(await request.json())
        except ValueError:
            raise MalformedRequest("the body is not a JSON activity") from None
        if not activity.type:
            raise MalformedRequest("the activity has no type")
        try:
            auth = await adapter.bot_framework_authentication.authenticate_request(
                activity, request.headers.get("Authorization") or None
            )
        except Exception as exc:
            log.info("teams request refused: %s", type(exc).__name__)
            raise Unauthenticated("the Bot Framework token is missing or invalid") from None
        invoke = await adapter.process_activity(auth, activity, bot.on_turn)
        if invoke is not None:
            body = (
                invoke.body
                if isinstance(invoke.body, (dict, list)) or invoke.body is None
                else serializer_helper(invoke.body)
            )
            return web.json_response(body, status=invoke.status)
        return web.Response(status=201)

    app.router.add_post(MESSAGES_PATH, messages)
    return surface
