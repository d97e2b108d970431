"""botbuilder's CloudAdapter from our settings, and retries for the Bot Connector's throttling answers.

Kept small on purpose: botbuilder-python is archived upstream, and this file and bot.py are what a
move to the Microsoft 365 Agents SDK would replace.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botframework.connector.auth import AuthenticationConstants

from bot.config import TeamsSettings

log = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_STATUSES = frozenset({412, 429, 502, 504})
MAX_ATTEMPTS = 3
MAX_WAIT_SECONDS = 10.0


@dataclass(frozen=True)
class AdapterConfig:
    """The configuration object botbuilder reads (its attribute names, not ours)."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str | None = None
    TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL: str | None = None
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str | None = None
    TO_CHANNEL_FROM_BOT_LOGIN_URL: str | None = None
    TO_CHANNEL_FROM_BOT_OAUTH_SCOPE: str | None = None


def adapter_config(settings: TeamsSettings) -> AdapterConfig:
    """Botbuilder's configuration from ``[teams]``.

    Without an app id (the Bot Framework Emulator, sandbox mode only) the type must be MultiTenant:
    botbuilder refuses a SingleTenant configuration without an app id. Once any endpoint is overridden
    botbuilder drops all its public-cloud defaults, so the ones not overridden are filled in here.
    """
    overridden = any(
        (settings.openid_metadata_url, settings.token_issuer, settings.login_url, settings.oauth_scope)
    )

    def endpoint(value: str, default: str) -> str | None:
        return value or (default if overridden else None)

    return AdapterConfig(
        APP_ID=settings.app_id,
        APP_PASSWORD=settings.app_password,
        APP_TYPE=settings.app_type if settings.app_id else "MultiTenant",
        APP_TENANTID=settings.app_tenant_id,
        TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=endpoint(
            settings.openid_metadata_url, AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
        ),
        TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=endpoint(
            settings.token_issuer, AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
        ),
        TO_CHANNEL_FROM_BOT_LOGIN_URL=endpoint(
            settings.login_url, AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL
        ),
        TO_CHANNEL_FROM_BOT_OAUTH_SCOPE=endpoint(
            settings.oauth_scope, AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
        ),
    )


def make_adapter(settings: TeamsSettings) -> CloudAdapter:
    """A CloudAdapter whose turn errors are logged by type only (activities may carry draft text)."""
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(adapter_config(settings)))

    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        log.error(
            "teams turn failed: %s %s (activity %s)",
            type(error).__name__,
            http_status(error),
            context.activity.id,
        )

    adapter.on_turn_error = on_turn_error
    return adapter


def http_status(exc: BaseException) -> tuple[int | None, float | None]:
    """The HTTP status and Retry-After (seconds) of a connector error, when it has them."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    headers = getattr(response, "headers", None) or {}
    retry_after = headers.get("Retry-After") if hasattr(headers, "get") else None
    try:
        wait = float(retry_after) if retry_after is not None else None
    except ValueError:
        wait = None
    return (int(status) if status else None), wait


async def with_retries(call: Callable[[], Awaitable[T]]) -> T:
    """Run a connector call, backing off on 429/412/502/504 (Retry-After when given) a few times."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return await call()
        except Exception as exc:
            status, wait = http_status(exc)
            if status not in RETRY_STATUSES or attempt == MAX_ATTEMPTS:
                raise
            delay = min(wait if wait is not None else 0.5 * 2**attempt, MAX_WAIT_SECONDS)
            log.info("teams connector answered %s; retrying in %.1fs", status, delay)
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover
