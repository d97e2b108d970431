"""``/phigate scan <text>``: an ephemeral scan, nothing stored."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.errors import InvalidInput
from handlers.slack.blocks import error_blocks, scan_result_blocks
from handlers.slack.listeners.common import tell, within_budget
from handlers.slack.surface import SlackSurface

USAGE = "Usage: `/phigate scan <the reply you want to post>`"


async def scan(ack: Any, surface: SlackSurface, rest: str, respond: Any, **_: Any) -> None:
    """Scan inline when it fits in Slack's 3 seconds, else acknowledge and send the result after."""
    if not rest:
        await ack(response_type="ephemeral", text=USAGE, blocks=error_blocks("Nothing to scan.", USAGE))
        return
    task = await within_budget(asyncio.to_thread(surface.ctx.service.scan, rest))
    if task.done():
        try:
            result = task.result()
        except InvalidInput as exc:
            await ack(
                response_type="ephemeral", text=exc.message, blocks=error_blocks(exc.message, exc.detail)
            )
            return
        blocks = scan_result_blocks(rest, result)
        await ack(response_type="ephemeral", text=f"PHI scan: {result.verdict}", blocks=blocks)
        return
    await ack(response_type="ephemeral", text="Scanning your draft…")
    try:
        result = await task
    except InvalidInput as exc:
        await tell(respond, exc)
        return
    await respond(
        response_type="ephemeral", text=f"PHI scan: {result.verdict}", blocks=scan_result_blocks(rest, result)
    )
