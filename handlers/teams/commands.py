"""What the bot answers to text: ``submit``, ``scan``, ``status``, ``incident``, ``help``, and drafts pasted in the drafts channel.

Platform-light: takes a user and plain text, returns an Adaptive Card (dict). bot.py does the botbuilder part.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.approvals import Submission
from bot.errors import Forbidden, InvalidInput, WorkflowError
from bot.models import Draft, GroupProgress, User
from handlers import drafting
from handlers.teams import ids
from handlers.teams.cards import (
    author_draft_card,
    error_card,
    help_card,
    pasted_message_card,
    scan_result_card,
    status_card,
)
from handlers.teams.cards.incidents import incident_report_form
from handlers.teams.surface import TeamsSurface
from storage.repositories import SqlTransaction

Card = dict[str, Any]
COMMANDS = ("submit", "scan", "status", "incident", "help")
NOT_A_SUBMITTER = "You are not in a group that may submit drafts."


async def answer_text(surface: TeamsSurface, user: User, text: str, *, in_drafts_channel: bool) -> Card:
    """The card answering a message (1:1, @mention, or a message in the drafts channel)."""
    word, _, rest = text.strip().partition(" ")
    command = word.lower()
    try:
        if command == "submit":
            return await submit(surface, user, Submission(text=rest.strip()))
        if command == "scan":
            return await scan(surface, rest.strip())
        if command == "status":
            return await status(surface, user, rest.strip())
        if command == "incident":
            return incident_report_form(rest.strip()[:2000])
        if command == "help" or (not text.strip() and not in_drafts_channel):
            return help_for(surface, user)
        if in_drafts_channel:
            return await pasted(surface, user, text.strip())
    except WorkflowError as exc:
        return error_card(exc.message, exc.detail)
    return error_card(
        f"'{word[:30]}' is not a phigate command.",
        "Try: help, submit <text>, scan <text>, status <id>, incident <link>.",
    )


def help_for(surface: TeamsSurface, user: User) -> Card:
    """The help card for this user."""
    return help_card(
        reviews_configured=not surface.missing_review_channels(),
        can_export=surface.ctx.directory.may_audit(user.id),
    )


async def scan(surface: TeamsSurface, text: str) -> Card:
    """A scan only, nothing stored."""
    if not text:
        raise InvalidInput("Nothing to scan.", "Send: scan <the reply you want to post>")
    result = await asyncio.to_thread(surface.ctx.service.scan, text)
    return scan_result_card(text, result)


async def pasted(surface: TeamsSurface, user: User, text: str) -> Card:
    """A draft pasted in the drafts channel: scanned, or submitted at once when configured."""
    if not surface.ctx.directory.may_submit(user.id):
        raise Forbidden(NOT_A_SUBMITTER, "Ask your phigate admin to add you to the social team's group.")
    if surface.settings.drafts_auto_submit:
        return await submit(surface, user, Submission(text=text))
    result = await asyncio.to_thread(surface.ctx.service.scan, text)
    return pasted_message_card(text, result)


async def submit(surface: TeamsSurface, user: User, submission: Submission, key: str = "") -> Card:
    """Submit a draft (once per ``key``); the author's card with the scan and where it went."""
    draft, progress = await submit_once(surface, user, submission, key)
    return author_draft_card(draft, progress, reviews_posted=not surface.missing_review_channels())


async def submit_once(
    surface: TeamsSurface, user: User, submission: Submission, key: str = ""
) -> tuple[Draft, list[GroupProgress]]:
    """Submit a draft; with ``key``, a repeat (double click, retry) returns the first draft instead."""
    return await drafting.submit_once(surface.ctx, ids.SURFACE, user, submission, key)


async def status(surface: TeamsSurface, user: User, rest: str) -> Card:
    """Where a draft stands, for its author, approvers and auditors (no draft text)."""
    draft_id = rest.split()[0].upper() if rest else ""
    if not draft_id:
        raise InvalidInput("Which draft?", "Send: status D-XXXXXXXX")
    service = surface.ctx.service

    def read(tx: SqlTransaction) -> Card:
        draft = service.get(tx, draft_id)
        if not service.may_view(user.id, draft):
            raise Forbidden(f"only the author, approvers and auditors may see draft {draft.id}")
        return status_card(draft, service.progress(draft))

    return await surface.run(read, write=False)
