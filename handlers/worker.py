"""Background work in every server process: drain the outbox, expire drafts and send reminders.

The outbox worker claims due messages (``storage/outbox.py``), hands each to the notifier registered
for its surface and settles it: delivered, or retried later with backoff, or failed after too many
attempts. It wakes at once when this process committed something and polls for the rest (messages
written by other replicas, retries coming due).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from functools import partial

from aiohttp import web

from handlers.context import CONTEXT, AppContext
from storage import outbox

log = logging.getLogger(__name__)
# Platform retries come within minutes and API clients retry within hours: a week is plenty.
REQUEST_KEYS_KEPT = timedelta(days=7)


def _safe_error(exc: BaseException) -> str:
    # A notifier's exception may quote what it tried to send: keep its type and status only.
    status = getattr(exc, "status", None) or getattr(getattr(exc, "response", None), "status_code", None)
    return f"{type(exc).__name__}" + (f" (status {status})" if status else "")


async def drain_once(ctx: AppContext, limit: int = 20) -> int:
    """Deliver the messages that are due now; returns how many were attempted."""
    surfaces = sorted(ctx.notifiers)
    if not surfaces:
        return 0
    lease = timedelta(seconds=ctx.settings.server.outbox_lease_seconds)
    claimed = await asyncio.to_thread(outbox.claim, ctx.db, surfaces, limit, lease=lease)
    for message in claimed:
        notifier = ctx.notifiers[message.surface]
        try:
            await notifier.deliver(message.kind, message.payload)
        except Exception as exc:
            status = await asyncio.to_thread(
                outbox.settle_failed,
                ctx.db,
                message,
                _safe_error(exc),
                ctx.settings.server.outbox_max_attempts,
            )
            ctx.metrics.delivery_failures.labels(message.surface, message.kind).inc()
            log.warning(
                "outbox message %s (%s to %s) failed on attempt %s: %s; now %s",
                message.id,
                message.kind,
                message.surface,
                message.attempts,
                _safe_error(exc),
                status,
            )
        else:
            await asyncio.to_thread(outbox.settle_delivered, ctx.db, message.id)
            ctx.metrics.delivered.labels(message.surface, message.kind).inc()
    return len(claimed)


async def run_outbox(ctx: AppContext) -> None:
    """Drain the outbox until cancelled."""
    poll = ctx.settings.server.outbox_poll_seconds
    while True:
        # Cleared before claiming: a commit that lands while we claim sets it again, so its
        # messages are picked up at once instead of after the next poll.
        ctx.wake_outbox.clear()
        try:
            attempted = await drain_once(ctx)
        except Exception as exc:
            log.error("outbox worker: %s; retrying in %ss", _safe_error(exc), poll)
            attempted = 0
        if attempted:
            continue
        # asyncio.timeout, not wait_for: on Python 3.11 a cancellation racing wait_for's own timeout
        # can leave this task stuck "cancelling", and the server's shutdown then waits forever.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(poll):
                await ctx.wake_outbox.wait()


async def tick(ctx: AppContext) -> tuple[list[str], list[str]]:
    """Expire overdue drafts and remind approvers of drafts expiring soon; returns both id lists."""
    # One transaction per draft: a race with a decision then costs one retry, not the whole batch.
    service = ctx.service
    due = await ctx.run(lambda tx: tx.drafts.due_for_expiry(service.clock.now()), write=False)
    expired = [draft_id for draft_id in due if await ctx.run(partial(service.expire, draft_id=draft_id))]
    reminded = []
    if ctx.settings.policy.remind_before_hours > 0:
        due = await ctx.run(lambda tx: tx.drafts.due_for_reminder(service.reminder_window()), write=False)
        reminded = [draft_id for draft_id in due if await ctx.run(partial(service.remind, draft_id=draft_id))]
    cutoff = ctx.service.clock.now() - REQUEST_KEYS_KEPT
    await ctx.run(lambda tx: tx.requests.forget_older_than(cutoff))
    if expired or reminded:
        log.info("scheduler: %d draft(s) expired, %d reminder(s) sent", len(expired), len(reminded))
    return expired, reminded


async def remind_incidents(ctx: AppContext) -> list[str]:
    """The daily reminder of every open incident that is due (each a compare-and-set: replicas never double)."""
    service = ctx.incidents
    due = await ctx.run(service.due_for_reminder, write=False)
    reminded = [i for i in due if await ctx.run(partial(service.remind, incident_id=i))]
    if reminded:
        log.info("scheduler: %d incident reminder(s) sent", len(reminded))
    return reminded


async def run_scheduler(ctx: AppContext) -> None:
    """Run ``tick`` and the incident reminders every ``scheduler_poll_seconds`` until cancelled."""
    while True:
        try:
            await tick(ctx)
            await remind_incidents(ctx)
        except Exception as exc:
            log.error("scheduler: %s", _safe_error(exc))
        await asyncio.sleep(ctx.settings.server.scheduler_poll_seconds)


def install(app: web.Application) -> None:
    """Start the outbox worker and the scheduler with the app, stop them with it."""

    async def background(app: web.Application):  # type: ignore[no-untyped-def]
        ctx = app[CONTEXT]
        tasks = [asyncio.create_task(run_outbox(ctx)), asyncio.create_task(run_scheduler(ctx))]
        yield
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app.cleanup_ctx.append(background)
