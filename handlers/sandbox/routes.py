"""The sandbox chat's routes: the page, its channels as JSON (neutral cards), live events, full text."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import select

from bot.cards import full_text_allowed, review_card
from bot.errors import Forbidden, InvalidInput
from bot.identity import SANDBOX_NAMES
from handlers.api.auth import current_user
from handlers.api.incidents import incident_json
from handlers.api.serialize import draft_json
from handlers.context import AppContext, context_of
from handlers.sandbox.events import EventHub
from handlers.sandbox.notifier import SURFACE, review_channel
from storage.orm import CardRefRow, DraftRow
from storage.repositories import SqlTransaction

STATIC = Path(__file__).with_name("static")
HUB: web.AppKey[EventHub] = web.AppKey("phigate_sandbox_hub", EventHub)
STREAMS: web.AppKey[set[asyncio.Task[Any]]] = web.AppKey("phigate_sandbox_streams", set)
DRAFTS_CHANNEL = "social-drafts"
INCIDENTS_CHANNEL = "incidents"
CHANNEL_LIMIT = 50


async def page(request: web.Request) -> web.FileResponse:
    """GET /: the sandbox chat."""
    return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})


async def roster(request: web.Request) -> web.Response:
    """GET /sandbox/roster: the demo users, their names and groups, and the channels."""
    ctx = context_of(request)
    users = [
        {"id": user_id.split(":", 1)[1], "name": name, "groups": sorted(ctx.directory.groups_of(user_id))}
        for user_id, name in ctx.directory.identity.names.items()
        if user_id.startswith("sandbox:")
    ]
    order = list(SANDBOX_NAMES)
    users.sort(
        key=lambda user: order.index(f"sandbox:{user['id']}") if f"sandbox:{user['id']}" in order else 99
    )
    channels = [
        DRAFTS_CHANNEL,
        *(review_channel(group) for group in ctx.settings.policy.groups),
        INCIDENTS_CHANNEL,
    ]
    return web.json_response(
        {"users": users, "channels": channels, "reasons": list(ctx.settings.policy.rejection_reasons)}
    )


def _channel_view(ctx: AppContext, tx: SqlTransaction, user_id: str) -> dict[str, Any]:
    session = tx.session
    drafts_query = select(DraftRow.id).order_by(DraftRow.created_at.desc()).limit(CHANNEL_LIMIT)
    drafts = [tx.drafts.get(draft_id) for draft_id in session.scalars(drafts_query).all()]
    by_id = {draft.id: draft for draft in drafts if draft is not None}
    channels: dict[str, Any] = {
        DRAFTS_CHANNEL: [
            draft_json(draft, ctx.service.progress(draft), ctx.service.duplicates(tx, draft))
            for draft in reversed(list(by_id.values()))
        ]
    }
    for group in ctx.settings.policy.groups:
        channel = review_channel(group)
        posted = session.scalars(
            select(CardRefRow.draft_id).where(CardRefRow.surface == SURFACE, CardRefRow.channel == channel)
        ).all()
        cards = []
        for draft_id in posted:
            draft = by_id.get(draft_id) or tx.drafts.get(draft_id)
            if draft is None:
                continue
            card = review_card(
                ctx.settings,
                draft,
                ctx.service.progress(draft),
                channel=f"{SURFACE}:{channel}",
                duplicates=ctx.service.duplicates(tx, draft),
            )
            cards.append((draft.created_at, dataclasses.asdict(card)))
        cards.sort(key=lambda item: item[0])
        channels[channel] = [card for _, card in cards[-CHANNEL_LIMIT:]]
    now = ctx.incidents.clock.now()
    channels[INCIDENTS_CHANNEL] = [
        incident_json(i, now) for i in reversed(tx.incidents.list(limit=CHANNEL_LIMIT))
    ]
    roles = sorted(ctx.incidents.roles(user_id))
    return {
        "me": user_id,
        "groups": sorted(ctx.directory.groups_of(user_id)),
        "incident_roles": roles,
        "channels": channels,
    }


async def channels(request: web.Request) -> web.Response:
    """GET /sandbox/channels: every channel's content as the current user sees it."""
    ctx = context_of(request)
    user = await current_user(request)
    return web.json_response(await ctx.run(lambda tx: _channel_view(ctx, tx, user.id), write=False))


async def full_text(request: web.Request) -> web.Response:
    """GET /sandbox/drafts/{id}/text?channel=legal-review: the full text, where the channel allows it."""
    ctx = context_of(request)
    user = await current_user(request)
    channel = request.query.get("channel", "")
    if channel not in [review_channel(group) for group in ctx.settings.policy.groups]:
        raise InvalidInput("channel must be one of the review channels")
    if not full_text_allowed(ctx.settings, f"{SURFACE}:{channel}"):
        raise Forbidden("this channel shows the redacted preview only (not covered by the BAA)")
    if not ctx.directory.groups_of(user.id) & set(ctx.settings.policy.groups):
        raise Forbidden("only approvers can see the full text of a draft")
    draft_id = request.match_info["draft_id"]
    draft = await ctx.run(lambda tx: ctx.service.get(tx, draft_id), write=False)
    return web.json_response({"draft_id": draft.id, "version": draft.version, "text": draft.current.text})


async def events(request: web.Request) -> web.StreamResponse:
    """GET /sandbox/events: server-sent events, one per delivered outbox message."""
    hub = request.app[HUB]
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
    await response.prepare(request)
    queue = hub.subscribe()
    streams = request.app[STREAMS]
    task = asyncio.current_task()
    if task is not None:
        streams.add(task)
    try:
        await response.write(b": connected\n\n")
        while True:
            try:
                data = await asyncio.wait_for(queue.get(), timeout=15)
            except TimeoutError:
                await response.write(b": keep-alive\n\n")
                continue
            await response.write(f"data: {data}\n\n".encode())
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        hub.unsubscribe(queue)
        if task is not None:
            streams.discard(task)
    return response


async def _close_streams(app: web.Application) -> None:
    """On shutdown, end the open event streams (they would otherwise hold the shutdown up to the keep-alive)."""
    for task in list(app[STREAMS]):
        task.cancel()


def register(app: web.Application) -> None:
    """Add the sandbox routes and its static files."""
    app[STREAMS] = set()
    app.on_shutdown.append(_close_streams)
    app.router.add_get("/", page)
    app.router.add_static("/sandbox/static", STATIC)
    app.router.add_get("/sandbox/roster", roster)
    app.router.add_get("/sandbox/channels", channels)
    app.router.add_get("/sandbox/events", events)
    app.router.add_get("/sandbox/drafts/{draft_id}/text", full_text)
