"""Steps the Slack and Teams scenario tests share: the sample drafts, waiting for the server, reading the DB."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

from bot.models import Draft
from tests.handlers.live_server import LiveServer

T = TypeVar("T")

CLEAR = "Thank you for the kind words about our maternity nurses! We will share them with the team."
REVIEW = "Sorry your stay on 4 West was so long, we hope you are feeling better."
BLOCK = "Glad your knee surgery went well, John Miller! Your MRN 48213397 is on file."


def eventually(probe: Callable[[], T], timeout: float = 5.0) -> T:
    """``probe()`` once it is truthy (the server finishes work after acknowledging the platform)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            assert value, f"still {value!r} after {timeout}s"
            return value
        time.sleep(0.02)


def drafts(server: LiveServer) -> list[Draft]:
    """Every draft, newest first."""
    return server.db.run(lambda tx: tx.drafts.list(limit=1000), write=False)


def draft(server: LiveServer, draft_id: str) -> Draft:
    """One draft, fresh from the database."""
    found = server.db.run(lambda tx: tx.drafts.get(draft_id), write=False)
    assert found is not None
    return found


def surface_card_refs(server: LiveServer, draft_id: str, surface: str) -> dict[str, str]:
    """channel -> the surface's message id of the draft's cards on ``surface``."""
    return server.db.run(lambda tx: tx.cards.get(draft_id, surface), write=False)


def text_of(node: Any) -> str:
    """All the text in blocks, a view or a card, for assertions on what a person reads."""
    return json.dumps(node, ensure_ascii=False)
