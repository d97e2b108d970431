"""Small helpers the listeners share: reading modal inputs, ephemeral explanations, time budgets."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from handlers.slack import surface as slack_surface
from handlers.slack.blocks import error_blocks
from handlers.slack.surface import explain

log = logging.getLogger(__name__)
T = TypeVar("T")
Respond = Callable[..., Awaitable[Any]]


def field(view: dict[str, Any], input_ids: tuple[str, str]) -> Any:
    """A modal input's value: text for text/url inputs, the value of a select, values of checkboxes."""
    block_id, action_id = input_ids
    state = (view.get("state") or {}).get("values") or {}
    element = (state.get(block_id) or {}).get(action_id) or {}
    if "selected_options" in element:
        return [option.get("value") for option in element.get("selected_options") or []]
    if "selected_option" in element:
        return (element.get("selected_option") or {}).get("value")
    return element.get("value")


def text_field(view: dict[str, Any], input_ids: tuple[str, str]) -> str:
    """A text input's value, '' when empty."""
    value = field(view, input_ids)
    return value if isinstance(value, str) else ""


async def tell(respond: Respond, problem: Exception | str, detail: str = "") -> None:
    """An ephemeral explanation to the user who clicked or typed (never quoting their input)."""
    message, detail = (problem, detail) if isinstance(problem, str) else explain(problem)
    if not isinstance(problem, str):
        log.info("slack request refused: %s", type(problem).__name__)
    try:
        await respond(
            text=message,
            blocks=error_blocks(message, detail),
            response_type="ephemeral",
            replace_original=False,
        )
    except Exception as exc:
        # A click inside a modal has no response_url. Raising here, after ack(), would make Bolt
        # drop its acknowledgement and answer Slack 404 three seconds later.
        log.warning("could not show the explanation to the user: %s", type(exc).__name__)


async def within_budget(work: Awaitable[T], budget: float | None = None) -> asyncio.Task[T]:
    """Start ``work`` and wait for it at most ``budget`` seconds; the task goes on if it takes longer.

    The default is ``surface.INLINE_BUDGET_SECONDS``, read at each call (the scenario tests widen it).
    """
    task = asyncio.ensure_future(work)
    await asyncio.wait({task}, timeout=slack_surface.INLINE_BUDGET_SECONDS if budget is None else budget)
    return task
