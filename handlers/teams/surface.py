"""What the Teams bot and notifier share: the server context, the adapter, conversation lookups."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from botbuilder.integration.aiohttp import CloudAdapter

from bot.config import TeamsSettings
from handlers.context import AppContext
from storage.repositories import SqlTransaction

T = TypeVar("T")


@dataclass
class TeamsSurface:
    """The Teams side of one server process."""

    ctx: AppContext
    adapter: CloudAdapter

    @property
    def settings(self) -> TeamsSettings:
        """The ``[teams]`` settings."""
        return self.ctx.settings.teams

    def review_channels(self) -> dict[str, str]:
        """Approver group -> review channel conversation id, for the policy's groups that have one."""
        channels = self.settings.channels
        return {group: channels[group] for group in self.ctx.settings.policy.groups if group in channels}

    def missing_review_channels(self) -> list[str]:
        """Policy groups with no Teams review channel."""
        return [group for group in self.ctx.settings.policy.groups if group not in self.settings.channels]

    async def run(self, work: Callable[[SqlTransaction], T], *, write: bool = True) -> T:
        """Run ``work`` in a transaction on a worker thread."""
        return await self.ctx.run(work, write=write)


def channel_of(conversation_id: str) -> str:
    """A channel conversation id without the ``;messageid=`` suffix of a thread."""
    return conversation_id.split(";", 1)[0]


def as_dict(model: Any) -> dict[str, Any]:
    """A botbuilder model as plain JSON data (for storing references)."""
    return model.serialize() if hasattr(model, "serialize") else dict(model)
