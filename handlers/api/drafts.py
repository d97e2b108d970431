"""``/api/drafts``: submit, read, decide, resubmit, override, withdraw, mark posted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.approvals import Submission
from bot.errors import InvalidInput
from bot.models import Draft, Status, User
from handlers.api.auth import current_user
from handlers.api.body import bool_field, int_field, json_object, text_field
from handlers.api.serialize import draft_json
from handlers.context import AppContext, context_of
from storage.repositories import SqlTransaction

IDEMPOTENCY_HEADER = "Idempotency-Key"


def _answer(ctx: AppContext, tx: SqlTransaction, draft: Draft) -> dict[str, Any]:
    return draft_json(draft, ctx.service.progress(draft), ctx.service.duplicates(tx, draft))


async def create_draft(request: web.Request) -> web.Response:
    """POST /api/drafts: scan and store a draft; 201 even when the scan blocks it."""
    ctx = context_of(request)
    user = await current_user(request)
    data = await json_object(request)
    submission = Submission(
        text=text_field(data, "text", required=True),
        network=text_field(data, "network", default="other"),
        in_reply_to=text_field(data, "in_reply_to"),
        context=text_field(data, "context"),
    )
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()[:150]

    def work(tx: SqlTransaction) -> tuple[dict[str, Any], bool]:
        if key:
            earlier = tx.requests.claim("api", f"{user.id}|{key}")
            if earlier:
                return _answer(ctx, tx, ctx.service.get(tx, earlier)), True
        draft = ctx.service.submit(tx, user, submission)
        if key:
            tx.requests.set_result("api", f"{user.id}|{key}", draft.id)
        return _answer(ctx, tx, draft), False

    body, replayed = await ctx.run(work)
    if not replayed:
        ctx.metrics.drafts.labels(body["verdict"]).inc()
    headers = {"Idempotent-Replay": "true"} if replayed else {}
    return web.json_response(body, status=201, headers=headers)


async def list_drafts(request: web.Request) -> web.Response:
    """GET /api/drafts?status=pending&limit=50."""
    ctx = context_of(request)
    await current_user(request)
    status_text = request.query.get("status")
    try:
        status = Status(status_text) if status_text else None
    except ValueError:
        raise InvalidInput(f"unknown status; use one of {', '.join(s.value for s in Status)}") from None
    try:
        limit = max(1, min(500, int(request.query.get("limit", "100"))))
    except ValueError:
        raise InvalidInput("limit must be a number") from None

    def work(tx: SqlTransaction) -> list[dict[str, Any]]:
        return [_answer(ctx, tx, draft) for draft in tx.drafts.list(status, limit)]

    return web.json_response({"drafts": await ctx.run(work, write=False)})


async def get_draft(request: web.Request) -> web.Response:
    """GET /api/drafts/{id}."""
    ctx = context_of(request)
    await current_user(request)
    draft_id = request.match_info["draft_id"]
    return web.json_response(
        await ctx.run(lambda tx: _answer(ctx, tx, ctx.service.get(tx, draft_id)), write=False)
    )


async def decide(request: web.Request) -> web.Response:
    """POST /api/drafts/{id}/decisions: approve (optionally with edited text) or reject."""
    ctx = context_of(request)
    user = await current_user(request)
    data = await json_object(request)
    draft_id = request.match_info["draft_id"]
    decision = text_field(data, "decision", required=True)
    version = int_field(data, "version")
    reason = text_field(data, "reason")
    comment = text_field(data, "comment")
    edited = data.get("text")
    if edited is not None and not isinstance(edited, str):
        raise InvalidInput("field 'text' must be a string (the edited reply)")
    acknowledge = bool_field(data, "acknowledge_override")

    def work(tx: SqlTransaction) -> dict[str, Any]:
        draft = ctx.service.decide(
            tx,
            user,
            draft_id,
            version=version,
            decision=decision,
            reason=reason,
            comment=comment,
            text=edited,
            acknowledge_override=acknowledge,
        )
        return _answer(ctx, tx, draft)

    body = await ctx.run(work)
    ctx.metrics.decisions.labels(decision).inc()
    return web.json_response(body)


async def _author_action(request: web.Request, method: str, field: str | None = None) -> web.Response:
    """Read the one required ``field`` (if any), then call ``ApprovalService.<method>`` as the author."""
    ctx = context_of(request)
    user: User = await current_user(request)
    data = await json_object(request)
    draft_id = request.match_info["draft_id"]
    extra = (text_field(data, field, required=True),) if field else ()
    action: Callable[..., Draft] = getattr(ctx.service, method)
    return web.json_response(await ctx.run(lambda tx: _answer(ctx, tx, action(tx, user, draft_id, *extra))))


async def resubmit(request: web.Request) -> web.Response:
    """POST /api/drafts/{id}/versions: the author's edited text."""
    return await _author_action(request, "resubmit", "text")


async def override(request: web.Request) -> web.Response:
    """POST /api/drafts/{id}/override: send a blocked draft on with a justification."""
    return await _author_action(request, "request_override", "justification")


async def withdraw(request: web.Request) -> web.Response:
    """POST /api/drafts/{id}/withdraw."""
    return await _author_action(request, "withdraw")


async def posted(request: web.Request) -> web.Response:
    """POST /api/drafts/{id}/posted: the live link of the approved reply."""
    return await _author_action(request, "mark_posted", "link")


async def me(request: web.Request) -> web.Response:
    """GET /api/me: who the caller is and what they may do."""
    ctx = context_of(request)
    user = await current_user(request)
    return web.json_response(
        {
            "id": user.id,
            "name": user.name,
            "groups": sorted(ctx.directory.groups_of(user.id)),
            "may_submit": ctx.directory.may_submit(user.id),
            "may_audit": ctx.directory.may_audit(user.id),
            "rejection_reasons": list(ctx.settings.policy.rejection_reasons),
        }
    )


def register(app: web.Application) -> None:
    """Add the drafts routes."""
    app.router.add_post("/api/drafts", create_draft)
    app.router.add_get("/api/drafts", list_drafts)
    app.router.add_get("/api/drafts/{draft_id}", get_draft)
    app.router.add_post("/api/drafts/{draft_id}/decisions", decide)
    app.router.add_post("/api/drafts/{draft_id}/versions", resubmit)
    app.router.add_post("/api/drafts/{draft_id}/override", override)
    app.router.add_post("/api/drafts/{draft_id}/withdraw", withdraw)
    app.router.add_post("/api/drafts/{draft_id}/posted", posted)
    app.router.add_get("/api/me", me)
