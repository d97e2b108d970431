"""Who is in which approver group on Slack: configured user groups, cached briefly; display names.

The core's directory is synchronous (it runs inside a database transaction), so listeners ``refresh()``
before calling the workflow and the directory then reads this cache.
"""

from __future__ import annotations

import asyncio
import logging
import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from handlers.slack import ids

log = logging.getLogger(__name__)
NAME_CACHE_SECONDS = 3600.0


class SlackMembership:
    """A ``bot.identity.MembershipSource`` over Slack user groups (``[slack] usergroups``)."""

    def __init__(self, client: AsyncWebClient, usergroups: dict[str, str], ttl: float) -> None:
        self._client = client
        self._usergroups = dict(usergroups)
        self._ttl = ttl
        self._members: dict[str, frozenset[str]] = {}
        self._fetched_at: dict[str, float] = {}
        self._lock = asyncio.Lock()

    def groups_with(self, accounts: frozenset[str]) -> frozenset[str]:
        """Groups whose Slack user group (as last fetched) contains one of ``accounts``."""
        return frozenset(group for group, members in self._members.items() if members & accounts)

    async def refresh(self) -> None:
        """Fetch user groups whose cached membership is older than the TTL (failures keep the old list)."""
        if not self._usergroups:
            return
        async with self._lock:
            now = time.monotonic()
            for group, usergroup in self._usergroups.items():
                if now - self._fetched_at.get(group, -1e9) < self._ttl:
                    continue
                try:
                    response = await self._client.usergroups_users_list(usergroup=usergroup)
                except SlackApiError as exc:
                    log.warning(
                        "could not read Slack user group %s for %s: %s",
                        usergroup,
                        group,
                        exc.response.get("error"),
                    )
                    continue
                self._members[group] = frozenset(ids.user_id(user) for user in response.get("users", []))
                self._fetched_at[group] = now


class SlackNames:
    """Display names of Slack users (``users.info``), cached; the user id when Slack can't say."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._names: dict[str, tuple[str, float]] = {}

    async def name(self, slack_user: str, fallback: str = "") -> str:
        """The user's real name or display name."""
        cached = self._names.get(slack_user)
        if cached and time.monotonic() - cached[1] < NAME_CACHE_SECONDS:
            return cached[0]
        try:
            response = await self._client.users_info(user=slack_user)
        except SlackApiError as exc:
            log.info("users.info for %s failed: %s", slack_user, exc.response.get("error"))
            return fallback or slack_user
        user = response.get("user") or {}
        profile = user.get("profile") or {}
        name = user.get("real_name") or profile.get("real_name") or profile.get("display_name") or ""
        name = name or fallback or slack_user
        self._names[slack_user] = (name, time.monotonic())
        return name
