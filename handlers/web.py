"""The aiohttp application: mounts each surface, ``/healthz``, ``/metrics`` and JSON errors."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.errors import WorkflowError
from handlers import api, sandbox
from handlers.context import CONTEXT, AppContext
from handlers.metrics import CONTENT_TYPE_LATEST
from storage import outbox
from storage.db import StorageUnavailable

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error_response(status: int, error: str, detail: str = "") -> web.Response:
    """The API's error shape: ``{"error": "...", "detail": "..."}``."""
    return web.json_response({"error": error, "detail": detail}, status=status)


@web.middleware
async def errors_as_json(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn every failure into a JSON answer that names the problem but never quotes the request."""
    try:
        return await handler(request)
    except WorkflowError as exc:
        return error_response(exc.http_status, exc.message, exc.detail)
    except web.HTTPRequestEntityTooLarge as exc:
        limit = request.app[CONTEXT].settings.server.max_body_bytes
        return error_response(exc.status, "request body too large", f"the limit is {limit} bytes")
    except web.HTTPException as exc:
        if exc.status >= 400 and request.path.startswith("/api/"):
            return error_response(exc.status, exc.reason or "error", "")
        raise
    except StorageUnavailable as exc:
        log.error("database unavailable while answering %s %s", request.method, _route(request))
        return error_response(503, "the database is unavailable, nothing was changed; try again", str(exc))
    except Exception:
        log.exception("unexpected error answering %s %s", request.method, _route(request))
        return error_response(500, "internal error; nothing is lost, try again", "")


@web.middleware
async def measured(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Count and time requests by route pattern (never by path: paths carry ids)."""
    metrics = request.app[CONTEXT].metrics
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        route = _route(request)
        elapsed = time.perf_counter() - started
        metrics.requests.labels(route, request.method, str(status)).inc()
        metrics.latency.labels(route).observe(elapsed)
        # Our own access log: the route pattern, never the path's query or the body.
        log.info("%s %s -> %s in %.0f ms", request.method, route, status, elapsed * 1000)


def _route(request: web.Request) -> str:
    info = request.match_info.route.resource if request.match_info.route else None
    return info.canonical if info is not None else "unmatched"


async def healthz(request: web.Request) -> web.Response:
    """200 when the database answers; 503 with the reason otherwise."""
    ctx = request.app[CONTEXT]
    try:
        pending = await asyncio.to_thread(outbox.pending_count, ctx.db)
    except StorageUnavailable as exc:
        return web.json_response({"status": "unavailable", "detail": str(exc)}, status=503)
    return web.json_response(
        {"status": "ok", "mode": "sandbox" if ctx.sandbox else "workspace", "outbox_pending": pending}
    )


async def metrics(request: web.Request) -> web.Response:
    """Prometheus exposition."""
    ctx = request.app[CONTEXT]
    with contextlib.suppress(StorageUnavailable):
        ctx.metrics.outbox_pending.set(await asyncio.to_thread(outbox.pending_count, ctx.db))
    response = web.Response(body=ctx.metrics.render())
    response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
    return response


def build_app(ctx: AppContext) -> web.Application:
    """The server's application for one process."""
    app = web.Application(
        client_max_size=ctx.settings.server.max_body_bytes, middlewares=[measured, errors_as_json]
    )
    app[CONTEXT] = ctx
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    api.register(app)
    if ctx.sandbox:
        sandbox.register(app)
    if ctx.settings.slack.enabled:
        from handlers import slack  # Bolt is imported only by servers that talk to Slack

        slack.register(app, ctx)
    if ctx.settings.teams.enabled or ctx.sandbox:
        from handlers import teams  # botbuilder is imported only by servers that talk to Teams

        teams.register(app, ctx)
    return app
