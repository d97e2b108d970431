"""``GET /api/audit``: the audit export over HTTP (legal members and configured auditors only).

Rows stream from a database cursor on a worker thread to the response through a small bounded queue,
so memory stays constant however long the trail. JSONL ends with the ``{"summary": ...}`` line (chain
count and head, including the ``exported`` event this download appends); CSV carries rows only, and
its summary is that same ``exported`` event, which ``phigate audit verify`` covers.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from bot.errors import Forbidden, InvalidInput
from handlers.api.auth import current_user
from handlers.context import context_of
from handlers.export_format import HashingSink, RowWriter, parse_moment, record_export
from storage.export import export_rows

_CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}
_DONE = object()


class _QueueStream:
    """A text stream whose writes go, in order, to an asyncio queue on the server's loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[Any]) -> None:
        self.loop = loop
        self.queue = queue

    def write(self, text: str) -> int:
        asyncio.run_coroutine_threadsafe(self.queue.put(text), self.loop).result()
        return len(text)


def _moment(request: web.Request, name: str) -> datetime | None:
    value = request.query.get(name, "").strip()
    if not value:
        return None
    try:
        return parse_moment(value)
    except ValueError:
        raise InvalidInput(f"{name} must be an ISO 8601 date or date-time, e.g. 2026-11-01") from None


async def export_audit(request: web.Request) -> web.StreamResponse:
    """GET /api/audit?since&until&format=csv|jsonl."""
    ctx = context_of(request)
    user = await current_user(request)
    if not ctx.directory.may_audit(user.id):
        raise Forbidden("only legal members and configured auditors may export the audit trail")
    fmt = request.query.get("format", "jsonl")
    if fmt not in _CONTENT_TYPES:
        raise InvalidInput("format must be csv or jsonl")
    since, until = _moment(request, "since"), _moment(request, "until")
    if since and until and since >= until:
        raise InvalidInput("since must be before until")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    response = web.StreamResponse(
        headers={
            "Content-Type": _CONTENT_TYPES[fmt],
            "Content-Disposition": f'attachment; filename="phigate-audit-{stamp}.{fmt}"',
            "Cache-Control": "no-store",
        }
    )
    await response.prepare(request)
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=64)

    def produce() -> None:
        try:
            writer = RowWriter(fmt, HashingSink(_QueueStream(loop, queue)), include_text=False)  # type: ignore[arg-type]
            rows = 0
            with ctx.db.transaction(write=False) as tx:
                for row in export_rows(tx.session, since, until, include_text=False):
                    writer.write(row)
                    rows += 1
            writer.summary(
                record_export(
                    ctx.db,
                    actor=user.id,
                    at=ctx.service.clock.now(),
                    fmt=fmt,
                    since=since,
                    until=until,
                    rows=rows,
                    include_text=False,
                )
            )
        finally:
            asyncio.run_coroutine_threadsafe(queue.put(_DONE), loop).result()

    producer = asyncio.create_task(asyncio.to_thread(produce))
    while (chunk := await queue.get()) is not _DONE:
        await response.write(chunk.encode("utf-8"))
    await producer
    await response.write_eof()
    return response


def register(app: web.Application) -> None:
    """Add the audit route."""
    app.router.add_get("/api/audit", export_audit)
