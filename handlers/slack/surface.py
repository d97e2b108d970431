"""What every Slack listener shares: the server context, the Web API client, membership and names."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from slack_sdk.web.async_client import AsyncWebClient

from bot.config import SlackSettings
from bot.errors import WorkflowError
from bot.models import User
from handlers.context import AppContext
from handlers.slack import ids
from handlers.slack.membership import SlackMembership, SlackNames
from storage.db import StorageUnavailable
from storage.repositories import SqlTransaction

log = logging.getLogger(__name__)
T = TypeVar("T")
CONTEXT_KEY = "phigate"
# Slack wants an answer within 3 s; work that may take longer is answered first and finished after.
INLINE_BUDGET_SECONDS = 2.0
UNAVAILABLE = (
    "phigate's database is unavailable right now; nothing was changed. Please try again in a minute."
)


@dataclass
class SlackSurface:
    """The Slack side of one server process."""

    ctx: AppContext
    client: AsyncWebClient
    membership: SlackMembership
    names: SlackNames
    background: set[asyncio.Task[Any]] = field(default_factory=set)

    @property
    def settings(self) -> SlackSettings:
        """The ``[slack]`` settings."""
        return self.ctx.settings.slack

    def review_channels(self) -> dict[str, str]:
        """Approver group -> review channel id, for the policy's groups that have one."""
        channels = self.settings.channels
        return {group: channels[group] for group in self.ctx.settings.policy.groups if group in channels}

    def missing_review_channels(self) -> list[str]:
        """Policy groups with no review channel configured."""
        return [group for group in self.ctx.settings.policy.groups if group not in self.settings.channels]

    async def user(self, slack_user: str) -> User:
        """The phigate user behind a Slack user id, with fresh group membership and a display name."""
        await self.membership.refresh()
        user_id = ids.user_id(slack_user)
        configured = self.ctx.directory.name(user_id)
        name = configured if configured != user_id else await self.names.name(slack_user)
        return User(user_id, name)

    async def run(self, work: Callable[[SqlTransaction], T], *, write: bool = True) -> T:
        """Run ``work`` in a transaction on a worker thread (see ``AppContext.run``)."""
        return await self.ctx.run(work, write=write)

    def later(self, coroutine: Awaitable[Any]) -> None:
        """Finish work after Slack has its answer (kept referenced until done; failures logged)."""
        task = asyncio.ensure_future(coroutine)
        self.background.add(task)
        task.add_done_callback(self._settled)

    def _settled(self, task: asyncio.Task[Any]) -> None:
        self.background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            log.error("slack background work failed: %s", type(exc).__name__)


def surface_of(context: dict[str, Any]) -> SlackSurface:
    """The ``SlackSurface`` a middleware put into Bolt's listener context."""
    return context[CONTEXT_KEY]


def explain(exc: Exception) -> tuple[str, str]:
    """A user-facing (message, detail) for a failure; never quotes the request."""
    if isinstance(exc, WorkflowError):
        return exc.message, exc.detail
    if isinstance(exc, StorageUnavailable):
        return UNAVAILABLE, ""
    return "Something went wrong on phigate's side; nothing was changed. Please try again.", ""
