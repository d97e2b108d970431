"""The Slack Web API client: our base URL, the SDK's retry handlers, bounded timeouts."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import SlackSettings

# Interactive paths wait on these calls: a few quick retries here, the outbox retries the rest later.
RATE_LIMIT_RETRIES = 2
CONNECTION_RETRIES = 2


def make_client(settings: SlackSettings) -> AsyncWebClient:
    """An ``AsyncWebClient`` for the configured workspace and Web API base URL (GovSlack, tests)."""
    return AsyncWebClient(
        token=settings.bot_token or None,
        base_url=settings.api_url,
        timeout=settings.api_timeout_seconds,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            AsyncServerErrorRetryHandler(max_retry_count=1),
        ],
    )
