"""The sandbox's notifier: "posts" cards into its review channels and tells open pages to refresh."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.approvals import Message
from handlers.context import AppContext
from handlers.sandbox.events import EventHub

SURFACE = "sandbox"


def review_channel(group: str) -> str:
    """The sandbox channel where ``group`` reviews drafts."""
    return f"{group}-review"


class SandboxNotifier:
    """``bot.ports.Notifier`` for the local web chat."""

    surface = SURFACE

    def __init__(self, ctx: AppContext, hub: EventHub) -> None:
        self.ctx = ctx
        self.hub = hub

    async def deliver(self, kind: str, payload: dict[str, Any]) -> None:
        """Record where cards are (like a Slack ts) and push an event to open pages."""
        draft_id = str(payload["draft_id"])
        if kind == Message.POST_CARDS:
            await asyncio.to_thread(self._post_cards, draft_id)
        self.hub.publish(
            {
                "type": kind,
                "draft_id": draft_id,
                "event": payload.get("event"),
                "groups": payload.get("groups"),
            }
        )

    def _post_cards(self, draft_id: str) -> None:
        def work(tx: Any) -> None:
            for group in self.ctx.settings.policy.groups:
                tx.cards.put(draft_id, SURFACE, review_channel(group), draft_id)

        self.ctx.db.run(work)
