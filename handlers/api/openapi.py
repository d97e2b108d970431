"""The OpenAPI 3.1 document of the JSON API, served at ``/api/openapi.json`` (a test keeps it in sync)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.incidents import OUTCOMES, Step
from bot.models import Network, Status
from bot.phi.categories import Category

_ERRORS = {
    "400": "Malformed JSON",
    "401": "No or bad identity",
    "403": "Not allowed (wrong group, own draft, not the author)",
    "404": "Unknown draft",
    "409": "Stale version, already final, or not this group's turn",
    "413": "Request body too large",
    "422": "Invalid fields",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: str) -> dict[str, Any]:
    return {code: _json(_ref("Error"), _ERRORS[code]) for code in codes}


def _body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


_DRAFT_ID = {"name": "draft_id", "in": "path", "required": True, "schema": {"type": "string"}}


def _draft_action(summary: str, body: str, *errors: str) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "parameters": [_DRAFT_ID],
            "requestBody": _body(body),
            "responses": {"200": _json(_ref("Draft"), "The updated draft"), **_errors(*errors)},
        }
    }


_STRING = {"type": "string"}
_INCIDENT_ID = {"name": "incident_id", "in": "path", "required": True, "schema": {"type": "string"}}
_NULLABLE_USER = {"oneOf": [{"type": "null"}, _ref("UserRef")]}

SCHEMAS: dict[str, Any] = {
    "NewIncident": {
        "type": "object",
        "required": ["link", "categories"],
        "properties": {
            "link": {"type": "string", "format": "uri", "maxLength": 2000},
            "categories": {"type": "array", "items": {"enum": [c.value for c in Category]}, "minItems": 1},
            "draft_id": _STRING,
            "noticed_by": {"type": "string", "maxLength": 200},
            "discovered_at": {"type": "string", "format": "date-time"},
        },
    },
    "IncidentStep": {
        "type": "object",
        "properties": {"note": {"type": "string", "maxLength": 200}, "not_applicable": {"type": "boolean"}},
    },
    "IncidentClose": {
        "type": "object",
        "required": ["outcome"],
        "properties": {"outcome": {"enum": list(OUTCOMES)}},
    },
    "Incident": {
        "type": "object",
        "required": [
            "id",
            "link",
            "network",
            "categories",
            "status",
            "checklist",
            "breach_notification_deadline",
        ],
        "properties": {
            "id": _STRING,
            "link": _STRING,
            "network": _STRING,
            "categories": {"type": "array", "items": _STRING},
            "draft_id": {"type": ["string", "null"]},
            "approvers": {"type": "array", "items": _STRING},
            "noticed_by": _STRING,
            "reported_by": _STRING,
            "discovered_at": _STRING,
            "created_at": _STRING,
            "status": {"enum": ["open", "closed"]},
            "breach_notification_deadline": _STRING,
            "days_left": {"type": "integer"},
            "checklist": {"type": "array", "items": {"type": "object"}},
            "outcome": {"type": ["string", "null"]},
            "closed_by": {"type": ["string", "null"]},
            "closed_at": {"type": ["string", "null"]},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error", "detail"],
        "properties": {"error": _STRING, "detail": _STRING},
    },
    "UserRef": {"type": "object", "required": ["id", "name"], "properties": {"id": _STRING, "name": _STRING}},
    "Finding": {
        "type": "object",
        "required": ["category", "start", "end", "score", "explanation"],
        "properties": {
            "category": _STRING,
            "start": {"type": "integer"},
            "end": {"type": "integer"},
            "score": {"type": "number"},
            "explanation": _STRING,
        },
    },
    "GroupProgress": {
        "type": "object",
        "required": ["group", "required", "approved_by", "done"],
        "properties": {
            "group": _STRING,
            "required": {"type": "integer"},
            "approved_by": {"type": "array", "items": _ref("UserRef")},
            "done": {"type": "boolean"},
            "skipped": {"type": "boolean"},
            "waiting_for_earlier_group": {"type": "boolean"},
        },
    },
    "Draft": {
        "type": "object",
        "required": [
            "id",
            "status",
            "version",
            "verdict",
            "score",
            "findings",
            "redacted",
            "approvals",
            "final_approver",
            "decisions",
            "versions",
            "duplicates",
        ],
        "properties": {
            "id": _STRING,
            "status": {"enum": [s.value for s in Status]},
            "version": {
                "type": "integer",
                "description": "Text version; changes only when the text is edited.",
            },
            "verdict": {"enum": ["clear", "review", "block"]},
            "score": {"type": "number"},
            "findings": {"type": "array", "items": _ref("Finding")},
            "redacted": _STRING,
            "suggestion": {"type": ["string", "null"]},
            "text": {"type": ["string", "null"], "description": "Current text (null once purged)."},
            "text_sha256": _STRING,
            "network": {"enum": [n.value for n in Network]},
            "in_reply_to": _STRING,
            "context": _STRING,
            "author": _ref("UserRef"),
            "approvals": {"type": "array", "items": _ref("GroupProgress")},
            "final_approver": _NULLABLE_USER,
            "rejected_by": {"type": ["object", "null"]},
            "decisions": {"type": "array", "items": {"type": "object"}},
            "versions": {"type": "array", "items": {"type": "object"}},
            "override": {"type": ["object", "null"]},
            "duplicates": {"type": "array", "items": _STRING},
            "posted_link": {"type": ["string", "null"]},
            "created_at": _STRING,
            "updated_at": _STRING,
            "expires_at": _STRING,
        },
    },
    "NewDraft": {
        "type": "object",
        "required": ["text"],
        "properties": {
            "text": {"type": "string", "maxLength": 3000},
            "network": {"enum": [n.value for n in Network]},
            "in_reply_to": {"type": "string", "description": "Link to the post or comment answered."},
            "context": _STRING,
        },
    },
    "Decision": {
        "type": "object",
        "required": ["decision", "version"],
        "properties": {
            "decision": {"enum": ["approve", "reject"]},
            "version": {"type": "integer", "description": "The text version the approver saw."},
            "reason": {"type": "string", "description": "Reason code, required to reject."},
            "comment": _STRING,
            "text": {"type": "string", "description": "Approve with edits: the edited reply."},
            "acknowledge_override": {"type": "boolean"},
        },
    },
    "NewVersion": {"type": "object", "required": ["text"], "properties": {"text": _STRING}},
    "Override": {"type": "object", "required": ["justification"], "properties": {"justification": _STRING}},
    "Posted": {"type": "object", "required": ["link"], "properties": {"link": _STRING}},
    "Empty": {"type": "object"},
}

PATHS: dict[str, Any] = {
    "/api/drafts": {
        "post": {
            "summary": "Submit a draft: it is scanned at once; a block verdict is stored as blocked.",
            "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False, "schema": _STRING}],
            "requestBody": _body("NewDraft"),
            "responses": {
                "201": _json(_ref("Draft"), "The new draft"),
                **_errors("400", "401", "403", "413", "422"),
            },
        },
        "get": {
            "summary": "List drafts, newest first.",
            "parameters": [
                {
                    "name": "status",
                    "in": "query",
                    "required": False,
                    "schema": {"enum": [s.value for s in Status]},
                },
                {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer"}},
            ],
            "responses": {
                "200": _json(
                    {"type": "object", "properties": {"drafts": {"type": "array", "items": _ref("Draft")}}},
                    "Drafts",
                ),
                **_errors("401", "422"),
            },
        },
    },
    "/api/drafts/{draft_id}": {
        "get": {
            "summary": "One draft.",
            "parameters": [_DRAFT_ID],
            "responses": {"200": _json(_ref("Draft"), "The draft"), **_errors("401", "404")},
        }
    },
    "/api/drafts/{draft_id}/decisions": _draft_action(
        "Approve (optionally with edits) or reject the version you saw; repeating is idempotent.",
        "Decision",
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
        "422",
    ),
    "/api/drafts/{draft_id}/versions": _draft_action(
        "The author resubmits edited text (a new version; the review restarts).",
        "NewVersion",
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
        "422",
    ),
    "/api/drafts/{draft_id}/override": _draft_action(
        "The author sends a blocked draft on with a justification (legal must acknowledge it).",
        "Override",
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
        "422",
    ),
    "/api/drafts/{draft_id}/withdraw": _draft_action(
        "The author withdraws a pending or blocked draft.", "Empty", "400", "401", "403", "404", "409", "413"
    ),
    "/api/drafts/{draft_id}/posted": _draft_action(
        "The author records the live link of the approved reply.",
        "Posted",
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
        "422",
    ),
    "/api/audit": {
        "get": {
            "summary": "Export the audit trail (legal and auditors only): one row per draft version.",
            "parameters": [
                {"name": "since", "in": "query", "required": False, "schema": _STRING},
                {"name": "until", "in": "query", "required": False, "schema": _STRING},
                {"name": "format", "in": "query", "required": False, "schema": {"enum": ["csv", "jsonl"]}},
            ],
            "responses": {
                "200": {
                    "description": "CSV or JSONL stream",
                    "content": {"text/csv": {}, "application/x-ndjson": {}},
                },
                **_errors("401", "403", "422"),
            },
        }
    },
    "/api/incidents": {
        "post": {
            "summary": "Report a posted reply that disclosed PHI (opens the incident protocol).",
            "requestBody": _body("NewIncident"),
            "responses": {
                "201": _json(_ref("Incident"), "The incident"),
                **_errors("400", "401", "403", "404", "413", "422"),
            },
        },
        "get": {
            "summary": "Incidents, newest first (privacy officers, approvers and the social team).",
            "parameters": [
                {"name": "status", "in": "query", "required": False, "schema": {"enum": ["open", "closed"]}}
            ],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {"incidents": {"type": "array", "items": _ref("Incident")}},
                    },
                    "Incidents",
                ),
                **_errors("401", "403", "422"),
            },
        },
    },
    "/api/incidents/{incident_id}": {
        "get": {
            "summary": "One incident with its checklist and breach-notification clock.",
            "parameters": [_INCIDENT_ID],
            "responses": {"200": _json(_ref("Incident"), "The incident"), **_errors("401", "403", "404")},
        }
    },
    "/api/incidents/{incident_id}/steps/{step}": {
        "post": {
            "summary": "Tick one checklist step (who may: see bot/incidents.py PERMISSIONS).",
            "parameters": [
                _INCIDENT_ID,
                {"name": "step", "in": "path", "required": True, "schema": {"enum": [s.value for s in Step]}},
            ],
            "requestBody": _body("IncidentStep"),
            "responses": {
                "200": _json(_ref("Incident"), "The updated incident"),
                **_errors("400", "401", "403", "404", "409", "413", "422"),
            },
        }
    },
    "/api/incidents/{incident_id}/close": {
        "post": {
            "summary": "The privacy officer closes the incident with an outcome once every step is done.",
            "parameters": [_INCIDENT_ID],
            "requestBody": _body("IncidentClose"),
            "responses": {
                "200": _json(_ref("Incident"), "The closed incident"),
                **_errors("400", "401", "403", "404", "409", "413", "422"),
            },
        }
    },
    "/api/me": {
        "get": {
            "summary": "Who the caller is, their groups and permissions.",
            "responses": {"200": _json({"type": "object"}, "The caller"), **_errors("401")},
        }
    },
    "/api/openapi.json": {
        "get": {"summary": "This document.", "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1")}}
    },
}


def document() -> dict[str, Any]:
    """The whole OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "phigate API",
            "version": "1",
            "description": "Submit hospital social-media reply drafts, see their PHI scan, approve or reject "
            "them, export the audit trail. Authenticate with 'Authorization: Bearer <token>' "
            "(phigate token create); in sandbox mode also 'X-Phigate-User: <demo user>'.",
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "sandboxUser": {"type": "apiKey", "in": "header", "name": "X-Phigate-User"},
            },
        },
        "security": [{"bearer": []}, {"sandboxUser": []}],
        "paths": PATHS,
    }


async def serve_document(request: web.Request) -> web.Response:
    """GET /api/openapi.json."""
    return web.json_response(document())


def register(app: web.Application) -> None:
    """Add the document's route."""
    app.router.add_get("/api/openapi.json", serve_document)
