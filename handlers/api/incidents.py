"""``/api/incidents``: report a posted reply that disclosed PHI, tick the checklist, close, export."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.errors import Forbidden, InvalidInput
from bot.incidents import STEP_LABELS, Incident, Step
from handlers.api.auth import current_user
from handlers.api.body import bool_field, json_object, text_field
from handlers.context import context_of
from handlers.export_format import iso, parse_moment


def incident_json(incident: Incident, now: Any) -> dict[str, Any]:
    """The API's incident: the record, the checklist in order, the breach clock."""
    return {
        "id": incident.id,
        "link": incident.link,
        "network": incident.network,
        "categories": list(incident.categories),
        "draft_id": incident.draft_id,
        "approvers": list(incident.approvers),
        "noticed_by": incident.noticed_by,
        "reported_by": incident.reported_by,
        "discovered_at": iso(incident.discovered_at),
        "created_at": iso(incident.created_at),
        "status": incident.status,
        "breach_notification_deadline": iso(incident.deadline),
        "days_left": incident.days_left(now),
        "checklist": [
            {
                "step": step.value,
                "label": STEP_LABELS[step],
                "done": step.value in incident.steps,
                **(_record(incident.steps[step.value]) if step.value in incident.steps else {}),
            }
            for step in Step
        ],
        "outcome": incident.outcome,
        "closed_by": incident.closed_by,
        "closed_at": iso(incident.closed_at),
    }


def _record(record: Any) -> dict[str, Any]:
    return {
        "by": record.actor,
        "by_name": record.actor_name,
        "at": iso(record.at),
        "note": record.note,
        "not_applicable": record.not_applicable,
    }


async def report_incident(request: web.Request) -> web.Response:
    """POST /api/incidents."""
    ctx = context_of(request)
    user = await current_user(request)
    data = await json_object(request)
    categories = data.get("categories")
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise InvalidInput(
            "field 'categories' must be a list of category names, e.g. [\"PATIENT_RELATIONSHIP\"]"
        )
    discovered_text = text_field(data, "discovered_at")
    try:
        discovered = parse_moment(discovered_text) if discovered_text else None
    except ValueError:
        raise InvalidInput("field 'discovered_at' must be an ISO 8601 date-time") from None
    incident = await ctx.run(
        lambda tx: ctx.incidents.report(
            tx,
            user,
            text_field(data, "link", required=True),
            categories,
            draft_id=text_field(data, "draft_id") or None,
            noticed_by=text_field(data, "noticed_by"),
            discovered_at=discovered,
        )
    )
    ctx.incident_changed(incident.id)
    return web.json_response(incident_json(incident, ctx.incidents.clock.now()), status=201)


async def _reader(request: web.Request) -> None:
    """Incidents are for privacy officers, approvers and the social team, not for every account."""
    ctx = context_of(request)
    user = await current_user(request)
    if not ctx.incidents.roles(user.id):
        raise Forbidden("only privacy officers, approvers and the social team may see incidents")


async def list_incidents(request: web.Request) -> web.Response:
    """GET /api/incidents?status=open|closed."""
    ctx = context_of(request)
    await _reader(request)
    status = request.query.get("status") or None
    if status not in (None, "open", "closed"):
        raise InvalidInput("status must be open or closed")
    found = await ctx.run(lambda tx: tx.incidents.list(status), write=False)
    now = ctx.incidents.clock.now()
    return web.json_response({"incidents": [incident_json(i, now) for i in found]})


async def get_incident(request: web.Request) -> web.Response:
    """GET /api/incidents/{incident_id}."""
    ctx = context_of(request)
    await _reader(request)
    incident_id = request.match_info["incident_id"]
    incident = await ctx.run(lambda tx: ctx.incidents.get(tx, incident_id), write=False)
    return web.json_response(incident_json(incident, ctx.incidents.clock.now()))


async def tick_step(request: web.Request) -> web.Response:
    """POST /api/incidents/{incident_id}/steps/{step}."""
    ctx = context_of(request)
    user = await current_user(request)
    data = await json_object(request)
    incident_id, step = request.match_info["incident_id"], request.match_info["step"]
    note, not_applicable = text_field(data, "note"), bool_field(data, "not_applicable")
    incident = await ctx.run(
        lambda tx: ctx.incidents.tick(tx, user, incident_id, step, note, not_applicable=not_applicable)
    )
    ctx.incident_changed(incident.id)
    return web.json_response(incident_json(incident, ctx.incidents.clock.now()))


async def close_incident(request: web.Request) -> web.Response:
    """POST /api/incidents/{incident_id}/close."""
    ctx = context_of(request)
    user = await current_user(request)
    data = await json_object(request)
    incident_id = request.match_info["incident_id"]
    outcome = text_field(data, "outcome", required=True)
    incident = await ctx.run(lambda tx: ctx.incidents.close(tx, user, incident_id, outcome))
    ctx.incident_changed(incident.id)
    return web.json_response(incident_json(incident, ctx.incidents.clock.now()))


def register(app: web.Application) -> None:
    """Add the incident routes."""
    app.router.add_post("/api/incidents", report_incident)
    app.router.add_get("/api/incidents", list_incidents)
    app.router.add_get("/api/incidents/{incident_id}", get_incident)
    app.router.add_post("/api/incidents/{incident_id}/steps/{step}", tick_step)
    app.router.add_post("/api/incidents/{incident_id}/close", close_incident)
