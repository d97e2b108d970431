"""Reading JSON request bodies: malformed JSON is a 400, wrong fields a 422, too large a 413."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.errors import InvalidInput, MalformedRequest


async def json_object(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object (aiohttp answers 413 itself above the size limit)."""
    raw = await request.read()
    try:
        data = json.loads(raw or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise MalformedRequest("the request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise MalformedRequest("the request body must be a JSON object")
    return data


def text_field(data: dict[str, Any], name: str, *, required: bool = False, default: str = "") -> str:
    """A string field; missing optional fields give ``default``."""
    value = data.get(name)
    if value is None:
        if required:
            raise InvalidInput(f"field {name!r} is required")
        return default
    if not isinstance(value, str):
        raise InvalidInput(f"field {name!r} must be a string")
    return value


def int_field(data: dict[str, Any], name: str) -> int:
    """A required integer field."""
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"field {name!r} is required and must be an integer (the text version you saw)")
    return value


def bool_field(data: dict[str, Any], name: str) -> bool:
    """An optional boolean field (default false)."""
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise InvalidInput(f"field {name!r} must be true or false")
    return value
