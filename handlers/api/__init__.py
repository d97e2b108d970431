"""The JSON API (``/api/...``), described by ``/api/openapi.json``."""

from __future__ import annotations

from aiohttp import web

from handlers.api import audit, drafts, incidents, openapi


def register(app: web.Application) -> None:
    """Add every API route."""
    drafts.register(app)
    audit.register(app)
    incidents.register(app)
    openapi.register(app)
